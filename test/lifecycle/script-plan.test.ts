/** scriptPlan: what the maintainer scripts do, as data; and how long the rendered scripts are. */
import { strict as assert } from 'node:assert';
import { generateLifecycle } from '../../src/lifecycle/index.js';
import { scriptPlan, type ScriptFamily, type ScriptPlanInput } from '../../src/lifecycle/script-plan.js';
import type { ResolvedService } from '../../src/lifecycle/types.js';
import type { LauncherModel } from '../../src/lifecycle/launcher.js';
import { sampleInput } from './support/sample.js';

const PKG = 'shop';

function svc(name: string, extra: Partial<ResolvedService> = {}): ResolvedService {
  const unit = `${name}.service`;
  return {
    name, unit, units: [unit], startUnits: [unit], generated: true, user: name, group: name, environment: [],
    stateDirectories: [], logsDirectories: [], cacheDirectories: [], runtimeDirectories: [],
    directives: { unit: [], service: [], install: [] },
    enable: true, start: true, onUpgrade: 'restart', failOnStartError: false,
    ...extra,
  };
}

function plan(family: ScriptFamily, services: ResolvedService[], extra: Partial<ScriptPlanInput> = {}) {
  return scriptPlan({ family, pkg: PKG, services, users: [], groups: [], ownedPaths: [], launcher: null, shipsHooks: false, ...extra });
}

const M = `/run/mkpkg/${PKG}`;

describe('scriptPlan', () => {
  it('one service, defaults: enabled and started on install, restarted on upgrade, stopped on remove, forgotten on purge (deb)', () => {
    const p = plan('deb', [svc('shop', { stateDirectories: ['shop'], runtimeDirectories: ['shop'] })], { ownedPaths: [{ path: '/etc/shop/key', owner: 'shop', group: 'shop', mode: 0o640, kind: 'file' }] });
    assert.deepEqual(p.markers, { dir: M, upgrade: `${M}/upgrade`, postUpgrade: `${M}.post-upgrade` });
    assert.deepEqual(p.install, { enable: ['shop.service'], keepState: [], start: [{ unit: 'shop.service', checked: false, fatal: false }] });
    assert.deepEqual(p.upgrade, {
      retire: true,
      restart: [{ unit: 'shop.service', units: ['shop.service'], checked: false }],
      stopStart: [],
      markNew: [{ unit: 'shop.service', marker: `${M}/shop.service.new` }],
      enableNew: [],
      startNew: [{ unit: 'shop.service', checked: false, fatal: false, marker: `${M}/shop.service.new` }],
    });
    assert.deepEqual(p.remove, ['shop.service']);
    assert.deepEqual(p.purge, { forget: ['shop.service'], dirs: ['/var/lib/shop'] });
    assert.equal(p.ownedPaths.length, 1, 'deb gives owners after adduser');
    assert.deepEqual(p.needs, { startCheck: false, startCheckOnInstall: false, upgradeRestart: true, enabledCheck: false });
    assert.equal(p.hooks, null);
  });

  it('the same service on rpm: presets enable new units in %post, starts wait for the presets, no purge, no chown', () => {
    const p = plan('rpm', [svc('shop', { stateDirectories: ['shop'] })], { ownedPaths: [{ path: '/etc/shop/key', owner: 'shop', group: 'shop', mode: 0o640, kind: 'file' }] });
    assert.deepEqual(p.upgrade.enableNew, [{ unit: 'shop.service', marker: `${M}/shop.service.new` }]);
    assert.deepEqual(p.purge, { forget: [], dirs: [] });
    assert.deepEqual(p.ownedPaths, []);
    assert.equal(p.needs.enabledCheck, true);
  });

  it('each onUpgrade policy: restart, stop-start (stopped before, started after when it was active), keep-running (neither)', () => {
    const p = plan('deb', [svc('a'), svc('b', { onUpgrade: 'stop-start' }), svc('c', { onUpgrade: 'keep-running' })]);
    assert.deepEqual(p.upgrade.restart.map((r) => r.unit), ['a.service']);
    assert.deepEqual(p.upgrade.stopStart, [{ unit: 'b.service', checked: false, fatal: false, marker: `${M}/b.service.was-active` }]);
    assert.deepEqual(p.upgrade.startNew.map((s) => s.unit), ['a.service', 'b.service', 'c.service'], 'a unit new in this version starts whatever the policy');
    const keep = plan('rpm', [svc('c', { onUpgrade: 'keep-running' })]);
    assert.deepEqual([keep.upgrade.restart, keep.upgrade.stopStart, keep.needs.upgradeRestart], [[], [], false]);
  });

  it('failOnStartError: service starts and restarts are checked and fatal; a timer is fatal but not watched', () => {
    const s = svc('job', { failOnStartError: true, units: ['job.service', 'job.timer'], startUnits: ['job.timer'] });
    const p = plan('rpm', [s]);
    assert.deepEqual(p.install.start, [{ unit: 'job.timer', checked: false, fatal: true }]);
    assert.deepEqual(p.upgrade.restart, [{ unit: 'job.service', units: ['job.service', 'job.timer'], checked: true }]);
    assert.deepEqual(p.upgrade.markNew.map((n) => n.unit), ['job.service', 'job.timer'], 'rpm marks every unit (to enable it)');
    assert.deepEqual(plan('deb', [s]).upgrade.markNew.map((n) => n.unit), ['job.timer'], 'deb marks the units it starts');
    assert.deepEqual(p.needs, { startCheck: true, startCheckOnInstall: false, upgradeRestart: true, enabledCheck: true });
    const web = plan('deb', [svc('web', { failOnStartError: true, onUpgrade: 'stop-start' })]);
    assert.deepEqual(web.upgrade.stopStart[0], { unit: 'web.service', checked: true, fatal: true, marker: `${M}/web.service.was-active` });
    assert.equal(web.needs.startCheckOnInstall, true);
  });

  it('enable: false keeps the admin\'s state (deb), start: false starts nothing; remove goes last declared first', () => {
    const p = plan('deb', [svc('a', { enable: false }), svc('b', { start: false, startUnits: [] })]);
    assert.deepEqual(p.install.enable, ['b.service']);
    assert.deepEqual(p.install.keepState, ['a.service']);
    assert.deepEqual(p.install.start.map((s) => s.unit), ['a.service']);
    assert.deepEqual(p.remove, ['b.service', 'a.service']);
    assert.deepEqual(p.purge.forget, ['b.service', 'a.service']);
    assert.equal(plan('rpm', [svc('b', { start: false, startUnits: [] })]).needs.enabledCheck, false);
  });

  it('upgrade hooks: through the installed launcher, with the hook runner only when the package ships hooks', () => {
    const launcher = { path: '/usr/bin/shop', pkg: PKG } as LauncherModel;
    assert.deepEqual(plan('deb', [svc('shop')], { launcher }).hooks, { launcher: '/usr/bin/shop', runner: null });
    assert.equal(plan('rpm', [svc('shop')], { launcher, shipsHooks: true }).hooks!.runner, launcher);
    const none = plan('deb', [], { launcher });
    assert.deepEqual([none.units, none.upgrade.retire, none.upgrade.markNew, none.hooks!.launcher], [[], false, [], '/usr/bin/shop']);
  });

  it('is data: JSON round-trips it unchanged', () => {
    const p = plan('deb', [svc('a', { onUpgrade: 'stop-start', failOnStartError: true, logsDirectories: ['a'] }), svc('b')]);
    assert.deepEqual(p.purge.dirs, ['/var/log/a']);
    assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
  });
});

describe('maintainer script length', () => {
  const lines = (body: string) => body.replace(/\n$/, '').split('\n').length;
  it('a one-service package without hooks (the sample, with its launcher) has at most 120 lines of scripts per family', () => {
    const out = generateLifecycle(sampleInput({}, { launcher: undefined }));
    assert.ok(out.entries.some((e) => e.path === '/usr/bin/hello-service'), 'the sample has its launcher');
    const deb = Object.values(out.debScripts).reduce((n, s) => n + lines(s!.body), 0);
    const rpm = Object.values(out.rpmScripts).reduce((n, s) => n + lines(s!.body), 0);
    assert.ok(deb <= 120, `deb maintainer scripts: ${deb} lines`);
    assert.ok(rpm <= 120, `rpm scriptlets: ${rpm} lines`);
  });
});
