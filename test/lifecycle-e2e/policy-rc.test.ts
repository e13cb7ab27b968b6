/**
 * Issue 4, "respect policy-rc.d on Debian": with `/usr/sbin/policy-rc.d` answering 101 (as Docker
 * images ship it), the .deb's scripts still install, enable and upgrade the package, but every
 * start, restart and stop of the service is denied, because the generated postinst and prerm route
 * all of them through deb-systemd-invoke. Without the policy file the service starts normally.
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn, installDeb } from '../../src/verify/index.js';
import { assertServing, Flow, PORT, shOut, UNIT, withContainer } from './support/flow.js';
import { packages, type Packages } from './support/packages.js';

const POLICY = '/usr/sbin/policy-rc.d';
const DENY_ALL = '#!/bin/sh\n# Deny every service action, as Docker images do.\nexit 101\n';

describe('policy-rc.d denying every action (exit 101), through dpkg', function () {
  this.timeout(600_000);
  const flow = new Flow();
  let pkgs: Packages;
  withContainer(flow, 'e2e-policy-rc', async () => { pkgs = await packages(); });

  const startedAt = async () => shOut(flow.c, `systemctl show --value -p ExecMainStartTimestampMonotonic ${UNIT}`);
  const notListening = async () => {
    const r = await flow.c.exec(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${PORT}`]);
    return r.code !== 0;
  };

  flow.step('dpkg -i exits 0: the unit is enabled and the user created, but the service was never started', async () => {
    await flow.c.writeFile(POLICY, DENY_ALL, 0o755);
    const r = await flow.c.exec(['dpkg', '-i', await copyPackageIn(flow.c, pkgs.hello['1.0.0'].deb)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal(await shOut(flow.c, `systemctl is-enabled ${UNIT}`), 'enabled');
    assert.equal((await flow.c.exec(['systemctl', 'is-active', UNIT])).stdout.trim(), 'inactive');
    assert.equal(await startedAt(), '0', 'ExecMainStartTimestampMonotonic: never started');
    assert.ok(await notListening(), `nothing listens on ${PORT}`);
    assert.equal((await flow.c.exec(['getent', 'passwd', 'hello-service'])).code, 0, 'the service user exists');
  });

  flow.step('without the policy file, systemctl start works and the service answers 1.0.0', async () => {
    await shOut(flow.c, `rm ${POLICY} && systemctl start ${UNIT}`);
    await assertServing(flow.c, '1.0.0');
  });

  flow.step('policy back, upgrade to 1.1.0: dpkg -i exits 0 but the restart is denied (same MainPID, still answers 1.0.0)', async () => {
    const before = await assertServing(flow.c, '1.0.0');
    await flow.c.writeFile(POLICY, DENY_ALL, 0o755);
    const r = await flow.c.exec(['dpkg', '-i', await copyPackageIn(flow.c, pkgs.hello['1.1.0'].deb)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.match(await shOut(flow.c, "dpkg-query -W -f '${Version}' hello-service"), /^1\.1\.0/);
    const after = await assertServing(flow.c, '1.0.0');
    assert.equal(after.mainPid, before.mainPid, 'not restarted');
  });

  flow.step('dpkg -r with the policy: the stop is denied too, the old process keeps running; without it, reinstalling starts 1.1.0', async () => {
    const before = await assertServing(flow.c, '1.0.0');
    const r = await flow.c.exec(['dpkg', '-r', 'hello-service'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal((await flow.c.exec(['systemctl', 'show', '--value', '-p', 'MainPID', UNIT])).stdout.trim(), String(before.mainPid), 'still running');
    await shOut(flow.c, `rm ${POLICY} && systemctl stop ${UNIT}`);
    await installDeb(flow.c, pkgs.hello['1.1.0'].deb);
    await assertServing(flow.c, '1.1.0');
  });
});
