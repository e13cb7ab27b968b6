/**
 * The service lifecycle of issue 4, items 1–6, as one ordered flow in one booted container,
 * run through any {@link Driver}: install → upgrade (with an edited conffile) → upgrade while
 * stopped → upgrade while disabled → downgrade → remove → reinstall → purge / erase.
 */
import { strict as assert } from 'node:assert';
import { inspectPackage, leftovers, unitTraces } from '../../../src/verify/index.js';
import type { Driver } from './drivers.js';
import { assertServing, Flow, hello, journal, PORT, shOut, UNIT, waitInactive, withContainer } from './flow.js';
import { packages } from './packages.js';

const ENV_FILE = '/etc/default/hello-service';
const STATE_DIR = '/var/lib/hello-service';
const USER = 'hello-service';

/** Register the whole flow for `d` as a describe block. */
export function serviceLifecycle(d: Driver): void {
  describe(`service lifecycle through ${d.label}`, function () {
    this.timeout(900_000);
    const flow = new Flow();
    let pid = 0;
    withContainer(flow, `e2e-${d.label}`, async () => {
      await d.setup(await packages());
    });
    after(async () => { await d.teardown(); });

    flow.step('1. install 1.0.0 → unit active and enabled, answers HTTP with version 1.0.0', async () => {
      await d.install(flow.c, '1.0.0');
      const st = await assertServing(flow.c, '1.0.0');
      assert.equal(st.enabled, 'enabled');
      pid = st.mainPid;
    });

    flow.step(`1. install 1.0.0 → system user ${USER} exists and owns the state directory ${STATE_DIR}`, async () => {
      const pw = await shOut(flow.c, `getent passwd ${USER}`);
      assert.match(pw, /^hello-service:x:\d+:\d+:/);
      const uid = Number(pw.split(':')[2]);
      assert.ok(uid > 0 && uid < 1000, `a system uid, got ${uid}`);
      assert.equal(await shOut(flow.c, `stat -c '%U:%G %F' ${STATE_DIR}`), `${USER}:${USER} directory`);
      assert.equal(await shOut(flow.c, `stat -c %U /proc/${pid}`), USER, 'the service process runs as its user');
    });

    flow.step(`2. upgrade 1.0.0 → 1.1.0 (${d.upgradeHow}) restarts the service: new MainPID, answers 1.1.0`, async () => {
      // An operator edits the conffile first (checked in the next step).
      await flow.c.sh(`echo 'GREETING=edited' >> ${ENV_FILE}`);
      await d.upgrade(flow.c, '1.1.0');
      const st = await assertServing(flow.c, '1.1.0', pid);
      assert.notEqual(st.mainPid, pid);
      assert.equal(st.enabled, 'enabled');
      pid = st.mainPid;
    });

    flow.step(`4. the edited ${ENV_FILE} survives the upgrade (no prompt, no copy beside it) and the restarted service uses it`, async () => {
      const text = await flow.c.readFile(ENV_FILE);
      assert.match(text, /^GREETING=edited$/m);
      assert.match(text, new RegExp(`^PORT="${PORT}"$`, 'm'));
      // The packaged file did not change between versions, so dpkg and rpm (%config(noreplace)) write nothing beside it.
      assert.equal(await shOut(flow.c, `ls -d ${ENV_FILE}.* 2>/dev/null || true`), '');
      assert.equal((await hello(flow.c)).greeting, 'edited');
    });

    flow.step('3. a stopped (but enabled) service stays stopped across an upgrade 1.1.0 → 1.2.0', async () => {
      await flow.c.execOk(['systemctl', 'stop', UNIT]);
      await d.upgrade(flow.c, '1.2.0');
      await new Promise((r) => setTimeout(r, 1000));
      const st = await flow.c.unitState(UNIT);
      assert.equal(st.active, 'inactive', `expected stopped after the upgrade${await journal(flow.c)}`);
      assert.equal(st.enabled, 'enabled');
      assert.match(await shOut(flow.c, `${d.kind === 'deb' ? 'dpkg-query -W -f \'${Version}\'' : 'rpm -q --qf %{VERSION}'} hello-service`), /^1\.2\.0/);
    });

    flow.step('3. an admin\'s "systemctl disable" survives an upgrade 1.2.0 → 1.3.0: still disabled, and not started (it was stopped)', async () => {
      await flow.c.execOk(['systemctl', 'disable', UNIT]);
      await d.upgrade(flow.c, '1.3.0');
      await new Promise((r) => setTimeout(r, 1000));
      const st = await flow.c.unitState(UNIT);
      assert.equal(st.enabled, 'disabled');
      assert.equal(st.active, 'inactive', `a disabled, stopped service must not be started by an upgrade${await journal(flow.c)}`);
    });

    flow.step(`5. downgrade 1.3.0 → 0.9.0 (${d.downgradeHow}) works and the service runs 0.9.0`, async () => {
      await flow.c.execOk(['systemctl', 'enable', '--now', UNIT]);
      pid = (await assertServing(flow.c, '1.3.0')).mainPid;
      await d.downgrade(flow.c, '0.9.0');
      const st = await assertServing(flow.c, '0.9.0', pid);
      assert.equal(st.enabled, 'enabled');
      pid = st.mainPid;
    });

    flow.step(`6. remove (${d.removeHow}) → stopped, not enabled; ${ENV_FILE} and the user are kept`, async () => {
      await d.remove(flow.c);
      const st = await waitInactive(flow.c);
      assert.ok(['inactive', 'failed', 'unknown'].includes(st.active), `stopped, got ${st.active}`);
      assert.ok(!st.enabled.startsWith('enabled'), `not enabled, got ${st.enabled}`);
      assert.notEqual((await flow.c.exec(['test', '-d', `/proc/${pid}`])).code, 0, `the old MainPID ${pid} is gone`);
      assert.match(await shOut(flow.c, `getent passwd ${USER}`), /^hello-service:/);
      if (d.kind === 'deb') {
        // dpkg -r keeps conffiles, edits included.
        assert.match(await flow.c.readFile(ENV_FILE), /^GREETING=edited$/m);
        assert.match(await shOut(flow.c, "dpkg-query -W -f '${db:Status-Abbrev}' hello-service"), /^rc/);
      } else {
        // rpm -e keeps a modified %config file as .rpmsave (an unmodified one would be removed).
        assert.match(await flow.c.readFile(`${ENV_FILE}.rpmsave`), /^GREETING=edited$/m);
        assert.notEqual((await flow.c.exec(['rpm', '-q', 'hello-service'])).code, 0);
      }
    });

    flow.step('5. reinstall 1.0.0 after remove starts it again: active, enabled, answers 1.0.0', async () => {
      await d.install(flow.c, '1.0.0');
      const st = await assertServing(flow.c, '1.0.0');
      assert.equal(st.enabled, 'enabled');
    });

    if (d.purge) {
      flow.step(`6. purge → config, state dir, unit symlinks and deb-systemd-helper state gone, no file of the package left (user kept)`, async () => {
        const pkgs = await packages();
        await d.purge!(flow.c);
        const info = await inspectPackage(pkgs.hello['1.0.0'].deb);
        assert.deepEqual(await leftovers(flow.c, info, flow.rootfs), []);
        assert.deepEqual(await unitTraces(flow.c, [UNIT]), []);
        assert.equal(await shOut(flow.c, `ls -d ${ENV_FILE}* ${STATE_DIR} /var/log/hello-service 2>/dev/null || true`), '');
        assert.equal((await flow.c.exec(['dpkg-query', '-W', 'hello-service'])).code, 1, 'dpkg forgot the package');
        assert.match(await shOut(flow.c, `getent passwd ${USER}`), /^hello-service:/, 'system users are never deleted');
      });
    } else {
      flow.step('6. erase again → stopped, and no file of the package left on disk (the state directory is kept: rpm has no purge)', async () => {
        const pkgs = await packages();
        await d.remove(flow.c);
        await waitInactive(flow.c);
        const info = await inspectPackage(pkgs.hello['1.0.0'].rpm);
        assert.deepEqual(await leftovers(flow.c, info, flow.rootfs), []);
        assert.deepEqual(await unitTraces(flow.c, [UNIT]), []);
        assert.equal(await shOut(flow.c, `stat -c %U ${STATE_DIR}`), USER);
      });
    }
  });
}
