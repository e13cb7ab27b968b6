/**
 * The .deb maintainer scripts replayed in dpkg's invocation order (policy §6.5–6.8) against
 * logging stubs, one scenario per test. The booted-container tests (src/verify) are the real proof;
 * this pins the scripts' branching.
 */
import { strict as assert } from 'node:assert';
import { generateLifecycle } from '../../src/lifecycle/index.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { Sandbox, afterFirst, afterLast, crash, unpack, type Step } from './support/sandbox.js';
import { PKG, UNIT, sampleInput } from './support/sample.js';
import type { ServiceSpec } from '../../src/config/schema.js';

function scripts(sb: Sandbox, set: string, service: Partial<ServiceSpec> = {}, userScripts = {}) {
  return sb.put(set, generateLifecycle(sampleInput(service, { userScripts })).debScripts);
}
const UNPACK = unpack(UNIT);
const install = (s: Record<string, string>): Step[] => [
  { script: s.preinst, args: ['install'] },
  UNPACK,
  { script: s.postinst, args: ['configure', ''] },
];
/** dpkg skips the scripts a package does not have. */
const upgrade = (old: Record<string, string>, neu: Record<string, string>): Step[] => ([
  { script: old.prerm, args: ['upgrade', '1.1.0-1'] },
  { script: neu.preinst, args: ['upgrade', '1.0.0-1', '1.1.0-1'] },
  UNPACK,
  { script: old.postrm, args: ['upgrade', '1.1.0-1'] },
  { script: neu.postinst, args: ['configure', '1.0.0-1'] },
] as Step[]).filter((s) => !('script' in s) || s.script !== undefined);
const remove = (s: Record<string, string>): Step[] => [
  { script: s.prerm, args: ['remove'] },
  { script: s.postrm, args: ['remove'] },
];

describe('deb maintainer scripts (dpkg sequences, stubbed tools)', function () {
  let sb: Sandbox;
  let v1: Record<string, string>;
  let v2: Record<string, string>;
  before(function () {
    requireRoot(this);
    requireTools(this, 'unshare');
    sb = new Sandbox();
    v1 = scripts(sb, 'v1');
    v2 = scripts(sb, 'v2');
  });

  it('fresh install creates the user, then enables and starts the service', () => {
    const r = sb.run(install(v1));
    assert.deepEqual(r.status, [0, 0]);
    assert.deepEqual(r.users, [PKG]);
    assert.deepEqual(r.enabled, [UNIT]);
    assert.deepEqual(r.active, [UNIT]);
    assert.ok(r.events.indexOf(`USER ${PKG}`) < r.events.indexOf(`START ${UNIT}`), r.events.join('\n'));
    assert.ok(r.calls.includes(`deb-systemd-invoke start ${UNIT}`));
  });

  it('upgrade (onUpgrade restart) restarts the running service once, after the new files are in place', () => {
    const r = sb.run([...install(v1), ...upgrade(v1, v2)]);
    assert.deepEqual(r.status, [0, 0, 0, 0, 0, 0]);
    const upgradeCalls = r.calls.slice(r.calls.findIndex((c) => c.startsWith('== v1/prerm upgrade')));
    const restartAt = upgradeCalls.indexOf(`deb-systemd-invoke try-restart ${UNIT}`);
    assert.ok(restartAt > upgradeCalls.findIndex((c) => c.startsWith('== v2/postinst')), upgradeCalls.join('\n'));
    assert.deepEqual(afterLast(r.events, `START ${UNIT}`), ['RELOAD', `RESTART ${UNIT}`]);
    assert.deepEqual(r.active, [UNIT]);
    assert.equal(r.inspect, '', 'the upgrade marker is removed');
  });

  it('upgrade keeps a service the admin stopped stopped, and a disabled one disabled', () => {
    const stopped = sb.run([...install(v1), { admin: `systemctl stop ${UNIT}` }, ...upgrade(v1, v2)]);
    assert.deepEqual(stopped.active, []);
    assert.ok(!afterLast(stopped.events, `STOP ${UNIT}`).some((e) => /START|RESTART/.test(e)), stopped.events.join('\n'));
    const disabled = sb.run([...install(v1), { admin: `systemctl disable --now ${UNIT}` }, ...upgrade(v1, v2)]);
    assert.deepEqual(disabled.enabled, []);
    assert.deepEqual(disabled.active, []);
    assert.ok(disabled.calls.includes(`deb-systemd-helper update-state ${UNIT}`));
  });

  it('remove stops the service, keeps its enable state for purge, the config and the user', () => {
    const r = sb.run([...install(v1), ...remove(v1)], { inspect: 'ls /var/lib' });
    assert.deepEqual(r.status, [0, 0, 0, 0]);
    assert.deepEqual(r.active, []);
    assert.deepEqual(afterLast(r.events, `START ${UNIT}`), [`STOP ${UNIT}`, 'RELOAD']);
    assert.deepEqual(r.users, [PKG]);
    assert.ok(!r.calls.some((c) => c.startsWith('deb-systemd-helper purge')));
  });

  it('purge forgets the unit state and deletes state and log directories, but never the user', () => {
    const r = sb.run([...install(v1), ...remove(v1), { script: v1.postrm, args: ['purge'] }], {
      setup: `mkdir -p /var/lib/${PKG}/db /var/log/${PKG} /var/lib/other && touch /var/lib/${PKG}/db/x`,
      inspect: 'ls /var/lib; ls /var/log; ls /run/mkpkg 2>/dev/null',
    });
    assert.deepEqual(r.status, [0, 0, 0, 0, 0]);
    assert.deepEqual(r.enabled, []);
    assert.ok(r.calls.includes(`deb-systemd-helper purge ${UNIT}`));
    assert.equal(r.inspect.trim(), 'other', r.inspect);
    assert.ok(!r.events.includes('DELUSER'));
    assert.deepEqual(r.users, [PKG]);
  });

  it('postinst gives dpkg\'s root:root files their owners only where no other user can swap them for a link (issue 10 item 5)', () => {
    const owned = [
      { path: `/var/lib/${PKG}/data`, owner: PKG, group: PKG, mode: 0o750, kind: 'dir' as const },
      { path: `/var/lib/${PKG}/settings.json`, owner: PKG, group: PKG, mode: 0o640, kind: 'file' as const },
    ];
    const s = sb.put('owned', generateLifecycle(sampleInput({}, { ownedPaths: owned })).debScripts);
    const chowns = (setup: string) => sb.run(install(s), { setup }).calls.filter((c) => /^ch(own|mod) /.test(c));
    // A first install: dpkg left both root:root in a directory only root can write.
    assert.deepEqual(chowns(`mkdir -p /var/lib/${PKG}/data && touch /var/lib/${PKG}/settings.json`), [
      `chown ${PKG}:${PKG} /var/lib/${PKG}/settings.json`, `chmod 0640 /var/lib/${PKG}/settings.json`,
      `chown ${PKG}:${PKG} /var/lib/${PKG}/data`, `chmod 0750 /var/lib/${PKG}/data`,
    ]);
    // The directory belongs to the service user (StateDirectory=): it could swap either path for a link.
    assert.deepEqual(chowns(`mkdir -p /var/lib/${PKG}/data && touch /var/lib/${PKG}/settings.json && chown 65534 /var/lib/${PKG}`), []);
    // A group-writable directory on the way, or the paths already replaced by links to root's files.
    assert.deepEqual(chowns(`mkdir -p /var/lib/${PKG}/data && touch /var/lib/${PKG}/settings.json && chgrp 65534 /var/lib/${PKG} && chmod 0775 /var/lib/${PKG}`), []);
    assert.deepEqual(chowns(`mkdir -p /var/lib/${PKG} && ln -s /etc/shadow /var/lib/${PKG}/settings.json && ln -s /root /var/lib/${PKG}/data`), []);
    // Owned already (dpkg set the owner because the user existed at unpack): nothing to do.
    assert.deepEqual(chowns(`mkdir -p /var/lib/${PKG}/data && touch /var/lib/${PKG}/settings.json && chown 65534:65534 /var/lib/${PKG}/data /var/lib/${PKG}/settings.json`), []);
  });

  it('reinstall after remove (postinst gets a non-empty $2) starts the service again', () => {
    const r = sb.run([
      ...install(v1),
      ...remove(v1),
      { script: v2.preinst, args: ['install', '1.0.0-1', '1.1.0-1'] },
      { script: v2.postinst, args: ['configure', '1.0.0-1'] },
    ]);
    assert.deepEqual(r.status, [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(r.active, [UNIT]);
    assert.deepEqual(afterLast(r.events, `STOP ${UNIT}`), ['RELOAD', 'RELOAD', `START ${UNIT}`]);
  });

  it('install in a chroot without systemd succeeds and enables the unit for the next boot', () => {
    const r = sb.run(install(v1), { booted: false });
    assert.deepEqual(r.status, [0, 0]);
    assert.deepEqual(r.enabled, [UNIT]);
    assert.deepEqual(r.active, []);
    assert.ok(!r.calls.some((c) => c.startsWith('deb-systemd-invoke') || c.includes('daemon-reload')), r.calls.join('\n'));
  });

  it('onUpgrade stop-start stops before unpack and starts after configure, only if it was running', () => {
    const a = scripts(sb, 'ss1', { onUpgrade: 'stop-start' });
    const b = scripts(sb, 'ss2', { onUpgrade: 'stop-start' });
    const r = sb.run([...install(a), ...upgrade(a, b)]);
    const upgradeCalls = r.calls.slice(r.calls.findIndex((c) => c.startsWith('== ss1/prerm upgrade')));
    const stopAt = upgradeCalls.indexOf(`deb-systemd-invoke stop ${UNIT}`);
    assert.ok(stopAt > upgradeCalls.findIndex((c) => c.startsWith('== ss2/preinst')) && stopAt < upgradeCalls.findIndex((c) => c.startsWith('== ss1/postrm')), upgradeCalls.join('\n'));
    assert.deepEqual(r.events.slice(r.events.indexOf(`START ${UNIT}`) + 1), [`STOP ${UNIT}`, 'RELOAD', `START ${UNIT}`]);
    assert.deepEqual(r.active, [UNIT]);
    const stopped = sb.run([...install(a), { admin: `systemctl stop ${UNIT}` }, ...upgrade(a, b)]);
    assert.deepEqual(stopped.active, []);
  });

  it('upgrade starts again a service the old version left failed (reset-failed first), with onUpgrade restart and stop-start', () => {
    const r = sb.run([...install(v1), crash(UNIT), ...upgrade(v1, v2)]);
    assert.deepEqual(r.status, [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(afterLast(r.events, 'RELOAD'), [`RESET-FAILED ${UNIT}`, `RESTART ${UNIT}`]);
    assert.deepEqual(r.active, [UNIT]);
    const a = scripts(sb, 'ssf1', { onUpgrade: 'stop-start' });
    const b = scripts(sb, 'ssf2', { onUpgrade: 'stop-start' });
    const ss = sb.run([...install(a), crash(UNIT), ...upgrade(a, b)]);
    assert.deepEqual(ss.status, [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(afterFirst(ss.events, `START ${UNIT}`), [`RESET-FAILED ${UNIT}`, 'RELOAD', `START ${UNIT}`]);
    assert.deepEqual(ss.active, [UNIT]);
  });

  it('upgrade from a version without the unit enables and starts it as a fresh install would; a reinstall then keeps an admin stop', () => {
    const v0 = sb.put('v0', generateLifecycle(sampleInput({}, { services: [] })).debScripts);
    assert.deepEqual(Object.keys(v0), [], 'a package without services has no maintainer scripts to install it with');
    const r = sb.run(upgrade(v0, v1));
    assert.ok(r.status.every((x) => x === 0), r.status.join());
    assert.deepEqual(r.enabled, [UNIT]);
    assert.deepEqual(r.active, [UNIT]);
    assert.ok(r.calls.includes(`deb-systemd-invoke start ${UNIT}`), r.calls.join('\n'));
    const again = sb.run([...install(v1), { admin: `systemctl stop ${UNIT}` }, ...upgrade(v1, v1)]);
    assert.deepEqual(again.active, []);
  });

  it('onUpgrade keep-running neither stops nor restarts the service', () => {
    const a = scripts(sb, 'kr1', { onUpgrade: 'keep-running' });
    const b = scripts(sb, 'kr2', { onUpgrade: 'keep-running' });
    const r = sb.run([...install(a), ...upgrade(a, b)]);
    assert.deepEqual(afterLast(r.events, `START ${UNIT}`), ['RELOAD']);
    assert.deepEqual(r.active, [UNIT]);
  });

  it('a service that fails to start fails the postinst only with failOnStartError', () => {
    const strict = scripts(sb, 'strict', { failOnStartError: true });
    const r1 = sb.run(install(strict));
    assert.deepEqual(r1.status, [0, 0], 'starts fine when start works');
    const failing = sb.run([{ admin: 'touch "$STUB_STATE/fail-start"' }, ...install(strict)]);
    assert.equal(failing.status[2], 1, failing.calls.join('\n'));
    const lenientFailing = sb.run([{ admin: 'touch "$STUB_STATE/fail-start"' }, ...install(v1)]);
    assert.deepEqual(lenientFailing.status, [0, 0, 0]);
  });

  it('the user postinst fragment runs after users exist and before the service starts; exit in it does not skip the start', () => {
    const s = scripts(sb, 'frag', {}, { deb: { postinst: 'getent passwd hello-service >/dev/null && echo "frag-saw-user $1" >> "$STUB_STATE/calls"\nexit 0' } });
    const r = sb.run(install(s));
    assert.deepEqual(r.status, [0, 0]);
    const frag = r.calls.indexOf('frag-saw-user configure');
    assert.ok(frag > r.calls.findIndex((c) => c.startsWith('adduser')) && frag < r.calls.indexOf(`deb-systemd-invoke start ${UNIT}`), r.calls.join('\n'));
    assert.deepEqual(r.active, [UNIT]);
  });

  it('a failing user fragment fails the script', () => {
    const s = scripts(sb, 'badfrag', {}, { deb: { prerm: 'false\necho not-reached >> "$STUB_STATE/calls"' } });
    const r = sb.run([...install(s), { script: s.prerm, args: ['remove'] }]);
    assert.deepEqual(r.status, [0, 0, 1]);
    assert.ok(!r.calls.includes('not-reached'));
  });
});
