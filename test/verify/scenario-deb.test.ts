import { strict as assert } from 'node:assert';
import { bootContainer, formatTable, inspectPackage, installDeb, leftovers, runScenario, type Container, type ScenarioResult } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { buildServiceDeb, freePortSync, testRootfs } from './fixtures.js';

describe('verify: scenario on a .deb', function () {
  this.timeout(900_000);
  let rootfs: string;
  let dir: string;
  const port = freePortSync();
  before(async function () {
    rootfs = await testRootfs(this);
    requireTools(this, 'dpkg-deb');
    dir = scratch();
  });

  it('upgrade path: install 1.0 → active+enabled, upgrade → new MainPID, remove → stopped, purge → nothing left, reinstall → active', async () => {
    const v1 = buildServiceDeb(dir, { name: 'hello-harness', version: '1.0', port });
    const v2 = buildServiceDeb(dir, { name: 'hello-harness', version: '1.1', port });
    const seen: string[] = [];
    const r: ScenarioResult = await runScenario({ pkg: v2, upgradeFrom: v1, rootfs, onStep: (s) => seen.push(s.step) });
    const table = formatTable(r.steps);
    console.log(table.replace(/^/gm, '      '));
    assert.deepEqual(r.steps.map((s) => s.step), ['prepare rootfs', 'boot container', 'install 1.0', 'upgrade 1.0 → 1.1', 'remove', 'purge', 'reinstall', 'stop container']);
    assert.deepEqual(seen, r.steps.map((s) => s.step), 'onStep saw every step in order');
    assert.ok(r.ok, table);
    assert.deepEqual(r.package, { name: 'hello-harness', version: '1.1', kind: 'deb', units: ['hello-harness.service'] });
    const upgrade = r.steps[3]!.detail;
    const m = /MainPID (\d+) → (\d+)/.exec(upgrade);
    assert.ok(m && m[1] !== m[2] && m[1] !== '0', upgrade);
    assert.match(r.steps[2]!.detail, /hello-harness\.service active\/enabled pid \d+/);
  });

  it('fails the install step (and says why) when the postinst does not start the service', async () => {
    const broken = buildServiceDeb(dir, { name: 'hello-nostart', version: '1.0', port, noStart: true });
    const r = await runScenario({ pkg: broken, rootfs, serviceTimeoutMs: 3_000 });
    assert.equal(r.ok, false);
    const install = r.steps.find((s) => s.step === 'install 1.0')!;
    assert.equal(install.ok, false);
    assert.match(install.detail, /hello-nostart\.service inactive\/enabled; expected active \+ enabled/);
    assert.ok(r.steps.find((s) => s.step === 'stop container')!.ok, 'the container is still cleaned up');
  });

  it('fails the install step when the service runs but is not enabled (it would not come back after a reboot)', async () => {
    const broken = buildServiceDeb(dir, { name: 'hello-noenable', version: '1.0', port, noEnable: true });
    const r = await runScenario({ pkg: broken, rootfs, serviceTimeoutMs: 3_000 });
    const install = r.steps.find((s) => s.step === 'install 1.0')!;
    assert.equal(install.ok, false, install.detail);
    assert.match(install.detail, /hello-noenable\.service active\/disabled pid \d+; expected active \+ enabled/);
  });

  it('fails the upgrade step when the service is not restarted, and the purge step when unit state is left', async () => {
    const v1 = buildServiceDeb(dir, { name: 'hello-sloppy', version: '1.0', port, noRestart: true, noPurge: true });
    const v2 = buildServiceDeb(dir, { name: 'hello-sloppy', version: '1.1', port, noRestart: true, noPurge: true });
    const r = await runScenario({ pkg: v2, upgradeFrom: v1, rootfs, serviceTimeoutMs: 3_000 });
    const by = new Map(r.steps.map((s) => [s.step, s]));
    assert.equal(r.ok, false);
    assert.equal(by.get('install 1.0')!.ok, true);
    assert.equal(by.get('upgrade 1.0 → 1.1')!.ok, false);
    assert.match(by.get('upgrade 1.0 → 1.1')!.detail, /MainPID (\d+) → \1; expected a new MainPID/);
    assert.equal(by.get('remove')!.ok, true);
    assert.equal(by.get('purge')!.ok, false);
    assert.match(by.get('purge')!.detail, /unit state left: .*multi-user\.target\.wants\/hello-sloppy\.service/);
    assert.match(by.get('purge')!.detail, /deb-systemd-helper-enabled\/hello-sloppy\.service\.dsh-also/);
  });

  it('the installed service answers HTTP from inside the container with the new version after an upgrade', async () => {
    const v1 = buildServiceDeb(dir, { name: 'hello-http', version: '2.0', port });
    const v2 = buildServiceDeb(dir, { name: 'hello-http', version: '2.1', port });
    let c: Container | undefined;
    try {
      c = await bootContainer({ rootfs, name: 'deb-http' });
      await installDeb(c, v1);
      const up = () => c!.httpGet(port, '/').then(() => true, () => false);
      assert.ok(await c.waitFor(up, 10_000));
      assert.match(await c.httpGet(port, '/'), /^hello 2\.0 pid \d+\n$/);
      // What the purge check would report for an installed package: its own paths, not the shared directories.
      assert.deepEqual(await leftovers(c, await inspectPackage(v1), rootfs), [
        '/etc/hello-http/', '/etc/hello-http/greeting', '/lib/systemd/system/hello-http.service', '/usr/lib/hello-http/', '/usr/lib/hello-http/server.js',
      ]);
      await installDeb(c, v2);
      assert.ok(await c.waitFor(async () => /^hello 2\.1 /.test(await c!.httpGet(port, '/').catch(() => '')), 10_000));
    } finally {
      await c?.stop();
    }
  });
});
