/**
 * Services added and dropped by upgrades: hello-svc-add 1.0.0 has one service, 1.1.0 adds a
 * second, 1.2.0 drops it again. On both families an added unit is enabled and started as after a
 * fresh install, a dropped one is stopped and disabled before its file goes away, and the service
 * every version has is restarted as usual; an admin's stop is kept.
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn } from '../../src/verify/index.js';
import { Flow, withContainer } from './support/flow.js';
import { packages, type Packages } from './support/packages.js';

const PKG = 'hello-svc-add';
const MAIN = `${PKG}.service`;
const WORKER = `${PKG}-worker.service`;

for (const family of ['deb', 'rpm'] as const) {
  describe(`services added and dropped by upgrades, through ${family === 'deb' ? 'dpkg' : 'rpm'}`, function () {
    this.timeout(600_000);
    const flow = new Flow();
    let pkgs: Packages;
    withContainer(flow, `e2e-added-${family}`, async () => { pkgs = await packages(); });
    // --nodeps: the Debian container's rpm database is empty (see the rpm-rpm flow); --oldpackage for the downgrade.
    const install = async (path: string) => flow.c.exec(family === 'deb'
      ? ['dpkg', '-i', await copyPackageIn(flow.c, path)]
      : ['rpm', '-U', '--replacepkgs', '--oldpackage', '--nodeps', await copyPackageIn(flow.c, path)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    const installOk = async (path: string) => {
      const r = await install(path);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.doesNotMatch(r.stderr, /scriptlet failed|returned error exit status/);
    };
    /** "UnitFileState ActiveState LoadState". */
    const state = async (unit: string) => {
      const p = Object.fromEntries((await flow.c.exec(['systemctl', 'show', '-p', 'UnitFileState,ActiveState,LoadState', unit])).stdout.trim().split('\n').map((l) => l.split('=')));
      return `${p.UnitFileState || '-'} ${p.ActiveState} ${p.LoadState}`;
    };
    const pid = async (unit: string) => (await flow.c.unitState(unit)).mainPid;

    flow.step('1.0.0 installs with one service, enabled and running; the worker unit does not exist yet', async () => {
      await installOk(pkgs.addedService.one[family]);
      assert.equal(await state(MAIN), 'enabled active loaded');
      assert.equal(await state(WORKER), '- inactive not-found');
    });

    flow.step('upgrading to 1.1.0 enables and starts the new worker service; the old service is restarted', async () => {
      const before = await pid(MAIN);
      await installOk(pkgs.addedService.two[family]);
      assert.equal(await state(WORKER), 'enabled active loaded');
      assert.equal(await state(MAIN), 'enabled active loaded');
      assert.notEqual(await pid(MAIN), before, 'the existing service was restarted');
    });

    flow.step('upgrading to 1.2.0, which drops the worker: it is stopped and disabled, no enable link is left; the main service restarted', async () => {
      const before = await pid(MAIN);
      await installOk(pkgs.addedService.dropped[family]);
      assert.equal(await state(WORKER), '- inactive not-found');
      const links = await flow.c.exec(['sh', '-c', `find /etc/systemd/system -name ${WORKER} | grep . || echo none`]);
      assert.equal(links.stdout.trim(), 'none');
      assert.equal(await state(MAIN), 'enabled active loaded');
      assert.notEqual(await pid(MAIN), before, 'the service every version has was restarted');
    });

    flow.step('going back to 1.1.0 starts the worker again (it is new again); with the admin stopping it, a reinstall keeps it stopped', async () => {
      await installOk(pkgs.addedService.two[family]);
      assert.equal(await state(WORKER), 'enabled active loaded');
      await flow.c.exec(['systemctl', 'stop', WORKER]);
      await installOk(pkgs.addedService.two[family]);
      assert.equal(await state(WORKER), 'enabled inactive loaded');
      const rm = await flow.c.exec(family === 'deb' ? ['dpkg', '-P', PKG] : ['rpm', '-e', '--nodeps', PKG]);
      assert.equal(rm.code, 0, rm.stderr);
      assert.equal(await state(WORKER), '- inactive not-found');
    });
  });
}
