/**
 * The published repositories as a real system uses them: apt and dnf inside a booted systemd
 * container install and upgrade from them (a directory served over HTTP, and the S3 server's HTTP
 * endpoint), refuse tampered and wrongly signed ones, and never see a hash-sum mismatch while
 * packages are being published.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openStore, publishApt, publishYum } from '../../src/publish/index.js';
import { aptInstallFromRepo, bootContainer, serveDirectory, type Container, type ServedDirectory } from '../../src/verify/index.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { testRootfs } from '../verify/fixtures.js';
import { run } from '../pipeline/support.js';
import { newKey, type TestKey } from './support.js';
import { quickDeb, quickRpm } from './packages.js';
import { startS3, type S3Server } from './s3-server.js';

const DEB_ENV = { DEBIAN_FRONTEND: 'noninteractive' };

describe('publish: apt and dnf in a booted container', function () {
  this.timeout(900_000);
  let c: Container;
  let key: TestKey;
  let rsa: TestKey;
  let s3: S3Server;
  const servers: ServedDirectory[] = [];
  const serve = async (dir: string) => { const s = await serveDirectory(dir); servers.push(s); return s.url; };

  before(async function () {
    const rootfs = await testRootfs(this);
    requireTools(this, 'gpg', 'dpkg-deb', 'xz');
    key = newKey('ct');
    rsa = newKey('ctyum', 'rsa3072');
    s3 = await startS3();
    c = await bootContainer({ rootfs, name: 'publish' });
  });
  after(async () => {
    await c?.stop();
    for (const s of servers) await s.close();
    await s3?.close();
  });

  /** apt-get with only the source list `name` (written by aptInstallFromRepo). */
  const aptGet = (name: string, args: string[]) =>
    c.exec(['apt-get', '-o', `Dir::Etc::SourceList=/etc/apt/sources.list.d/${name}.list`, '-o', 'Dir::Etc::SourceParts=-', ...args], { env: DEB_ENV });
  const installed = async (pkg: string) => (await c.readFile(`/usr/share/${pkg}/version`)).trim();

  it('apt: installs from a signed repository, then upgrades to a newly published version', async () => {
    const repo = scratch();
    await publishApt([quickDeb('ctpkg', '1.0')], { target: repo, signKey: key.secret });
    const url = await serve(repo);
    await aptInstallFromRepo(c, url, 'stable', 'main', 'ctpkg', { keyFile: key.pub, name: 'ct' });
    assert.equal(await installed('ctpkg'), '1.0');
    await publishApt([quickDeb('ctpkg', '1.1')], { target: repo, signKey: key.secret });
    const update = await aptGet('ct', ['update', '--error-on=any']);
    assert.equal(update.code, 0, update.stderr);
    const up = await aptGet('ct', ['install', '--only-upgrade', '-y', 'ctpkg']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(await installed('ctpkg'), '1.1');
  });

  it('apt: a tampered Packages index and a repository signed with another key are refused', async () => {
    const repo = scratch();
    await publishApt([quickDeb('cttamper', '1.0')], { target: repo, signKey: key.secret });
    // Whatever name apt asks for (plain, .gz, .xz, by-hash), it gets a Packages that is not the signed one.
    const dir = join(repo, 'dists/stable/main/binary-amd64');
    const evil = readFileSync(join(dir, 'Packages'), 'utf8').replace('Version: 1.0', 'Version: 9.9');
    writeFileSync(join(dir, 'Packages'), evil);
    writeFileSync(join(dir, 'Packages.gz'), gzipSync(evil));
    writeFileSync(join(dir, 'Packages.xz'), Buffer.from(run('sh', ['-c', 'printf %s "$1" | xz -c | base64 -w0', 'sh', evil]), 'base64'));
    for (const algo of ['SHA256', 'SHA512']) for (const f of readdirSync(join(dir, 'by-hash', algo))) writeFileSync(join(dir, 'by-hash', algo, f), evil);
    const url = await serve(repo);
    const tampered = await aptInstallFromRepo(c, url, 'stable', 'main', 'cttamper', { keyFile: key.pub, name: 'tamper' }).then(() => undefined, (e: Error) => e);
    assert.ok(tampered, 'apt accepted a tampered index');
    assert.match(tampered.message, /Hash Sum mismatch|File has unexpected size|Mirror sync in progress/);
    const signed = scratch();
    await publishApt([quickDeb('ctwrongkey', '1.0')], { target: signed, signKey: key.secret });
    const other = newKey('ctother');
    const wrong = await aptInstallFromRepo(c, await serve(signed), 'stable', 'main', 'ctwrongkey', { keyFile: other.pub, name: 'wrongkey' }).then(() => undefined, (e: Error) => e);
    assert.ok(wrong, 'apt accepted a repository signed with another key');
    assert.match(wrong.message, /NO_PUBKEY|not signed|signatures couldn't be verified/);
  });

  it('a bounded loop of apt-get update during 50 publishes sees no hash-sum mismatch, and ends with all 50', async () => {
    const repo = scratch();
    const out = scratch();
    await publishApt([quickDeb('loopbase', '1.0', 'all', out)], { target: repo, signKey: key.secret });
    const url = await serve(repo);
    await aptInstallFromRepo(c, url, 'stable', 'main', 'loopbase', { keyFile: key.pub, name: 'loop' });
    const debs = Array.from({ length: 50 }, (_, i) => quickDeb(`loop${i}`, '1.0', 'all', out));
    let publishing = true;
    const failures: string[] = [];
    let updates = 0;
    const loop = (async () => {
      const deadline = Date.now() + 600_000;
      while (publishing && updates < 400 && Date.now() < deadline) {
        const r = await aptGet('loop', ['update', '--error-on=any']);
        updates++;
        if (r.code !== 0 || /mismatch|unexpected size/i.test(r.stdout + r.stderr)) failures.push(`${r.stdout}${r.stderr}`);
      }
    })();
    for (const d of debs) await publishApt([d], { target: repo, signKey: key.secret });
    publishing = false;
    await loop;
    assert.deepEqual(failures, []);
    assert.ok(updates >= 3, `only ${updates} updates ran during the publishes`);
    const last = await aptGet('loop', ['update', '--error-on=any']);
    assert.equal(last.code, 0, last.stderr);
    const policy = await c.exec(['apt-cache', 'policy', 'loop49']);
    assert.match(policy.stdout, /Candidate: 1\.0/);
  });

  it('apt installs and upgrades from a repository on the S3 server over its HTTP endpoint; a tampered index and a wrong key there are refused', async () => {
    const target = { target: `s3://${s3.bucket}/debian`, endpoint: s3.endpoint, signKey: key.secret };
    const url = `${s3.endpoint}/${s3.bucket}/debian`;
    await publishApt([quickDeb('cts3', '2.0')], target);
    await aptInstallFromRepo(c, url, 'stable', 'main', 'cts3', { keyFile: key.pub, name: 's3' });
    assert.equal(await installed('cts3'), '2.0');
    await publishApt([quickDeb('cts3', '2.1')], target);
    assert.equal((await aptGet('s3', ['update', '--error-on=any'])).code, 0);
    assert.equal((await aptGet('s3', ['install', '--only-upgrade', '-y', 'cts3'])).code, 0);
    assert.equal(await installed('cts3'), '2.1');
    const wrong = await aptInstallFromRepo(c, url, 'stable', 'main', 'cts3', { keyFile: newKey('s3other').pub, name: 's3wrong' }).then(() => undefined, (e: Error) => e);
    assert.match(wrong?.message ?? 'accepted', /NO_PUBKEY|not signed|signatures couldn't be verified/);
    // Tamper with every copy of the index in the bucket, then a client that has not seen it yet refuses it.
    const t2 = { ...target, target: `s3://${s3.bucket}/tampered` };
    await publishApt([quickDeb('cts3t', '1.0')], t2);
    const store = openStore(t2.target, { endpoint: s3.endpoint });
    const plain = (await store.get('dists/stable/main/binary-amd64/Packages'))!.toString().replace('Version: 1.0', 'Version: 9.9');
    for (const o of await store.list('dists/stable/main/binary-amd64/')) {
      await store.put(o.key, o.key.endsWith('.gz') ? gzipSync(plain) : o.key.endsWith('.xz') ? Buffer.from(run('sh', ['-c', 'printf %s "$1" | xz -c | base64 -w0', 'sh', plain]), 'base64') : plain);
    }
    store.close?.();
    const tampered = await aptInstallFromRepo(c, `${s3.endpoint}/${s3.bucket}/tampered`, 'stable', 'main', 'cts3t', { keyFile: key.pub, name: 's3tamper' }).then(() => undefined, (e: Error) => e);
    assert.match(tampered?.message ?? 'accepted', /Hash Sum mismatch|File has unexpected size|Mirror sync in progress/);
  });

  it('dnf: installs and upgrades signed packages with gpgcheck=1 and repo_gpgcheck=1', async () => {
    const repo = scratch();
    await publishYum([await quickRpm('ctrpm', '1.0', { signKey: rsa.secret })], { target: repo, signKey: rsa.secret });
    const url = await serve(repo);
    await c.writeFile('/etc/pki/rpm-gpg/RPM-GPG-KEY-ctyum', readFileSync(rsa.pubAsc));
    await c.writeFile('/etc/yum.repos.d/ctyum.repo', `[ctyum]\nname=ctyum\nbaseurl=${url}\nenabled=1\ngpgcheck=1\nrepo_gpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-ctyum\nmetadata_expire=0\nskip_if_unavailable=False\n`);
    const dnf = (args: string[]) => c.exec(['dnf', '-y', '--refresh', '--releasever=1', '--repo=ctyum', ...args]);
    const inst = await dnf(['install', 'ctrpm']);
    assert.equal(inst.code, 0, `${inst.stdout}${inst.stderr}`);
    assert.equal(await installed('ctrpm'), '1.0');
    assert.match((await c.exec(['rpm', '-q', 'ctrpm'])).stdout, /^ctrpm-1\.0-1\.noarch$/m);
    await publishYum([await quickRpm('ctrpm', '1.1', { signKey: rsa.secret })], { target: repo, signKey: rsa.secret });
    const up = await dnf(['upgrade', 'ctrpm']);
    assert.equal(up.code, 0, `${up.stdout}${up.stderr}`);
    assert.equal(await installed('ctrpm'), '1.1');
    // An unsigned package in the same repository is refused under gpgcheck=1.
    await publishYum([await quickRpm('ctunsigned', '1.0')], { target: repo, signKey: rsa.secret });
    const unsigned = await dnf(['install', 'ctunsigned']);
    assert.notEqual(unsigned.code, 0, 'dnf installed an unsigned package under gpgcheck=1');
  });
});
