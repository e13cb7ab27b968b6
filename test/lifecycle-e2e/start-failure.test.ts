/**
 * Issue 4 item 7: a service that fails to start does not leave dpkg/rpm in a broken state, unless
 * the package asks for that with `failOnStartError: true`. The services are Type=exec (the default).
 * A command that dies right after exec (`/bin/sh -c 'exit 1'`) may or may not make `systemctl start`
 * fail (a race with the unit's ExecStartPost), so with failOnStartError the scripts also watch the
 * unit for 2 s after starting it and fail when it failed or was restarted. What happens:
 * - default (`failOnStartError` false): dpkg -i / rpm -i exit 0, the package is installed, and the
 *   unit ends up failed (Restart=on-failure until systemd's start limit).
 * - `failOnStartError: true`: dpkg -i exits 1 and leaves the package half-configured (postinst
 *   exit 1), and purging it still works; rpm 4.18 prints "%post(...) scriptlet failed, exit status 1"
 *   but exits 0 and keeps the package installed (a failing %post never rolls back). A service that
 *   runs fine installs normally (the watch costs 2 s).
 * Across upgrades: a release whose service cannot start fails as above, and the next (fixed)
 * release starts the failed service again: the upgrade restarts units that are running or failed,
 * never one an admin stopped.
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn, type Container } from '../../src/verify/index.js';
import { Flow, waitActive, withContainer } from './support/flow.js';
import { FAILING_COMMAND, FAILING_LATE_COMMAND, packages, type Packages } from './support/packages.js';

/**
 * `systemctl is-failed UNIT`, waiting for the restart loop to end in "failed": the generated unit's
 * start limit (10 starts, 1 s apart) ends it after 10 to 30 s; the wait is generous for a loaded machine.
 */
async function waitFailed(c: Container, unit: string): Promise<string> {
  let out = '';
  await c.waitFor(async () => (out = (await c.exec(['systemctl', 'is-failed', unit])).stdout.trim()) === 'failed', 150_000, 250);
  return out;
}

const dpkgStatus = async (c: Container, name: string) =>
  (await c.exec(['dpkg-query', '-W', '-f', '${Status}', name])).stdout.trim();

describe('item 7: a service that fails to start, through dpkg', function () {
  this.timeout(600_000);
  const flow = new Flow();
  let pkgs: Packages;
  withContainer(flow, 'e2e-startfail-deb', async () => { pkgs = await packages(); });

  flow.step(`Type=exec, command ${FAILING_COMMAND}: dpkg -i exits 0, dpkg -s says "install ok installed", systemctl is-failed says failed`, async () => {
    const r = await flow.c.exec(['dpkg', '-i', await copyPackageIn(flow.c, pkgs.failing.deb)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await dpkgStatus(flow.c, 'hello-fail'), 'install ok installed');
    assert.equal(await waitFailed(flow.c, 'hello-fail.service'), 'failed');
    assert.equal((await flow.c.exec(['dpkg', '--audit'])).stdout.trim(), '', 'dpkg --audit finds nothing broken');
  });

  flow.step('failOnStartError, same Type=exec service: dpkg -i exits 1 and leaves the package half-configured, twice in a row; purging it works each time', async () => {
    const pkg = await copyPackageIn(flow.c, pkgs.failingStrict.deb);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const r = await flow.c.exec(['dpkg', '-i', pkg], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      assert.equal(r.code, 1, `attempt ${attempt}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /post-installation script subprocess returned error exit status 1/);
      assert.equal(await dpkgStatus(flow.c, 'hello-fail-strict'), 'install ok half-configured');
      assert.equal(await waitFailed(flow.c, 'hello-fail-strict.service'), 'failed');
      const p = await flow.c.exec(['dpkg', '-P', 'hello-fail-strict']);
      assert.equal(p.code, 0, p.stderr);
      assert.equal((await flow.c.exec(['dpkg', '--audit'])).stdout.trim(), '', 'dpkg --audit finds nothing broken after the purge');
      await flow.c.exec(['systemctl', 'reset-failed']);
    }
  });

  flow.step('failOnStartError on a service that runs fine: dpkg -i exits 0, installed, the unit active with no restarts', async () => {
    const r = await flow.c.exec(['dpkg', '-i', await copyPackageIn(flow.c, pkgs.steadyStrict.deb)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal(await dpkgStatus(flow.c, 'hello-steady-strict'), 'install ok installed');
    assert.equal((await flow.c.exec(['systemctl', 'show', '--value', '-p', 'ActiveState,NRestarts', 'hello-steady-strict.service'])).stdout.trim(), '0\nactive', 'NRestarts, ActiveState');
    assert.equal((await flow.c.exec(['dpkg', '-P', 'hello-steady-strict'])).code, 0);
  });

  flow.step(`failOnStartError, command ${FAILING_LATE_COMMAND} (systemctl start succeeds): the postinst's watch fails it, dpkg -i exits 1, half-configured`, async () => {
    const r = await flow.c.exec(['dpkg', '-i', await copyPackageIn(flow.c, pkgs.failingLate.deb)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /hello-fail-late: hello-fail-late\.service did not stay up after it was started/);
    assert.equal(await dpkgStatus(flow.c, 'hello-fail-late'), 'install ok half-configured');
    const p = await flow.c.exec(['dpkg', '-P', 'hello-fail-late']);
    assert.equal(p.code, 0, p.stderr);
  });
});

describe('item 7: a service that fails to start, through rpm', function () {
  this.timeout(600_000);
  const flow = new Flow();
  let pkgs: Packages;
  withContainer(flow, 'e2e-startfail-rpm', async () => { pkgs = await packages(); });
  // --nodeps: the Debian container's rpm database is empty (see the rpm-rpm flow).
  const rpmI = async (path: string) => flow.c.exec(['rpm', '-i', '--nodeps', await copyPackageIn(flow.c, path)]);

  flow.step(`Type=exec, command ${FAILING_COMMAND}: rpm -i exits 0, rpm -q lists it, systemctl is-failed says failed`, async () => {
    const r = await rpmI(pkgs.failing.rpm);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await flow.c.exec(['rpm', '-q', 'hello-fail'])).code, 0);
    assert.equal(await waitFailed(flow.c, 'hello-fail.service'), 'failed');
  });

  flow.step('failOnStartError, same Type=exec service: rpm -i warns "%post scriptlet failed, exit status 1" yet exits 0 (rpm 4.18), the package stays installed and erasable', async () => {
    const r = await rpmI(pkgs.failingStrict.rpm);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /%post\(hello-fail-strict-[^)]*\) scriptlet failed, exit status 1/);
    assert.equal((await flow.c.exec(['rpm', '-q', 'hello-fail-strict'])).code, 0, 'rpm keeps the package installed');
    const e = await flow.c.exec(['rpm', '-e', '--nodeps', 'hello-fail-strict']);
    assert.equal(e.code, 0, e.stderr);
    assert.notEqual((await flow.c.exec(['rpm', '-q', 'hello-fail-strict'])).code, 0);
  });

  flow.step('failOnStartError on a service that runs fine: rpm -i exits 0 without a scriptlet warning, the unit active with no restarts', async () => {
    const r = await rpmI(pkgs.steadyStrict.rpm);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stderr, /scriptlet failed/);
    assert.equal((await flow.c.exec(['systemctl', 'show', '--value', '-p', 'ActiveState,NRestarts', 'hello-steady-strict.service'])).stdout.trim(), '0\nactive', 'NRestarts, ActiveState');
    assert.equal((await flow.c.exec(['rpm', '-e', '--nodeps', 'hello-steady-strict'])).code, 0);
  });

  flow.step(`failOnStartError, command ${FAILING_LATE_COMMAND} (systemctl start succeeds): the %post watch fails the scriptlet`, async () => {
    const r = await rpmI(pkgs.failingLate.rpm);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /hello-fail-late: hello-fail-late\.service did not stay up after it was started/);
    assert.match(r.stderr, /%post\(hello-fail-late-[^)]*\) scriptlet failed, exit status 1/);
    const e = await flow.c.exec(['rpm', '-e', '--nodeps', 'hello-fail-late']);
    assert.equal(e.code, 0, e.stderr);
  });
});

const STRICT_UP = 'hello-strict-up.service';

describe('item 7: failOnStartError across upgrades, through dpkg (good 1.0.0 → broken 1.1.0 → fixed 1.2.0)', function () {
  this.timeout(600_000);
  const flow = new Flow();
  let pkgs: Packages;
  withContainer(flow, 'e2e-startfail-up-deb', async () => { pkgs = await packages(); });
  const dpkgI = async (path: string) => flow.c.exec(['dpkg', '-i', await copyPackageIn(flow.c, path)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });

  flow.step('1.0.0 installs and its service runs', async () => {
    const r = await dpkgI(pkgs.strictUpgrade.good.deb);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal((await waitActive(flow.c, STRICT_UP)).active, 'active');
  });

  flow.step('upgrading to 1.1.0, whose service cannot start: dpkg -i exits 1, the package is 1.1.0 half-configured, the unit failed', async () => {
    const r = await dpkgI(pkgs.strictUpgrade.broken.deb);
    assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /post-installation script subprocess returned error exit status 1/);
    assert.equal((await flow.c.exec(['dpkg-query', '-W', '-f', '${Status} ${Version}', 'hello-strict-up'])).stdout.trim(), 'install ok half-configured 1.1.0-1');
    assert.equal(await waitFailed(flow.c, STRICT_UP), 'failed');
  });

  flow.step('upgrading to the fixed 1.2.0: dpkg -i exits 0, installed, and the service that had failed runs again', async () => {
    const r = await dpkgI(pkgs.strictUpgrade.fixed.deb);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal((await flow.c.exec(['dpkg-query', '-W', '-f', '${Status} ${Version}', 'hello-strict-up'])).stdout.trim(), 'install ok installed 1.2.0-1');
    assert.equal((await waitActive(flow.c, STRICT_UP)).active, 'active');
    assert.equal((await flow.c.exec(['dpkg', '--audit'])).stdout.trim(), '');
    assert.equal((await flow.c.exec(['dpkg', '-P', 'hello-strict-up'])).code, 0);
  });
});

describe('item 7: failOnStartError across upgrades, through rpm (good 1.0.0 → broken 1.1.0 → fixed 1.2.0)', function () {
  this.timeout(600_000);
  const flow = new Flow();
  let pkgs: Packages;
  withContainer(flow, 'e2e-startfail-up-rpm', async () => { pkgs = await packages(); });
  const rpm = async (op: string, path: string) => flow.c.exec(['rpm', op, '--nodeps', await copyPackageIn(flow.c, path)]);

  flow.step('1.0.0 installs and its service runs', async () => {
    const r = await rpm('-i', pkgs.strictUpgrade.good.rpm);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal((await waitActive(flow.c, STRICT_UP)).active, 'active');
  });

  flow.step('rpm -U to 1.1.0, whose service cannot start: %posttrans fails, 1.1.0 stays installed, the unit failed', async () => {
    const r = await rpm('-U', pkgs.strictUpgrade.broken.rpm);
    assert.equal(r.code, 0, `rpm 4.18 reports a failed %posttrans but exits 0:\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /%posttrans\(hello-strict-up-1\.1\.0-1[^)]*\) scriptlet failed, exit status 1/);
    assert.equal((await flow.c.exec(['rpm', '-q', '--qf', '%{VERSION}', 'hello-strict-up'])).stdout.trim(), '1.1.0');
    assert.equal(await waitFailed(flow.c, STRICT_UP), 'failed');
  });

  flow.step('rpm -U to the fixed 1.2.0: exits 0 without a scriptlet warning, and the service that had failed runs again', async () => {
    const r = await rpm('-U', pkgs.strictUpgrade.fixed.rpm);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stderr, /scriptlet failed/);
    assert.equal((await waitActive(flow.c, STRICT_UP)).active, 'active');
    assert.equal((await flow.c.exec(['rpm', '-e', '--nodeps', 'hello-strict-up'])).code, 0);
  });
});
