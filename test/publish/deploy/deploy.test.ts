/**
 * `mkpkg deploy` against a real OpenSSH server in a booted systemd container: upgrade 1.0.0 →
 * 1.1.0 of the fixture service with a health URL fetched on the host, the faults (host keys,
 * auth, sudo, wrong family/arch, disk full) each refused with its code before anything is left behind.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { DeployReport } from '../../../src/publish/deploy/index.js';
import { mkpkg, mkpkgAsync } from '../../support/cli.js';
import { scratch } from '../../support/tmp.js';
import { copyFixture } from '../../pipeline/support.js';
import { startReceiver } from '../notify/receiver.js';
import { configPackage, freePort, helloService, installedInside, keyPair, serviceAnswer, sshTargets, type SshHost, type SshTargets } from './support.js';

describe('mkpkg deploy (sshd in a booted container)', function () {
  this.timeout(600_000);
  let t: SshTargets | undefined;
  let host: SshHost;
  let dir: string;
  let key: { key: string; pub: string };
  let knownHosts: string;
  let v1: { deb: string; rpm: string };
  let v2: { deb: string; rpm: string };

  before(async function () {
    t = await sshTargets(this, ['deploy-a']);
    ({ dir, key, knownHosts, hosts: [host] } = t as SshTargets & { hosts: [SshHost] });
    v1 = helloService('1.0.0');
    v2 = helloService('1.1.0');
  });
  after(async () => { await t?.stop(); });

  const deploy = (pkgs: string[], extra: string[] = [], user = 'root') =>
    mkpkg(['deploy', ...pkgs, '--host', host.spec(user), '--identity', key.key, '--known-hosts', knownHosts, '--settle', '1', ...extra]);

  const errorCode = (stderr: string) => /^error (E_[A-Z_]+):/m.exec(stderr)?.[1];
  const notInstalled = async () => {
    assert.equal(await installedInside(host.container, 'hello-service'), null);
    const left = await host.container.exec(['sh', '-c', 'ls -d /tmp/mkpkg-deploy.* 2>/dev/null || true']);
    assert.equal(left.stdout.trim(), '', `upload directories left: ${left.stdout}`);
  };

  it('refuses an unknown host key (E_DEPLOY_HOST_KEY_UNKNOWN) unless --accept-new-host-key, which records it', async () => {
    const empty = join(dir, 'known_hosts.empty');
    writeFileSync(empty, '');
    const r = mkpkg(['deploy', v1.deb, '--host', host.spec(), '--identity', key.key, '--known-hosts', empty]);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.equal(errorCode(r.stderr), 'E_DEPLOY_HOST_KEY_UNKNOWN', r.stderr);
    assert.match(r.stderr, /SHA256:/);
    assert.match(r.stderr, /hint: .*ssh-keyscan/);
    await notInstalled();
    // Trust on first use: the key is recorded, and a second run needs no flag (the .rpm alone stops both runs after the login).
    const tofu = join(dir, 'known_hosts.tofu');
    const a = mkpkg(['deploy', v1.rpm, '--host', host.spec(), '--identity', key.key, '--known-hosts', tofu, '--accept-new-host-key']);
    assert.equal(errorCode(a.stderr), 'E_DEPLOY_WRONG_PACKAGE', a.stderr);
    assert.match(a.stdout, /new host key accepted and recorded/);
    assert.equal(readFileSync(tofu, 'utf8').trim(), host.knownHostsLine.trim());
    const b = mkpkg(['deploy', v1.rpm, '--host', host.spec(), '--identity', key.key, '--known-hosts', tofu]);
    assert.equal(errorCode(b.stderr), 'E_DEPLOY_WRONG_PACKAGE', b.stderr);
  });

  it('refuses a changed host key (E_DEPLOY_HOST_KEY_CHANGED), also with --accept-new-host-key; hashed known_hosts entries count', async () => {
    const other = keyPair(dir, 'other_host_key');
    const changed = join(dir, 'known_hosts.changed');
    const otherKey = readFileSync(other.pub, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(changed, `[127.0.0.1]:${host.port} ${otherKey}\n`);
    spawnSync('ssh-keygen', ['-H', '-f', changed], { stdio: 'ignore' });
    assert.match(readFileSync(changed, 'utf8'), /^\|1\|/, 'ssh-keygen -H hashes the entry');
    for (const extra of [[], ['--accept-new-host-key']]) {
      const r = mkpkg(['deploy', v1.deb, '--host', host.spec(), '--identity', key.key, '--known-hosts', changed, ...extra]);
      assert.equal(r.status, 1, r.stderr + r.stdout);
      assert.equal(errorCode(r.stderr), 'E_DEPLOY_HOST_KEY_CHANGED', r.stderr);
      assert.match(r.stderr, /HOST KEY CHANGED/);
    }
    await notInstalled();
  });

  it('says which connection step failed: refused auth, nothing listening, no SSH handshake within the connect timeout', async () => {
    const stranger = keyPair(dir, 'not_authorized');
    const auth = mkpkg(['deploy', v1.deb, '--host', host.spec(), '--identity', stranger.key, '--known-hosts', knownHosts]);
    assert.equal(errorCode(auth.stderr), 'E_DEPLOY_AUTH', auth.stderr);
    assert.match(auth.stderr, /hint: .*authorized_keys/);
    const closed = await freePort();
    const refused = mkpkg(['deploy', v1.deb, '--host', `root@127.0.0.1:${closed}`, '--identity', key.key, '--known-hosts', knownHosts]);
    assert.equal(errorCode(refused.stderr), 'E_DEPLOY_UNREACHABLE', refused.stderr);
    assert.match(refused.stderr, /ECONNREFUSED/);
    // A server that accepts the TCP connection and never speaks SSH.
    const silent = createServer(() => { /* say nothing */ });
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    try {
      const port = (silent.address() as { port: number }).port;
      const hung = await mkpkgAsync(['deploy', v1.deb, '--host', `root@127.0.0.1:${port}`, '--identity', key.key, '--known-hosts', knownHosts, '--connect-timeout', '2']);
      assert.equal(errorCode(hung.stderr), 'E_DEPLOY_UNREACHABLE', hung.stderr);
      assert.match(hung.stderr, /no SSH handshake .* within 2 s/);
    } finally {
      silent.close();
    }
    await notInstalled();
  });

  it('refuses a non-root user without sudo (E_DEPLOY_SUDO), and wrong family or architecture before uploading anything (E_DEPLOY_WRONG_PACKAGE)', async () => {
    const sudo = deploy([v1.deb], ['--verbose'], 'deployer');
    assert.equal(errorCode(sudo.stderr), 'E_DEPLOY_SUDO', sudo.stderr);
    assert.match(sudo.stderr, /not root \(uid \d+\) and `sudo -n true` failed: .*a password is required/);
    assert.doesNotMatch(sudo.stderr, /mktemp/, 'refused before creating the upload directory');
    await host.container.execOk(['mv', '/usr/bin/sudo', '/usr/bin/sudo.hidden']);
    try {
      const none = deploy([v1.deb], [], 'deployer');
      assert.equal(errorCode(none.stderr), 'E_DEPLOY_SUDO', none.stderr);
      assert.match(none.stderr, /the user is not root \(uid \d+\) and sudo is not installed/);
    } finally {
      await host.container.execOk(['mv', '/usr/bin/sudo.hidden', '/usr/bin/sudo']);
    }
    const family = deploy([v1.rpm], ['--verbose']);
    assert.equal(errorCode(family.stderr), 'E_DEPLOY_WRONG_PACKAGE', family.stderr);
    assert.match(family.stderr, /the host is dpkg amd64, and no hello-service package given fits it: hello-service-1\.0\.0-1\.noarch\.rpm \(rpm noarch\)/);
    assert.doesNotMatch(family.stderr, /mktemp/);
    const arm = helloService('1.0.0', ['--arch', 'arm64']);
    const arch = deploy([arm.deb, arm.rpm], ['--verbose']);
    assert.equal(errorCode(arch.stderr), 'E_DEPLOY_WRONG_PACKAGE', arch.stderr);
    assert.match(arch.stderr, /hello-service_1\.0\.0-1_arm64\.deb \(deb arm64\)/);
    assert.match(arch.stderr, /hint: build hello-service for the host's architecture/);
    assert.doesNotMatch(arch.stderr, /mktemp/);
    await notInstalled();
  });

  it('a full disk on the host fails the upload with E_DEPLOY_DISK_FULL and removes the partial upload', async () => {
    await host.container.execOk(['mount', '-t', 'tmpfs', '-o', 'size=4k,mode=1777', 'tmpfs', '/tmp']);
    try {
      const r = deploy([v1.deb]);
      assert.equal(errorCode(r.stderr), 'E_DEPLOY_DISK_FULL', r.stderr);
      assert.match(r.stderr, /no room for hello-service_1\.0\.0-1_all\.deb \(\d+ bytes\) in \/tmp\/mkpkg-deploy\.\w+: \d+ bytes free/);
      await notInstalled();
    } finally {
      await host.container.execOk(['umount', '/tmp']);
    }
  });

  it('shows the package manager\'s output when the install fails (E_DEPLOY_INSTALL)', async () => {
    const bad = configPackage('hello-baddep', { depends: ['mkpkg-no-such-package'] });
    const r = deploy([bad.deb]);
    assert.equal(errorCode(r.stderr), 'E_DEPLOY_INSTALL', r.stderr);
    assert.match(r.stderr, /apt-get installing hello-baddep_1\.0\.0-1_all\.deb exited 100:/);
    assert.match(r.stderr, /hello-baddep : Depends: mkpkg-no-such-package but it is not installable/);
    assert.equal(await installedInside(host.container, 'hello-baddep'), null);
  });

  it('a service that crash-loops behind Restart= fails the settle check (E_DEPLOY_HEALTH); --rollback removes a package the host did not have', async () => {
    const crash = configPackage('hello-crash', { services: [{ name: 'hello-crash', command: "/bin/sh -c 'sleep 1; exit 1'" }] });
    const r = deploy([crash.deb], ['--settle', '4', '--rollback', '--json']);
    assert.equal(errorCode(r.stderr), 'E_DEPLOY_HEALTH', r.stderr);
    assert.match(r.stderr, /hello-crash\.service did not stay up for 4 s \(was hello-crash\.service active\/running pid \d+( restarts \d+)?\): hello-crash\.service \w+\/[\w-]+( pid \d+)? restarts [1-9]/);
    assert.match(r.stderr, /hello-crash\.service - hello-crash/, 'systemctl status of the unit is shown');
    const rep = JSON.parse(r.stdout) as DeployReport;
    assert.deepEqual(rep.hosts[0]!.rollback, { ok: true, packages: [{ name: 'hello-crash', version: null, method: 'remove' }] });
    assert.equal(await installedInside(host.container, 'hello-crash'), null);
  });

  it('installs 1.0.0 as a non-root user through sudo -n, then upgrades to 1.1.0: the service runs the new version, the health URL passes on the host', async () => {
    const url = `http://127.0.0.1:${host.servicePort}/`;
    const first = deploy([v1.deb, v1.rpm], ['--health-url', url, '--json'], 'ops');
    assert.equal(first.status, 0, first.stderr + first.stdout);
    const r1 = JSON.parse(first.stdout) as DeployReport;
    assert.equal(r1.ok, true);
    assert.equal(r1.hosts[0]!.status, 'deployed');
    assert.equal(r1.hosts[0]!.host, `ops@127.0.0.1:${host.port}`);
    assert.deepEqual(r1.hosts[0]!.packages.map((p) => [p.file, p.oldVersion, p.newVersion]), [['hello-service_1.0.0-1_all.deb', null, '1.0.0-1']]);
    assert.equal((await serviceAnswer(host)).version, '1.0.0');

    const second = deploy([v2.deb, v2.rpm], ['--health-url', url, '--json']);
    assert.equal(second.status, 0, second.stderr + second.stdout);
    const r2 = JSON.parse(second.stdout) as DeployReport;
    const h = r2.hosts[0]!;
    assert.equal(h.status, 'deployed');
    assert.equal(h.family, 'deb');
    assert.equal(h.packages[0]!.oldVersion, '1.0.0-1');
    assert.equal(h.packages[0]!.newVersion, '1.1.0-1');
    assert.deepEqual(h.services.map((s) => [s.unit, s.active]), [['hello-service.service', 'active']]);
    assert.equal(h.health?.check, 'url');
    assert.equal(h.health?.ok, true);
    assert.ok(h.durationMs > 0);
    const answer = await serviceAnswer(host);
    assert.equal(answer.version, '1.1.0');
    assert.equal(answer.pid, h.services[0]!.mainPid);
    assert.equal(await installedInside(host.container, 'hello-service'), '1.1.0-1');
    const left = await host.container.exec(['sh', '-c', 'ls -d /tmp/mkpkg-deploy.* 2>/dev/null || true']);
    assert.equal(left.stdout.trim(), '', `upload directories left: ${left.stdout}`);
    // The kept copy for rollbacks is the healthy version only, root-only.
    const kept = await host.container.exec(['sh', '-c', 'stat -c "%a %U %n" /var/lib/mkpkg-deploy /var/lib/mkpkg-deploy/hello-service/*']);
    assert.equal(kept.stdout.trim(), '700 root /var/lib/mkpkg-deploy\n600 root /var/lib/mkpkg-deploy/hello-service/1.1.0-1.deb');

    const again = deploy([v2.deb], ['--json']);
    assert.equal(again.status, 0, again.stderr + again.stdout);
    assert.equal((JSON.parse(again.stdout) as DeployReport).hosts[0]!.status, 'unchanged');
  });

  it('deploy({...}) and notify({...}) as config outputs: the build goes to the host, and the notification says so', async () => {
    const project = copyFixture('hello-service');
    const pj = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ ...pj, version: '1.2.0' }));
    writeFileSync(join(project, 'mkpkg.config.ts'), `import { defineConfig, deploy, notify } from 'mkpkg';
export default defineConfig({
  maintainer: 'Acme Ops <ops@acme.example>',
  services: [{ name: 'hello-service', environment: { PORT: '${host.servicePort}' } }],
  outputs: [
    deploy({ hosts: [process.env.DEPLOY_HOST!], identity: process.env.DEPLOY_KEY, knownHosts: process.env.DEPLOY_KNOWN_HOSTS, settle: 1, healthUrl: process.env.HEALTH_URL }),
    notify({ format: 'generic', urlEnv: 'HOOK' }),
  ],
});
`);
    const rx = await startReceiver([{ status: 200 }]);
    try {
      const r = await mkpkgAsync(['build', project, '--formats', 'deb,rpm', '-o', scratch()], {
        env: { DEPLOY_HOST: host.spec(), DEPLOY_KEY: key.key, DEPLOY_KNOWN_HOSTS: knownHosts, HEALTH_URL: `http://127.0.0.1:${host.servicePort}/`, HOOK: rx.url },
      });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.match(r.stderr, new RegExp(`^deploy ${host.spec().replace(/\./g, '\\.')}: deployed \\(hello-service 1\\.1\\.0-1 → 1\\.2\\.0-1, 1/1 services active, health ok\\)`, 'm'));
      assert.equal((await serviceAnswer(host)).version, '1.2.0');
      const body = JSON.parse(rx.requests[0]!.body) as { destinations: unknown[] };
      assert.deepEqual(body.destinations, [{ output: 'deploy', ok: true, location: host.spec(), detail: 'hello-service 1.2.0-1 on 1 host' }]);
    } finally {
      await rx.close();
    }
  });

  it('falls back to dpkg -i where apt-get is missing', async () => {
    const plain = configPackage('hello-plain', { contents: [] });
    await host.container.execOk(['mv', '/usr/bin/apt-get', '/usr/bin/apt-get.hidden']);
    try {
      const r = deploy([plain.deb], ['--verbose', '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /\$ env 'DEBIAN_FRONTEND=noninteractive' dpkg --force-confdef --force-confold -i \/tmp\/mkpkg-deploy\.\w+\/hello-plain_1\.0\.0-1_all\.deb$/m);
      assert.equal(await installedInside(host.container, 'hello-plain'), '1.0.0-1');
    } finally {
      await host.container.execOk(['mv', '/usr/bin/apt-get.hidden', '/usr/bin/apt-get']);
    }
  });
});
