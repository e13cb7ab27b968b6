import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  aptInstallFromRepo, bootContainer, dnfInstallFromRepo, dnfRemove, serveDirectory, type Container, type ServedDirectory,
} from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { buildProvidesStubRpm, buildServiceDeb, buildServiceRpm, hostRun, freePortSync, testRootfs } from './fixtures.js';

/** Test-only apt repository writer: dists/stable/main/binary-amd64/Packages + Release (+ InRelease when signed). */
function writeAptRepo(repo: string, debs: string[], gnupgHome?: string): void {
  rmSync(join(repo, 'dists'), { recursive: true, force: true });
  mkdirSync(join(repo, 'pool'), { recursive: true });
  const bin = join(repo, 'dists', 'stable', 'main', 'binary-amd64');
  mkdirSync(bin, { recursive: true });
  const stanzas = debs.map((deb) => {
    const dst = join(repo, 'pool', basename(deb));
    copyFileSync(deb, dst);
    const data = readFileSync(dst);
    const control = hostRun('dpkg-deb', ['-f', dst]).trimEnd();
    return `${control}\nFilename: pool/${basename(deb)}\nSize: ${data.length}\nSHA256: ${createHash('sha256').update(data).digest('hex')}\n`;
  });
  const packages = stanzas.join('\n');
  writeFileSync(join(bin, 'Packages'), packages);
  const sha = createHash('sha256').update(packages).digest('hex');
  const release = `Suite: stable\nCodename: stable\nDate: ${new Date().toUTCString()}\nArchitectures: amd64\nComponents: main\nSHA256:\n ${sha} ${Buffer.byteLength(packages)} main/binary-amd64/Packages\n`;
  writeFileSync(join(repo, 'dists', 'stable', 'Release'), release);
  if (gnupgHome) {
    hostRun('gpg', ['--homedir', gnupgHome, '--batch', '--yes', '--clearsign', '-o', join(repo, 'dists', 'stable', 'InRelease'), join(repo, 'dists', 'stable', 'Release')]);
  }
}

function newKey(name: string): { home: string; pub: string } {
  const home = scratch('mkpkg-gpg-');
  hostRun('gpg', ['--homedir', home, '--batch', '--passphrase', '', '--quick-gen-key', `${name} <${name}@example.com>`, 'ed25519', 'sign', 'never']);
  const pub = join(home, 'pub.gpg');
  hostRun('gpg', ['--homedir', home, '--batch', '--export', '-o', pub]);
  return { home, pub };
}

describe('verify: installing from served repositories', function () {
  this.timeout(900_000);
  let rootfs: string;
  let c: Container | undefined;
  let srv: ServedDirectory | undefined;
  before(async function () { rootfs = await testRootfs(this); });
  afterEach(async () => {
    await c?.stop();
    await srv?.close();
    c = undefined;
    srv = undefined;
  });

  it('apt: installs from a signed repository (signed-by) and upgrades when the repository gets a newer version', async function () {
    requireTools(this, 'gpg', 'dpkg-deb');
    const dir = scratch();
    const port = freePortSync();
    const key = newKey('repo');
    const repo = join(dir, 'repo');
    writeAptRepo(repo, [buildServiceDeb(dir, { name: 'hello-apt', version: '1.0', port })], key.home);
    srv = await serveDirectory(repo);
    c = await bootContainer({ rootfs, name: 'apt' });
    await aptInstallFromRepo(c, srv.url, 'stable', 'main', 'hello-apt', { keyFile: key.pub });
    assert.ok(await c.waitFor(async () => (await c!.unitState('hello-apt.service')).active === 'active'));
    const before = await c.unitState('hello-apt.service');
    assert.equal(before.enabled, 'enabled');
    assert.match((await c.exec(['dpkg-query', '-W', '-f', '${Version}', 'hello-apt'])).stdout, /^1\.0$/);

    writeAptRepo(repo, [buildServiceDeb(dir, { name: 'hello-apt', version: '1.1', port })], key.home);
    await aptInstallFromRepo(c, srv.url, 'stable', 'main', 'hello-apt', { keyFile: key.pub });
    assert.equal((await c.exec(['dpkg-query', '-W', '-f', '${Version}', 'hello-apt'])).stdout, '1.1');
    assert.ok(await c.waitFor(async () => {
      const st = await c!.unitState('hello-apt.service');
      return st.active === 'active' && st.mainPid !== before.mainPid && st.mainPid > 0;
    }), 'restarted with a new MainPID');
  });

  it('apt: refuses a repository signed by another key, and installs from an unsigned one marked [trusted=yes]', async function () {
    requireTools(this, 'gpg', 'dpkg-deb');
    const dir = scratch();
    const deb = buildServiceDeb(dir, { name: 'hello-apt2', version: '1.0', port: freePortSync() });
    const signer = newKey('signer');
    const other = newKey('other');
    const repo = join(dir, 'repo');
    writeAptRepo(repo, [deb], signer.home);
    srv = await serveDirectory(repo);
    c = await bootContainer({ rootfs, name: 'apt-bad-key' });
    await assert.rejects(aptInstallFromRepo(c, srv.url, 'stable', 'main', 'hello-apt2', { keyFile: other.pub }),
      (e: Error & { code?: string }) => e.code === 'E_VERIFY_FAILED' && /apt-get .*update --error-on=any exited/.test(e.message));
    assert.notEqual((await c.exec(['dpkg-query', '-W', 'hello-apt2'])).code, 0, 'nothing was installed');

    writeAptRepo(repo, [deb]);
    await aptInstallFromRepo(c, srv.url, 'stable', 'main', 'hello-apt2', { name: 'unsigned' });
    assert.match(await c.readFile('/etc/apt/sources.list.d/unsigned.list'), /^deb \[trusted=yes\] http:\/\/127\.0\.0\.1:\d+ stable main\n$/);
    assert.equal((await c.exec(['dpkg-query', '-W', '-f', '${Status}', 'hello-apt2'])).stdout, 'install ok installed');
  });

  it('dnf: installs, upgrades and removes from a createrepo_c repository served over HTTP, scriptlets driving systemd', async function () {
    requireTools(this, 'rpmbuild', 'createrepo_c');
    const dir = scratch();
    const port = freePortSync();
    const repo = join(dir, 'yum');
    mkdirSync(repo);
    const add = (rpm: string) => copyFileSync(rpm, join(repo, basename(rpm)));
    // The container's rpm database is empty: a stub provides what real distributions would.
    add(buildProvidesStubRpm(dir, 'debian-provides', ['/bin/sh', 'nodejs']));
    add(buildServiceRpm(dir, { name: 'hello-dnf', version: '1.0', port }));
    hostRun('createrepo_c', ['-q', repo]);
    srv = await serveDirectory(repo);
    c = await bootContainer({ rootfs, name: 'dnf' });
    const t0 = Date.now();
    await dnfInstallFromRepo(c, srv.url, 'hello-dnf');
    console.log(`      dnf install: ${Date.now() - t0} ms`);
    assert.match((await c.exec(['rpm', '-q', 'hello-dnf', 'debian-provides'])).stdout, /hello-dnf-1\.0-1\.noarch\ndebian-provides-1-1\.noarch/);
    assert.ok(await c.waitFor(async () => (await c!.unitState('hello-dnf.service')).active === 'active'));
    const before = await c.unitState('hello-dnf.service');
    assert.equal(before.enabled, 'enabled');

    add(buildServiceRpm(dir, { name: 'hello-dnf', version: '1.1', port }));
    hostRun('createrepo_c', ['-q', '--update', repo]);
    assert.equal(readdirSync(repo).filter((f) => f.startsWith('hello-dnf-')).length, 2);
    await dnfInstallFromRepo(c, srv.url, 'hello-dnf', { action: 'upgrade' });
    assert.match((await c.exec(['rpm', '-q', 'hello-dnf'])).stdout, /^hello-dnf-1\.1-1\.noarch$/m);
    assert.ok(await c.waitFor(async () => {
      const st = await c!.unitState('hello-dnf.service');
      return st.active === 'active' && st.mainPid > 0 && st.mainPid !== before.mainPid;
    }), 'restarted with a new MainPID');

    await dnfRemove(c, 'hello-dnf');
    const st = await c.unitState('hello-dnf.service');
    assert.notEqual(st.active, 'active');
    assert.notEqual(st.enabled, 'enabled');
    assert.equal(statSync(join(c.root, 'usr/lib'), { throwIfNoEntry: false })?.isDirectory(), true);
    assert.equal(statSync(join(c.root, 'usr/lib/hello-dnf'), { throwIfNoEntry: false }), undefined);
  });
});
