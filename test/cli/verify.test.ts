/**
 * `mkpkg verify` through the CLI: the lifecycle scenario on the user's own package in a booted
 * systemd container, its pass/fail table, --json, --upgrade-from, and the clear error when the
 * host lacks what it needs.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { packages, type Built, type Packages } from '../lifecycle-e2e/support/packages.js';
import { buildProject, packageJson, writeProject } from '../lifecycle-e2e/support/project.js';
import { sharedRootfs } from '../support/rootfs.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { helloServicePort } from '../support/ports.js';
import { mkpkg } from './helpers.js';

/** Package hello-crash at `version` with one service running `command` (Restart=on-failure, the default policy). */
function crashProject(version: string, command: string, out: string): Built {
  return buildProject(writeProject({
    'package.json': packageJson('hello-crash', version),
    'mkpkg.config.json': JSON.stringify({ maintainer: 'Acme Ops <ops@acme.example>', app: false, services: [{ name: 'hello-crash', command }] }),
  }), out);
}

interface VerifyJson { ok: boolean; steps: { step: string; ok: boolean; detail: string }[] }

describe('cli: mkpkg verify', function () {
  this.timeout(1_800_000);
  let pk: Packages;
  let crash: { steady: Built; late: Built };

  before(async function () {
    requireRoot(this);
    requireTools(this, 'systemd-nspawn', 'debootstrap', 'dpkg-deb', 'rpm');
    // The rootfs `mkpkg verify` boots (same MKPKG_CACHE_DIR) and the packages come from the shared setup, before any test.
    await sharedRootfs();
    pk = await packages();
    const out = join(scratch('mkpkg-verify-crash-'), 'out');
    // 1.0.0 runs fine; 1.1.0 crashes 2 s after every start, so each start looks successful at first.
    crash = { steady: crashProject('1.0.0', '/bin/sleep infinity', out), late: crashProject('1.1.0', "/bin/sh -c 'sleep 2; exit 1'", out) };
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

  it('passes a good .rpm and prints a table ending in PASS; the service stays up for the settle period and its health URL answers', () => {
    const r = mkpkg(['verify', pk.hello['1.0.0'].rpm, '--health-url', `http://127.0.0.1:${helloServicePort()}/`]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /STEP\s+RESULT/);
    assert.match(r.stdout, /^install 1\.0\.0-1\s+ok .*stayed up for 5 s \(same MainPID, no restarts\); health URL http:\/\/127\.0\.0\.1:\d+\/ answered/m);
    assert.match(r.stdout, /^reinstall\s+ok .*stayed up for 5 s/m);
    assert.match(r.stdout.trim(), /PASS$/);
  });

  it('fails a release whose service crashes 2 s after each start (a crash loop), at the install step, with the restart count (issue 10 item 14)', () => {
    const r = mkpkg(['verify', crash.late.deb, '--json']);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    const steps = (JSON.parse(r.stdout) as VerifyJson).steps;
    const failed = steps.find((s) => !s.ok)!;
    assert.equal(failed.step, 'install 1.1.0-1', JSON.stringify(steps, null, 1));
    assert.match(failed.detail, /hello-crash\.service did not stay up for 5 s: restarted [1-9]\d* times? \(NRestarts 0 → [1-9]\d*\), MainPID [1-9]\d* → \d+/);
  });

  it('fails an upgrade to a crash-looping release at the upgrade step, and a failing health command at the install step', () => {
    const up = mkpkg(['verify', crash.late.rpm, '--upgrade-from', crash.steady.rpm, '--json']);
    assert.equal(up.status, 1, up.stderr + up.stdout);
    const steps = (JSON.parse(up.stdout) as VerifyJson).steps;
    assert.deepEqual(steps.filter((s) => /^(install|upgrade)/.test(s.step)).map((s) => [s.step, s.ok]), [['install 1.0.0-1', true], ['upgrade 1.0.0-1 → 1.1.0-1', false]]);
    assert.match(steps.find((s) => !s.ok)!.detail, /hello-crash\.service did not stay up for 5 s: restarted [1-9]\d* times?/);
    const sick = mkpkg(['verify', crash.steady.deb, '--timeout', '3', '--health-cmd', 'test -e /run/hello-crash/ready', '--json']);
    assert.equal(sick.status, 1, sick.stderr + sick.stdout);
    const first = (JSON.parse(sick.stdout) as VerifyJson).steps.find((s) => !s.ok)!;
    assert.equal(first.step, 'install 1.0.0-1');
    assert.match(first.detail, /stayed up for 5 s .*health command "test -e \/run\/hello-crash\/ready" exited 1 \(retried for 3 s\)/);
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
