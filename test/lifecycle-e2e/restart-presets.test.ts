/**
 * Issue 10 item 13: a crash-looping service ends `failed` (the generated unit's start limit), also
 * when each failing start is slow, as on a loaded machine; item 15: both package families honour
 * systemd presets on the first install, and neither starts a unit the presets left disabled.
 * One booted container; each package is removed before the next step.
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn, type Container } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { Flow, journal, shOut, waitActive, withContainer } from './support/flow.js';
import { buildProject, packageJson, writeProject } from './support/project.js';
import type { Built } from './support/packages.js';

function servicePackage(name: string, command: string, out: string): Built {
  return buildProject(writeProject({
    'package.json': packageJson(name, '1.0.0'),
    'mkpkg.config.json': JSON.stringify({ maintainer: 'Acme Ops <ops@acme.example>', app: false, services: [{ name, command }] }),
  }), out);
}

/** Result, ActiveState, SubState and NRestarts of `unit`. */
async function show(c: Container, unit: string): Promise<Record<string, string>> {
  const out = await shOut(c, `systemctl show -p Result -p ActiveState -p SubState -p NRestarts ${unit}`);
  return Object.fromEntries(out.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/**
 * Wait (up to a generous `wallMs`, never a timing assertion) until `unit` is failed; returns its state.
 * The documented bound is 10 × (RestartSec 1 s + the time a failing start takes).
 */
async function waitFailed(c: Container, unit: string, wallMs: number): Promise<Record<string, string>> {
  let st = await show(c, unit);
  await c.waitFor(async () => (st = await show(c, unit)).ActiveState === 'failed', wallMs, 1000);
  return st;
}

const DEB_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const PRESET = '/etc/systemd/system-preset/50-admin.preset';

describe('restart policy and systemd presets in a booted container', function () {
  this.timeout(600_000);
  const flow = new Flow();
  let fast: Built;
  let slow: Built;
  let preset: Built;
  const dpkg = async (...args: string[]) => flow.c.execOk(['dpkg', ...args], { env: DEB_ENV });
  withContainer(flow, 'e2e-restart-presets', async () => {
    const out = scratch('mkpkg-e2e-restart-');
    fast = servicePackage('hello-loop-fast', "/bin/sh -c 'exit 1'", out);
    // 2.5 s per failing start: with systemd's default limit (5 starts in 10 s) this loops forever.
    slow = servicePackage('hello-loop-slow', "/bin/sh -c 'sleep 2.5; exit 1'", out);
    preset = servicePackage('hello-preset', '/bin/sleep infinity', out);
  });

  for (const [label, pkg] of [['exits 1 at once', () => fast], ['exits 1 after 2.5 s at every start (a slow machine)', () => slow]] as const) {
    flow.step(`a service that ${label} ends failed (start limit) instead of restarting forever`, async () => {
      const b = pkg();
      const name = b.deb.includes('loop-fast') ? 'hello-loop-fast' : 'hello-loop-slow';
      await dpkg('-i', await copyPackageIn(flow.c, b.deb));
      const st = await waitFailed(flow.c, `${name}.service`, 240_000);
      assert.equal(st.ActiveState, 'failed', `still ${st.ActiveState}/${st.SubState} after 240 s, NRestarts=${st.NRestarts}${await journal(flow.c, `${name}.service`)}`);
      // systemd 252 keeps Result=exit-code when it refuses the restart; the journal says why.
      assert.match(await shOut(flow.c, `journalctl -u ${name}.service --no-pager -o cat`), /Start request repeated too quickly/);
      assert.ok(Number(st.NRestarts) <= 10, `at most StartLimitBurst (10) starts, NRestarts=${st.NRestarts}`);
      await dpkg('-P', name);
    });
  }

  flow.step(`with "disable hello-preset.service" in ${PRESET}, .deb and .rpm leave the unit disabled and stopped on install`, async () => {
    await flow.c.writeFile(PRESET, 'disable hello-preset.service\n');
    await dpkg('-i', await copyPackageIn(flow.c, preset.deb));
    let st = await flow.c.unitState('hello-preset.service');
    assert.deepEqual([st.enabled, st.active], ['disabled', 'inactive'], '.deb (deb-systemd-helper presets, deb-systemd-invoke starts only enabled units)');
    await dpkg('-P', 'hello-preset');
    await flow.c.execOk(['rpm', '-i', '--nodeps', await copyPackageIn(flow.c, preset.rpm)]);
    st = await flow.c.unitState('hello-preset.service');
    assert.deepEqual([st.enabled, st.active], ['disabled', 'inactive'], '.rpm (%post: systemctl preset; started only when enabled)');
    await flow.c.execOk(['rpm', '-e', '--nodeps', 'hello-preset']);
  });

  flow.step('without that preset both families enable and start it (systemd\'s default preset is enable)', async () => {
    await flow.c.execOk(['rm', PRESET]);
    await flow.c.execOk(['rpm', '-i', '--nodeps', await copyPackageIn(flow.c, preset.rpm)]);
    let st = await waitActive(flow.c, 'hello-preset.service');
    assert.deepEqual([st.enabled, st.active], ['enabled', 'active'], '.rpm');
    await flow.c.execOk(['rpm', '-e', '--nodeps', 'hello-preset']);
    await dpkg('-i', await copyPackageIn(flow.c, preset.deb));
    st = await waitActive(flow.c, 'hello-preset.service');
    assert.deepEqual([st.enabled, st.active], ['enabled', 'active'], '.deb');
    await dpkg('-P', 'hello-preset');
  });
});
