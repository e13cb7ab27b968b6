/**
 * A service added by an upgrade: hello-svc-add 1.0.0 has one service, 1.1.0 adds a second. After the
 * upgrade the new unit is enabled and running, as after a fresh install, on both families, while
 * the service the old version already had is restarted as usual, and an admin's stop of it kept.
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn } from '../../src/verify/index.js';
import { Flow, withContainer } from './support/flow.js';
import { packages, type Packages } from './support/packages.js';

const MAIN = 'hello-svc-add.service';
const WORKER = 'hello-svc-add-worker.service';

for (const family of ['deb', 'rpm'] as const) {
  describe(`a service added by an upgrade, through ${family === 'deb' ? 'dpkg' : 'rpm'}`, function () {
    this.timeout(120_000);
    const flow = new Flow();
    let pkgs: Packages;
    withContainer(flow, `e2e-added-${family}`, async () => { pkgs = await packages(); });
    // --nodeps: the Debian container's rpm database is empty (see the rpm-rpm flow).
    const install = async (path: string, upgrade: boolean) => flow.c.exec(family === 'deb'
      ? ['dpkg', '-i', await copyPackageIn(flow.c, path)]
      : ['rpm', upgrade ? '-U' : '-i', '--nodeps', await copyPackageIn(flow.c, path)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    const state = async (unit: string) => (await flow.c.exec(['systemctl', 'show', '--value', '-p', 'UnitFileState,ActiveState', unit])).stdout.trim().split('\n').reverse().join(' ');

    flow.step('1.0.0 installs with one service, enabled and running; the worker unit does not exist yet', async () => {
      const r = await install(pkgs.addedService.one[family], false);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.equal(await state(MAIN), 'enabled active');
      assert.match((await flow.c.exec(['systemctl', 'show', '--value', '-p', 'LoadState', WORKER])).stdout.trim(), /not-found/);
    });

    flow.step('upgrading to 1.1.0 enables and starts the new worker service; the old service keeps running (restarted)', async () => {
      const before = (await flow.c.unitState(MAIN)).mainPid;
      const r = await install(pkgs.addedService.two[family], true);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.equal(await state(WORKER), 'enabled active');
      assert.equal(await state(MAIN), 'enabled active');
      assert.notEqual((await flow.c.unitState(MAIN)).mainPid, before, 'the existing service was restarted');
    });

    flow.step('reinstalling 1.1.0 with the worker stopped by the admin keeps it stopped (it is no longer new)', async () => {
      await flow.c.exec(['systemctl', 'stop', WORKER]);
      const r = await flow.c.exec(family === 'deb'
        ? ['dpkg', '-i', await copyPackageIn(flow.c, pkgs.addedService.two.deb)]
        : ['rpm', '-U', '--replacepkgs', '--nodeps', await copyPackageIn(flow.c, pkgs.addedService.two.rpm)]);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.equal(await state(WORKER), 'enabled inactive');
      const rm = await flow.c.exec(family === 'deb' ? ['dpkg', '-P', 'hello-svc-add'] : ['rpm', '-e', '--nodeps', 'hello-svc-add']);
      assert.equal(rm.code, 0, rm.stderr);
    });
  });
}
