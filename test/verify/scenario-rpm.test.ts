import { strict as assert } from 'node:assert';
import { formatTable, runScenario } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { buildServiceRpm, freePortSync, testRootfs } from './fixtures.js';

describe('verify: scenario on an .rpm', function () {
  this.timeout(900_000);
  let rootfs: string;
  let dir: string;
  before(async function () {
    rootfs = await testRootfs(this);
    requireTools(this, 'rpmbuild', 'rpm');
    dir = scratch();
  });

  it('upgrade path: rpm -i 1.0 → active+enabled, rpm -U 1.1 → new MainPID, rpm -e → stopped and nothing left, reinstall → active', async () => {
    const port = freePortSync();
    const v1 = buildServiceRpm(dir, { name: 'hello-rpm', version: '1.0', port });
    const v2 = buildServiceRpm(dir, { name: 'hello-rpm', version: '1.1', port });
    const r = await runScenario({ pkg: v2, upgradeFrom: v1, rootfs });
    const table = formatTable(r.steps);
    console.log(table.replace(/^/gm, '      '));
    assert.deepEqual(r.steps.map((s) => s.step), ['prepare rootfs', 'boot container', 'install 1.0-1', 'upgrade 1.0-1 → 1.1-1', 'erase', 'reinstall', 'stop container']);
    assert.ok(r.ok, table);
    assert.deepEqual(r.package, { name: 'hello-rpm', version: '1.1-1', kind: 'rpm', units: ['hello-rpm.service'] });
    assert.match(r.steps[2]!.detail, /^rpm -i \(rpm --nodeps: .*\): hello-rpm\.service active\/enabled pid \d+/);
    const m = /MainPID (\d+) → (\d+)/.exec(r.steps[3]!.detail);
    assert.ok(m && m[1] !== m[2], r.steps[3]!.detail);
    assert.match(r.steps[4]!.detail, /hello-rpm\.service inactive\/(not-found|disabled).*none of the package's 5 paths left/);
  });

  it('fails the install step when %post enables but does not start the service', async () => {
    const broken = buildServiceRpm(dir, { name: 'hello-rpm-nostart', version: '1.0', port: freePortSync(), noStart: true });
    const r = await runScenario({ pkg: broken, rootfs, serviceTimeoutMs: 3_000 });
    assert.equal(r.ok, false);
    const install = r.steps.find((s) => s.step === 'install 1.0-1')!;
    assert.match(install.detail, /hello-rpm-nostart\.service inactive\/enabled; expected active \+ enabled/);
  });
});
