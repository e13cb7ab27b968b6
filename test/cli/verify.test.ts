/**
 * `mkpkg verify` through the CLI: the lifecycle scenario on the user's own package in a booted
 * systemd container, its pass/fail table, --json, --upgrade-from, and the clear error when the
 * host lacks what it needs.
 */
import { strict as assert } from 'node:assert';
import { packages, type Packages } from '../lifecycle-e2e/support/packages.js';
import { sharedRootfs } from '../support/rootfs.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { mkpkg } from './helpers.js';

interface VerifyJson { ok: boolean; steps: { step: string; ok: boolean; detail: string }[] }

describe('cli: mkpkg verify', function () {
  this.timeout(1_800_000);
  let pk: Packages;

  before(async function () {
    requireRoot(this);
    requireTools(this, 'systemd-nspawn', 'debootstrap', 'dpkg-deb', 'rpm');
    // The rootfs `mkpkg verify` boots (same MKPKG_CACHE_DIR) and the packages come from the shared setup, before any test.
    await sharedRootfs();
    pk = await packages();
  });

  it('passes a good .deb with --upgrade-from and reports every step as JSON', () => {
    const r = mkpkg(['verify', pk.hello['1.1.0'].deb, '--upgrade-from', pk.hello['1.0.0'].deb, '--json']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const res = JSON.parse(r.stdout) as VerifyJson;
    assert.equal(res.ok, true);
    const names = res.steps.map((s) => s.step);
    for (const want of [/install/, /upgrade/, /remove/, /purge/, /reinstall/]) {
      assert.ok(names.some((n) => want.test(n)), `no step matching ${want} in ${names.join(', ')}`);
    }
    assert.ok(res.steps.every((s) => s.ok), JSON.stringify(res.steps, null, 1));
    assert.match(res.steps.find((s) => /upgrade/.test(s.step))!.detail, /pid|PID/);
  });

  it('passes a good .rpm and prints a table ending in PASS', () => {
    const r = mkpkg(['verify', pk.hello['1.0.0'].rpm]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /STEP\s+RESULT/);
    assert.match(r.stdout.trim(), /PASS$/);
  });

  it('fails (exit 1, FAIL in the table) for a package whose service does not start, at the install step', () => {
    const r = mkpkg(['verify', pk.failing.deb, '--timeout', '5']);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stdout.trim(), /FAIL$/);
    const j = mkpkg(['verify', pk.failing.deb, '--timeout', '5', '--json']);
    assert.equal(j.status, 1, j.stderr + j.stdout);
    const res = JSON.parse(j.stdout) as VerifyJson;
    assert.equal(res.ok, false);
    const first = res.steps.findIndex((s) => !s.ok);
    assert.ok(first >= 0 && /install/.test(res.steps[first].step), `the first failed step should be the install: ${JSON.stringify(res.steps, null, 1)}`);
  });

  it('--upgrade-from judges services added and dropped by the upgrade: new ones must run, dropped ones be stopped, disabled and unlinked', () => {
    const added = mkpkg(['verify', pk.addedService.two.deb, '--upgrade-from', pk.addedService.one.deb, '--json']);
    assert.equal(added.status, 0, added.stderr + added.stdout);
    const up = (JSON.parse(added.stdout) as VerifyJson).steps.find((s) => /upgrade/.test(s.step))!;
    assert.match(up.detail, /hello-svc-add-worker\.service new, started \(MainPID [1-9]\d*\)/);
    assert.match(up.detail, /hello-svc-add\.service MainPID \d+ → \d+/);
    const dropped = mkpkg(['verify', pk.addedService.dropped.rpm, '--upgrade-from', pk.addedService.two.rpm, '--json']);
    assert.equal(dropped.status, 0, dropped.stderr + dropped.stdout);
    assert.match((JSON.parse(dropped.stdout) as VerifyJson).steps.find((s) => /upgrade/.test(s.step))!.detail, /dropped by 1\.2\.0-1: hello-svc-add-worker\.service inactive/);
    // The same 1.2.0 with the retiring templated away: the worker keeps running, and verify says so at the upgrade.
    const left = mkpkg(['verify', pk.addedService.droppedLeavesWorker.deb, '--upgrade-from', pk.addedService.two.deb, '--json']);
    assert.equal(left.status, 1, left.stderr + left.stdout);
    const steps = (JSON.parse(left.stdout) as VerifyJson).steps;
    const failed = steps.find((s) => !s.ok)!;
    assert.match(failed.step, /^upgrade 1\.1\.0-1 → 1\.2\.0-1$/);
    assert.match(failed.detail, /expected stopped and not enabled: hello-svc-add-worker\.service/);
  });

  it('says which tools are missing (E_VERIFY_UNAVAILABLE) when systemd-nspawn and debootstrap are not on PATH', () => {
    const r = mkpkg(['verify', pk.hello['1.0.0'].deb], { env: { PATH: '/nonexistent' } });
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stderr, /^error E_VERIFY_UNAVAILABLE: .*systemd-nspawn/m);
    assert.match(r.stderr, /debootstrap/);
    assert.match(r.stderr, /hint: .*apt-get install/);
  });
});
