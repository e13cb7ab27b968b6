/**
 * A rolling deploy over two real SSH hosts (two booted containers): both upgraded in one batch;
 * one host failing its health check stops the rollout before the untouched host, shows the
 * check's output, and `--rollback` restores its previous version (the copy the last deploy kept,
 * or `--previous`).
 */
import { strict as assert } from 'node:assert';
import type { DeployReport } from '../../../src/publish/deploy/index.js';
import { mkpkg } from '../../support/cli.js';
import { freePort, helloService, installedInside, serviceAnswer, sshTargets, type SshHost, type SshTargets } from './support.js';

describe('mkpkg deploy: rolling over two hosts', function () {
  this.timeout(600_000);
  let t: SshTargets | undefined;
  let a: SshHost;
  let b: SshHost;
  let key: { key: string; pub: string };
  let knownHosts: string;
  let v1: { deb: string; rpm: string };
  let v2: { deb: string; rpm: string };

  before(async function () {
    t = await sshTargets(this, ['roll-a', 'roll-b']);
    ({ key, knownHosts, hosts: [a, b] } = t as SshTargets & { hosts: [SshHost, SshHost] });
    v1 = helloService('1.0.0');
    v2 = helloService('1.1.0');
    // The health command asks the service on the port this file names; B's names a port nothing listens on.
    await a.container.writeFile('/etc/hello-health-port', `${a.servicePort}\n`);
    await b.container.writeFile('/etc/hello-health-port', `${await freePort()}\n`);
  });
  after(async () => { await t?.stop(); });

  const HEALTH = 'curl -fsS "http://127.0.0.1:$(cat /etc/hello-health-port)/"';
  const deploy = (pkgs: string[], hosts: SshHost[], extra: string[]) =>
    mkpkg(['deploy', ...pkgs, ...hosts.flatMap((h) => ['--host', h.spec()]), '--identity', key.key, '--known-hosts', knownHosts, '--settle', '1', '--json', ...extra]);

  it('upgrades both hosts in one batch with --serial 2', async () => {
    const r = deploy([v1.deb], [a, b], ['--serial', '2']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const rep = JSON.parse(r.stdout) as DeployReport;
    assert.equal(rep.serial, 2);
    assert.deepEqual(rep.hosts.map((h) => [h.host, h.status, h.packages[0]!.newVersion]), [[a.spec(), 'deployed', '1.0.0-1'], [b.spec(), 'deployed', '1.0.0-1']]);
    assert.equal((await serviceAnswer(a)).version, '1.0.0');
    assert.equal((await serviceAnswer(b)).version, '1.0.0');
  });

  it('stops at the first host failing its health check, leaves the next untouched, and --rollback reinstalls the kept 1.0.0 there', async () => {
    const r = deploy([v2.deb], [b, a], ['--health-cmd', HEALTH, '--timeout', '4', '--rollback']);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stderr, /^error E_DEPLOY_HEALTH: root@127\.0\.0\.1:\d+: the health command failed \d+ time\(s\) within 4 s/m);
    assert.match(r.stderr, /curl: \(7\) Failed to connect to 127\.0\.0\.1 port \d+/, 'the health command\'s own output is shown');
    const rep = JSON.parse(r.stdout) as DeployReport;
    assert.equal(rep.ok, false);
    assert.equal(rep.error?.code, 'E_DEPLOY_HEALTH');
    const [hb, ha] = rep.hosts;
    assert.equal(hb!.host, b.spec());
    assert.equal(hb!.status, 'failed');
    assert.deepEqual(hb!.packages.map((p) => [p.oldVersion, p.newVersion]), [['1.0.0-1', '1.1.0-1']]);
    assert.deepEqual(hb!.rollback, { ok: true, packages: [{ name: 'hello-service', version: '1.0.0-1', method: 'kept-copy' }] });
    assert.deepEqual([ha!.host, ha!.status, ha!.packages], [a.spec(), 'skipped', []]);
    // The untouched host keeps its version; the failed one is back on the old one, running.
    assert.equal(await installedInside(a.container, 'hello-service'), '1.0.0-1');
    assert.equal((await serviceAnswer(a)).version, '1.0.0');
    assert.equal(await installedInside(b.container, 'hello-service'), '1.0.0-1');
    assert.equal((await b.container.unitState('hello-service.service')).active, 'active');
    assert.equal((await b.container.exec(['ls', '/var/lib/mkpkg-deploy/hello-service'])).stdout.trim(), '1.0.0-1.deb');
  });

  it('without --rollback the failed host keeps the new version; --rollback --previous reinstalls the file given', async () => {
    const plain = deploy([v2.deb], [b, a], ['--health-cmd', HEALTH, '--timeout', '2']);
    assert.equal(plain.status, 1, plain.stderr + plain.stdout);
    const p = JSON.parse(plain.stdout) as DeployReport;
    assert.equal(p.hosts[0]!.rollback, undefined);
    assert.equal(await installedInside(b.container, 'hello-service'), '1.1.0-1');
    assert.equal(p.hosts[1]!.status, 'skipped');

    // B now has 1.1.0 installed (and its kept copy is still 1.0.0): roll back to a file given instead.
    await b.container.execOk(['rm', '-rf', '/var/lib/mkpkg-deploy']);
    const v3 = helloService('1.2.0');
    const r = deploy([v3.deb], [b, a], ['--health-cmd', HEALTH, '--timeout', '2', '--rollback', '--previous', v1.deb]);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    const rep = JSON.parse(r.stdout) as DeployReport;
    assert.deepEqual(rep.hosts[0]!.packages.map((x) => [x.oldVersion, x.newVersion]), [['1.1.0-1', '1.2.0-1']]);
    assert.deepEqual(rep.hosts[0]!.rollback, { ok: true, packages: [{ name: 'hello-service', version: '1.0.0-1', method: 'previous-file' }] });
    assert.equal(await installedInside(b.container, 'hello-service'), '1.0.0-1');
    assert.equal((await b.container.exec(['ls', '/var/lib/mkpkg-deploy/hello-service'])).stdout.trim(), '1.0.0-1.deb');
    assert.equal(await installedInside(a.container, 'hello-service'), '1.0.0-1');
  });

  it('once the host is fixed, the rollout goes through both hosts one at a time', async () => {
    await b.container.writeFile('/etc/hello-health-port', `${b.servicePort}\n`);
    const r = deploy([v2.deb, v2.rpm], [b, a], ['--health-cmd', HEALTH]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const rep = JSON.parse(r.stdout) as DeployReport;
    assert.deepEqual(rep.hosts.map((h) => [h.status, h.health?.ok]), [['deployed', true], ['deployed', true]]);
    assert.equal((await serviceAnswer(a)).version, '1.1.0');
    assert.equal((await serviceAnswer(b)).version, '1.1.0');
  });
});
