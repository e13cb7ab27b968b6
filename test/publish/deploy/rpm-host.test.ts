/**
 * `mkpkg deploy` to an rpm host: the booted container with dpkg hidden (so rpm is its package
 * family) and dnf set up as on an rpm distribution (a release version, and a stub package
 * providing what the Debian userland has but the rpm database does not list). Given both the
 * .deb and the .rpm, the host gets the .rpm through dnf; a failed upgrade rolls back with dnf downgrade.
 */
import { strict as assert } from 'node:assert';
import type { DeployReport } from '../../../src/publish/deploy/index.js';
import { mkpkg } from '../../support/cli.js';
import { configPackage, helloService, serviceAnswer, sshTargets, type SshHost, type SshTargets } from './support.js';

describe('mkpkg deploy to an rpm host (dnf)', function () {
  this.timeout(600_000);
  let t: SshTargets | undefined;
  let host: SshHost;
  let key: { key: string; pub: string };
  let knownHosts: string;

  before(async function () {
    t = await sshTargets(this, ['deploy-rpm']);
    ({ key, knownHosts, hosts: [host] } = t as SshTargets & { hosts: [SshHost] });
    const stub = configPackage('hello-deps', {
      arch: 'noarch', summary: 'Provides what the Debian userland has but its rpm database does not list',
      provides: ['/bin/sh', 'nodejs = 18.19.0', '/usr/bin/getent', '/usr/sbin/useradd', '/usr/sbin/groupadd'],
    }, 'rpm').rpm;
    const c = host.container;
    await c.copyIn(stub, '/root/hello-deps.rpm');
    await c.execOk(['rpm', '-i', '/root/hello-deps.rpm']);
    await c.writeFile('/etc/dnf/vars/releasever', '1\n');
    await c.execOk(['sh', '-c', 'mv /usr/bin/dpkg /usr/bin/dpkg.hidden && mv /usr/bin/dpkg-query /usr/bin/dpkg-query.hidden']);
  });
  after(async () => { await t?.stop(); });

  const rpmVersion = async () => (await host.container.exec(['rpm', '-q', '--qf', '%{VERSION}-%{RELEASE}', 'hello-service'])).stdout.trim();
  const deploy = (pkgs: string[], extra: string[] = []) =>
    mkpkg(['deploy', ...pkgs, '--host', host.spec(), '--identity', key.key, '--known-hosts', knownHosts, '--settle', '1', '--json', ...extra]);

  it('installs and upgrades the .rpm with dnf, and rolls a failed upgrade back with dnf downgrade from the kept copy', async () => {
    const v1 = helloService('1.0.0');
    const v2 = helloService('1.1.0');
    const v3 = helloService('1.2.0');
    const first = deploy([v1.deb, v1.rpm]);
    assert.equal(first.status, 0, first.stderr + first.stdout);
    const h1 = (JSON.parse(first.stdout) as DeployReport).hosts[0]!;
    assert.deepEqual([h1.family, h1.arch, h1.packages[0]!.file, h1.packages[0]!.newVersion], ['rpm', 'x86_64', 'hello-service-1.0.0-1.noarch.rpm', '1.0.0-1']);
    assert.equal((await serviceAnswer(host)).version, '1.0.0');

    const second = deploy([v2.deb, v2.rpm], ['--health-url', `http://127.0.0.1:${host.servicePort}/`]);
    assert.equal(second.status, 0, second.stderr + second.stdout);
    const h2 = (JSON.parse(second.stdout) as DeployReport).hosts[0]!;
    assert.deepEqual([h2.packages[0]!.oldVersion, h2.packages[0]!.newVersion, h2.health?.ok], ['1.0.0-1', '1.1.0-1', true]);
    assert.equal((await serviceAnswer(host)).version, '1.1.0');
    assert.equal(await rpmVersion(), '1.1.0-1');

    const broken = deploy([v3.rpm], ['--health-cmd', 'echo the check says no >&2; exit 3', '--timeout', '2', '--rollback']);
    assert.equal(broken.status, 1, broken.stderr + broken.stdout);
    assert.match(broken.stderr, /^error E_DEPLOY_HEALTH: .*the health command failed .*last exit 3\):\nthe check says no/m);
    const h3 = (JSON.parse(broken.stdout) as DeployReport).hosts[0]!;
    assert.deepEqual(h3.rollback, { ok: true, packages: [{ name: 'hello-service', version: '1.1.0-1', method: 'kept-copy' }] });
    assert.equal(await rpmVersion(), '1.1.0-1');
    assert.equal((await host.container.unitState('hello-service.service')).active, 'active');
    assert.equal((await serviceAnswer(host)).version, '1.1.0');
  });

  it('falls back to rpm -U where dnf and yum are missing', async () => {
    const v3 = helloService('1.2.0');
    await host.container.execOk(['mv', '/usr/bin/dnf', '/usr/bin/dnf.hidden']);
    try {
      const r = deploy([v3.rpm], ['--verbose']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /\$ rpm -U \/tmp\/mkpkg-deploy\.\w+\/hello-service-1\.2\.0-1\.noarch\.rpm$/m);
      assert.equal(await rpmVersion(), '1.2.0-1');
      assert.equal((await serviceAnswer(host)).version, '1.2.0');
    } finally {
      await host.container.execOk(['mv', '/usr/bin/dnf.hidden', '/usr/bin/dnf']);
    }
  });
});
