/**
 * The first line of a generated unit is the contract between versions: a later version stops and
 * disables the units an earlier one generated and no longer ships, found by that line.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { generateLifecycle, type LifecycleOutput } from '../../src/lifecycle/index.js';
import { SYSTEMD_UNIT_DIR } from '../../src/lifecycle/defaults.js';
import { UNIT_SIGNATURE, unitSignature, unitSignatureShell } from '../../src/lifecycle/unit-signature.js';
import type { ServiceSpec } from '../../src/config/schema.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { Sandbox, unpack } from './support/sandbox.js';
import { PKG, UNIT, sampleInput } from './support/sample.js';

const WORKER = 'hello-worker.service';
const OTHER = 'other-app.service';
const worker: ServiceSpec = { name: 'hello-worker', command: '/bin/true' };
const unitText = (out: LifecycleOutput, unit: string) => out.entries.find((e) => e.path === `${SYSTEMD_UNIT_DIR}/${unit}`)!.data as string;
const sq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

describe('unit signature', () => {
  it('the writer puts it on the first line of every generated unit', () => {
    const out = generateLifecycle(sampleInput({}, { services: [{ name: PKG }, worker] }));
    for (const u of [UNIT, WORKER]) assert.equal(unitText(out, u).split('\n')[0], unitSignature(u, PKG));
    assert.equal(unitSignature('a.service', 'b'), UNIT_SIGNATURE.replace('{unit}', 'a.service').replace('{pkg}', 'b'));
  });

  it('the reader\'s shell word is the same line for any unit and package name', () => {
    for (const [unit, pkg] of [['a.service', 'b'], ["it's.service", 'x+y'], ['$HOME.service', 'p_q']]) {
      const r = spawnSync('/bin/sh', ['-c', `_mkpkg_u=$1; printf %s ${unitSignatureShell('_mkpkg_u', pkg)}`, 'sh', unit], { encoding: 'utf8' });
      assert.equal(r.stdout, unitSignature(unit, pkg));
    }
  });

  describe('across versions: 1.0 ships hello-worker, 2.0 drops it', function () {
    let sb: Sandbox;
    let v1: LifecycleOutput;
    let v2: LifecycleOutput;
    before(function () {
      requireRoot(this);
      requireTools(this, 'unshare');
      sb = new Sandbox();
      v1 = generateLifecycle(sampleInput({}, { version: '1.0.0', services: [{ name: PKG }, worker] }));
      v2 = generateLifecycle(sampleInput({}, { version: '2.0.0' }));
    });

    /** 1.0's worker unit as rendered, another package's unit, both enabled and running; then `upgrade` runs. */
    const scenario = (upgradeScript: string, arg: string) => {
      const other = unitText(v1, WORKER).replace(/^[^\n]*/, `# ${OTHER}: written by hand for another package.`);
      return sb.run(
        [
          unpack(UNIT),
          { admin: `systemctl enable ${WORKER} ${OTHER} && systemctl start ${WORKER} ${OTHER}` },
          { script: upgradeScript, args: [arg] },
        ],
        { setup: `printf %s ${sq(unitText(v1, WORKER))} > ${SYSTEMD_UNIT_DIR}/${WORKER} && printf %s ${sq(other)} > ${SYSTEMD_UNIT_DIR}/${OTHER}` },
      );
    };

    it('deb: 2.0\'s preinst stops and purges the worker 1.0 generated, and leaves a unit without the signature alone', () => {
      const r = scenario(sb.put('deb2', v2.debScripts).preinst!, 'upgrade');
      assert.ok(r.status.every((s) => s === 0), r.status.join());
      assert.deepEqual(r.events.filter((e) => e.includes(WORKER)).slice(-2), [`STOP ${WORKER}`, `PURGE ${WORKER}`]);
      assert.ok(!r.events.some((e) => e.includes(OTHER) && !e.startsWith('START') && !e.startsWith('ENABLE')), r.events.join('\n'));
      assert.deepEqual(r.active, [OTHER]);
    });

    it('rpm: 2.0\'s %pre stops and disables the worker 1.0 generated, and leaves a unit without the signature alone', () => {
      const r = scenario(sb.put('rpm2', v2.rpmScripts).pre!, '2');
      assert.ok(r.status.every((s) => s === 0), r.status.join());
      assert.deepEqual(r.events.filter((e) => e.includes(WORKER)).slice(-2), [`STOP ${WORKER}`, `DISABLE ${WORKER}`]);
      assert.deepEqual(r.active, [OTHER]);
      assert.deepEqual(r.enabled, [OTHER]);
    });
  });
});
