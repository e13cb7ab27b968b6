/**
 * The .rpm scriptlets replayed in rpm's transaction order with rpm's `$1` values
 * (rpm-scriptlets(7)): on upgrade the OLD package's %preun/%postun run after the NEW %post.
 */
import { strict as assert } from 'node:assert';
import { generateLifecycle } from '../../src/lifecycle/index.js';
import type { ServiceSpec } from '../../src/config/schema.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { Sandbox, afterFirst, afterLast, crash, unpack, type Step } from './support/sandbox.js';
import { PKG, UNIT, sampleInput } from './support/sample.js';

type Set = Record<string, string>;
/** rpm skips scriptlets a package does not have. */
const step = (s: Set, name: string, arg: number): Step[] => (s[name] ? [{ script: s[name], args: [arg] }] : []);
const UNPACK = unpack(UNIT);
const install = (s: Set): Step[] => [...step(s, 'pretrans', 1), ...step(s, 'pre', 1), UNPACK, ...step(s, 'post', 1), ...step(s, 'posttrans', 1)];
/** `posttransArg`: 1 on rpm 4.14, 2 on rpm 4.18. */
const upgrade = (old: Set, neu: Set, posttransArg: number): Step[] => [
  ...step(neu, 'pretrans', 2), ...step(neu, 'pre', 2), UNPACK, ...step(neu, 'post', 2), ...step(old, 'preun', 1), ...step(old, 'postun', 1), ...step(neu, 'posttrans', posttransArg),
];
const erase = (s: Set): Step[] => [...step(s, 'preun', 0), ...step(s, 'postun', 0)];

describe('rpm scriptlets (rpm transaction order, stubbed tools)', function () {
  let sb: Sandbox;
  let v1: Set;
  let v2: Set;
  const make = (set: string, service: Partial<ServiceSpec> = {}) => sb.put(set, generateLifecycle(sampleInput(service)).rpmScripts);
  before(function () {
    requireRoot(this);
    requireTools(this, 'unshare');
    sb = new Sandbox();
    v1 = make('v1');
    v2 = make('v2');
  });

  it('install creates the user in %pre, enables (as the presets say) and starts the service in %post', () => {
    const r = sb.run(install(v1));
    assert.ok(r.status.every((s) => s === 0), r.status.join());
    assert.deepEqual(r.users, [PKG]);
    assert.deepEqual(r.enabled, [UNIT]);
    assert.deepEqual(r.active, [UNIT]);
    const calls = r.calls;
    assert.ok(calls.findIndex((c) => c.startsWith('useradd')) < calls.findIndex((c) => c.startsWith('== v1/post ')), calls.join('\n'));
    assert.ok(calls.includes(`systemctl --no-reload --preset-mode=enable-only preset ${UNIT}`), calls.join('\n'));
  });

  for (const posttransArg of [1, 2]) {
    it(`upgrade restarts the service in %posttrans, after the old %preun/%postun (posttrans $1=${posttransArg})`, () => {
      const r = sb.run([...install(v1), ...upgrade(v1, v2, posttransArg)]);
      assert.ok(r.status.every((s) => s === 0), r.status.join());
      const up = r.calls.slice(r.calls.findIndex((c) => c.startsWith('== v2/pre 2')));
      const restart = up.indexOf(`systemctl try-restart ${UNIT}`);
      assert.ok(restart > up.findIndex((c) => c.startsWith('== v1/postun 1')), up.join('\n'));
      assert.deepEqual(afterFirst(r.events, `START ${UNIT}`), ['RELOAD', 'RELOAD', `RESTART ${UNIT}`]);
      assert.deepEqual(r.enabled, [UNIT]);
      assert.deepEqual(r.active, [UNIT]);
      assert.ok(!up.some((c) => / (enable|disable|stop) /.test(c)), 'nothing is enabled, disabled or stopped on upgrade');
    });
  }

  it('upgrade keeps an admin-stopped service stopped and an admin-disabled one disabled', () => {
    const r = sb.run([...install(v1), { admin: `systemctl disable --now ${UNIT}` }, ...upgrade(v1, v2, 2)]);
    assert.deepEqual(r.enabled, []);
    assert.deepEqual(r.active, []);
    const s = sb.run([...install(v1), { admin: `systemctl stop ${UNIT}` }, ...upgrade(v1, v2, 1)]);
    assert.deepEqual(s.enabled, [UNIT]);
    assert.deepEqual(s.active, []);
  });

  it('upgrade starts again a service the old version left failed (reset-failed first), with onUpgrade restart and stop-start', () => {
    const r = sb.run([...install(v1), crash(UNIT), ...upgrade(v1, v2, 2)]);
    assert.ok(r.status.every((s) => s === 0), r.status.join());
    assert.deepEqual(afterLast(r.events, 'RELOAD'), [`RESET-FAILED ${UNIT}`, `RESTART ${UNIT}`]);
    assert.deepEqual(r.active, [UNIT]);
    const a = make('ssf1', { onUpgrade: 'stop-start' });
    const b = make('ssf2', { onUpgrade: 'stop-start' });
    const ss = sb.run([...install(a), crash(UNIT), ...upgrade(a, b, 2)]);
    assert.ok(ss.status.every((s) => s === 0), ss.status.join());
    assert.deepEqual(afterFirst(ss.events, `START ${UNIT}`), [`RESET-FAILED ${UNIT}`, 'RELOAD', 'RELOAD', `START ${UNIT}`]);
    assert.deepEqual(ss.active, [UNIT]);
  });

  it('upgrade from a version without the unit enables it (presets) in %post and starts it in %posttrans; a reinstall then keeps an admin stop', () => {
    const v0 = sb.put('v0', generateLifecycle(sampleInput({}, { services: [] })).rpmScripts);
    const r = sb.run([...install(v0).filter((x) => !('unpack' in x)), ...upgrade(v0, v1, 2)]);
    assert.ok(r.status.every((x) => x === 0), r.status.join());
    assert.deepEqual(r.enabled, [UNIT]);
    assert.deepEqual(r.active, [UNIT]);
    const up = r.calls.slice(r.calls.findIndex((c) => c.startsWith('== v1/pre 2')));
    assert.ok(up.indexOf(`systemctl --no-reload --preset-mode=enable-only preset ${UNIT}`) >= 0 && up.indexOf(`systemctl --no-reload --preset-mode=enable-only preset ${UNIT}`) < up.indexOf(`systemctl start ${UNIT}`), up.join('\n'));
    assert.ok(up.findIndex((c) => c.startsWith('== v1/posttrans')) < up.indexOf(`systemctl start ${UNIT}`), 'started in %posttrans');
    const again = sb.run([...install(v1), { admin: `systemctl stop ${UNIT}` }, ...upgrade(v1, v1, 2)]);
    assert.deepEqual(again.active, []);
    assert.deepEqual(again.enabled, [UNIT]);
  });

  it('a preset that disables the unit (an admin\'s "disable UNIT" or a distribution\'s "disable *") leaves it disabled and not started, on install and on the upgrade that adds it', () => {
    const disable = { admin: `touch "$STUB_STATE/preset-disable/${UNIT}"` };
    const r = sb.run([disable, ...install(v1)]);
    assert.ok(r.status.every((x) => x === 0), r.status.join());
    assert.deepEqual(r.enabled, []);
    assert.deepEqual(r.active, []);
    assert.ok(r.calls.includes(`systemctl --no-reload --preset-mode=enable-only preset ${UNIT}`), r.calls.join('\n'));
    assert.ok(!r.calls.includes(`systemctl start ${UNIT}`), 'a unit the preset left disabled is not started');
    const v0 = sb.put('v0p', generateLifecycle(sampleInput({}, { services: [] })).rpmScripts);
    const added = sb.run([disable, ...install(v0).filter((x) => !('unpack' in x)), ...upgrade(v0, v1, 2)]);
    assert.ok(added.status.every((x) => x === 0), added.status.join());
    assert.deepEqual([added.enabled, added.active], [[], []]);
    // Presets only decide the first install: a unit that is already enabled stays enabled and is restarted on upgrade.
    const later = sb.run([...install(v1), disable, ...upgrade(v1, v2, 2)]);
    assert.deepEqual([later.enabled, later.active], [[UNIT], [UNIT]]);
  });

  it('downgrade runs the same sequence and restarts the service', () => {
    const r = sb.run([...install(v2), ...upgrade(v2, v1, 2)]);
    assert.deepEqual(r.active, [UNIT]);
    assert.ok(r.events.includes(`RESTART ${UNIT}`));
  });

  it('erase disables and stops the service, keeps the user', () => {
    const r = sb.run([...install(v1), ...erase(v1)]);
    assert.ok(r.status.every((s) => s === 0));
    assert.deepEqual(r.enabled, []);
    assert.deepEqual(r.active, []);
    assert.deepEqual(afterFirst(r.events, `START ${UNIT}`), [`DISABLE ${UNIT}`, `STOP ${UNIT}`, 'RELOAD']);
    assert.deepEqual(r.users, [PKG]);
    assert.ok(!r.events.includes('DELUSER'));
  });

  it('install without a running systemd enables the unit and starts nothing', () => {
    const r = sb.run(install(v1), { booted: false });
    assert.ok(r.status.every((s) => s === 0));
    assert.deepEqual(r.enabled, [UNIT]);
    assert.deepEqual(r.active, []);
    assert.ok(!r.calls.some((c) => /daemon-reload|start/.test(c) && !c.startsWith('==')), r.calls.join('\n'));
  });

  it('onUpgrade stop-start stops in %pre and starts in %posttrans only what was running', () => {
    const a = make('ss1', { onUpgrade: 'stop-start' });
    const b = make('ss2', { onUpgrade: 'stop-start' });
    const r = sb.run([...install(a), ...upgrade(a, b, 2)]);
    assert.deepEqual(afterFirst(r.events, `START ${UNIT}`), [`STOP ${UNIT}`, 'RELOAD', 'RELOAD', `START ${UNIT}`]);
    const stopped = sb.run([...install(a), { admin: `systemctl stop ${UNIT}` }, ...upgrade(a, b, 1)]);
    assert.deepEqual(stopped.active, []);
  });

  it('a failed start never fails a scriptlet unless failOnStartError', () => {
    const lenient = sb.run([{ admin: 'touch "$STUB_STATE/fail-start"' }, ...install(v1)]);
    assert.ok(lenient.status.every((s) => s === 0), lenient.status.join());
    const strict = make('strict', { failOnStartError: true });
    const r = sb.run([{ admin: 'touch "$STUB_STATE/fail-start"' }, ...install(strict)]);
    const post = r.calls.filter((c) => c.startsWith('==') && !c.startsWith('== unpack')).findIndex((c) => c.startsWith('== strict/post '));
    assert.equal(r.status[post], 1, r.calls.join('\n'));
  });

  it('a service that does not come back after an upgrade fails %posttrans with failOnStartError, and only then', () => {
    const statusOf = (r: ReturnType<Sandbox['run']>, name: string) => r.status[r.calls.filter((c) => c.startsWith('==') && !c.startsWith('== unpack')).findIndex((c) => c.startsWith(`== ${name} `))];
    const failNow = { admin: 'touch "$STUB_STATE/fail-start"' };
    const a = make('pt1', { failOnStartError: true });
    const b = make('pt2', { failOnStartError: true });
    const strict = sb.run([...install(a), failNow, ...upgrade(a, b, 2)]);
    assert.equal(statusOf(strict, 'pt2/posttrans'), 1, strict.calls.join('\n'));
    const ss = sb.run([...install(make('pt3', { failOnStartError: true, onUpgrade: 'stop-start' })), failNow, ...upgrade(make('pt3', { failOnStartError: true, onUpgrade: 'stop-start' }), make('pt4', { failOnStartError: true, onUpgrade: 'stop-start' }), 1)]);
    assert.equal(statusOf(ss, 'pt4/posttrans'), 1, ss.calls.join('\n'));
    const lenient = sb.run([...install(v1), failNow, ...upgrade(v1, v2, 2)]);
    assert.equal(statusOf(lenient, 'v2/posttrans'), 0, lenient.calls.join('\n'));
  });
});
