/**
 * Repositories on S3-compatible storage: a real S3 server (s3rver) on loopback, mkpkg talking to it
 * through the AWS SDK with credentials from the standard environment variables, and the real apt
 * and dnf reading the repository from the server's plain HTTP endpoint.
 */
import { strict as assert } from 'node:assert';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openStore, publishApt } from '../../src/publish/index.js';
import { S3Store } from '../../src/publish/store/index.js';
import { run as runAsync } from '../../src/proc/run.js';
import { mkpkgAsync, mkpkgStart } from '../support/cli.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, run } from '../pipeline/support.js';
import { HostApt, newKey, type TestKey } from './support.js';
import { quickDeb, quickRpm } from './packages.js';
import { S3_ENV, startS3, type S3Server } from './s3-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('publish: S3-compatible storage (s3rver + AWS SDK)', function () {
  this.timeout(300_000);
  let key: TestKey;
  let s3: S3Server;
  before(async function () {
    requireRoot(this);
    requireTools(this, 'dpkg-deb', 'apt-get', 'gpg', 'dnf');
    key = newKey('s3');
    s3 = await startS3();
  });
  after(async () => { await s3?.close(); });

  /** The CLI, asynchronously: the S3 server runs in this process and must keep answering. */
  const cli = (args: string[]) => mkpkgAsync([...args, '--endpoint', s3.endpoint], { env: S3_ENV });
  const head = (k: string) => s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: k }));

  it('apt: publish with the CLI, then apt-get update --error-on=any and download over the server\'s HTTP endpoint; Content-Type and Cache-Control per object', async () => {
    const target = `s3://${s3.bucket}/apt/debian`;
    const deb = quickDeb('s3pkg', '1.0');
    const r = await cli(['publish', 'apt', target, deb, '--sign-key', key.secret, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { added: string[] }).added, ['pool/main/s/s3pkg/s3pkg_1.0_all.deb']);
    const apt = new HostApt(`${s3.endpoint}/${s3.bucket}/apt/debian`, key.pub);
    await apt.ok('apt-get', ['update', '--error-on=any']);
    const cwd = scratch();
    await apt.ok('apt-get', ['download', 's3pkg'], cwd);
    assert.equal(run('sha256sum', [`${cwd}/s3pkg_1.0_all.deb`]).split(' ')[0], run('sha256sum', [deb]).split(' ')[0]);
    const pool = await head('apt/debian/pool/main/s/s3pkg/s3pkg_1.0_all.deb');
    assert.equal(pool.ContentType, 'application/vnd.debian.binary-package');
    assert.match(pool.CacheControl ?? '', /immutable/);
    const inRelease = await head('apt/debian/dists/stable/InRelease');
    assert.match(inRelease.CacheControl ?? '', /max-age=60/);
    assert.match(inRelease.ContentType ?? '', /^text\/plain/);
    const release = (await (await fetch(`${s3.endpoint}/${s3.bucket}/apt/debian/dists/stable/Release`)).text());
    const sha = /SHA256:\n\s+([0-9a-f]{64})\s+\d+\s+main\/binary-amd64\/Packages\n/.exec(release)![1]!;
    assert.match((await head(`apt/debian/dists/stable/main/binary-amd64/by-hash/SHA256/${sha}`)).CacheControl ?? '', /immutable/);
  });

  it('apt: only changed objects are uploaded; the identical package again uploads nothing', async () => {
    const target = `s3://${s3.bucket}/incr`;
    await publishApt([quickDeb('first', '1.0')], { target, endpoint: s3.endpoint });
    const firstPool = 'incr/pool/main/f/first/first_1.0_all.deb';
    const t0 = (await head(firstPool)).LastModified!.getTime();
    const rel0 = (await head('incr/dists/stable/Release')).LastModified!.getTime();
    await sleep(1100); // object times have one-second resolution
    const second = quickDeb('second', '1.0');
    await publishApt([second], { target, endpoint: s3.endpoint });
    assert.equal((await head(firstPool)).LastModified!.getTime(), t0, 'the first package was not uploaded again');
    const rel1 = (await head('incr/dists/stable/Release')).LastModified!.getTime();
    assert.ok(rel1 > rel0);
    await sleep(1100);
    const again = await publishApt([second], { target, endpoint: s3.endpoint });
    assert.equal(again.changed, false);
    assert.equal((await head('incr/dists/stable/Release')).LastModified!.getTime(), rel1);
  });

  it('yum: signed repodata on S3 that dnf (gpgcheck=1, repo_gpgcheck=1) reads over HTTP', async () => {
    const rsa = newKey('s3yum', 'rsa3072');
    const target = `s3://${s3.bucket}/yum`;
    const r = await cli(['publish', 'yum', target, await quickRpm('s3rpm', '2.0', { signKey: rsa.secret }), '--sign-key', rsa.secret]);
    assert.equal(r.status, 0, r.stderr);
    const q = await runAsync('dnf', ['-q', '-y', '--releasever=1', `--setopt=cachedir=${scratch()}`, '--setopt=skip_if_unavailable=False', '--disablerepo=*',
      `--repofrompath=r,${s3.endpoint}/${s3.bucket}/yum`, '--setopt=r.gpgcheck=1', '--setopt=r.repo_gpgcheck=1', `--setopt=r.gpgkey=file://${rsa.pubAsc}`,
      'repoquery', '--available', '--qf', '%{name} %{version}']);
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /^s3rpm 2\.0$/m);
    assert.equal((await head('yum/repodata/repomd.xml')).ContentType, 'application/xml');
  });

  it('three concurrent publishers on S3 all end up in the indexes (lease lock: s3rver has no conditional writes)', async () => {
    const target = `s3://${s3.bucket}/conc`;
    const runs = ['c1', 'c2', 'c3'].map((n) => cli(['publish', 'apt', target, quickDeb(n, '1.0')]));
    for (const r of await Promise.all(runs)) assert.equal(r.status, 0, r.stderr);
    const list = await cli(['publish', 'apt', target, '--list', '--json']);
    const rows = (JSON.parse(list.stdout) as { packages: { name: string; index: string }[] }).packages;
    assert.deepEqual(rows.filter((p) => p.index === 'amd64').map((p) => p.name).sort(), ['c1', 'c2', 'c3']);
  });

  it('kill -9 midway through an S3 publish: apt-get update still succeeds on the old state; a rerun completes (the dead publisher\'s lock is taken over)', async () => {
    const target = `s3://${s3.bucket}/killed`;
    const url = `${s3.endpoint}/${s3.bucket}/killed`;
    assert.equal((await cli(['publish', 'apt', target, quickDeb('kbase', '1.0'), '--sign-key', key.secret])).status, 0);
    const out = scratch();
    const debs = Array.from({ length: 20 }, (_, i) => quickDeb(`kmany${i}`, '1.0', 'all', out));
    const p = mkpkgStart(['publish', 'apt', target, ...debs, '--sign-key', key.secret, '--endpoint', s3.endpoint], { env: S3_ENV });
    const store = openStore(target, { endpoint: s3.endpoint });
    const deadline = Date.now() + 60_000;
    let midway = false;
    while (Date.now() < deadline && !(midway = (await store.list('pool/main/k/')).some((o) => o.key.includes('kmany')))) await sleep(5);
    p.child.kill('SIGKILL');
    const killed = await p.done;
    assert.ok(midway, `no kmany pool object appeared before the kill:\n${killed.stderr}`);
    assert.equal(killed.signal, 'SIGKILL', 'the publisher had already finished');
    const apt = new HostApt(url, key.pub);
    await apt.ok('apt-get', ['update', '--error-on=any']);
    assert.match(await apt.ok('apt-cache', ['policy', 'kbase']), /Candidate: 1\.0/);
    assert.doesNotMatch(await apt.ok('apt-cache', ['policy', 'kmany0']), /Candidate/);
    const rerun = await cli(['publish', 'apt', target, ...debs, '--sign-key', key.secret]);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stdout, /removed a stale lock \(process \d+ is gone\)/);
    await apt.ok('apt-get', ['update', '--error-on=any']);
    assert.match(await apt.ok('apt-cache', ['policy', 'kmany19']), /Candidate: 1\.0/);
    store.close?.();
  });

  it('a package another tool uploaded (no sha256 metadata) is hashed from its bytes: the same file is kept, a different one is a conflict', async () => {
    const deb = quickDeb('foreignpkg', '1.0');
    const poolKey = 'pool/main/f/foreignpkg/foreignpkg_1.0_all.deb';
    const bytes = readFileSync(deb);
    const upload = (prefix: string, body: Buffer) => s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${poolKey}`, Body: body }));
    await upload('foreign-same', bytes);
    await upload('foreign-other', Buffer.concat([bytes, Buffer.from('x')]));
    const store = openStore(`s3://${s3.bucket}/foreign-same`, { endpoint: s3.endpoint });
    assert.equal(await store.sha256(poolKey), createHash('sha256').update(bytes).digest('hex'));
    assert.equal(await store.sha256('pool/main/f/foreignpkg/absent.deb'), undefined);
    store.close?.();
    const same = await cli(['publish', 'apt', `s3://${s3.bucket}/foreign-same`, deb]);
    assert.equal(same.status, 0, same.stderr);
    const other = await cli(['publish', 'apt', `s3://${s3.bucket}/foreign-other`, deb]);
    assert.notEqual(other.status, 0, other.stdout);
    assert.match(other.stderr, /exists with different content/);
  });

  it('an object is read whole only up to the bound: a larger one is E_REPO_INVALID naming it, its body not read on', async () => {
    const body = Buffer.alloc(256 * 1024, 'x');
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'bounded/dists/stable/Release', Body: body }));
    const target = { bucket: s3.bucket, prefix: 'bounded', endpoint: s3.endpoint };
    const e = await rejectsWith(() => new S3Store(target, 64 * 1024).get('dists/stable/Release'), 'E_REPO_INVALID');
    assert.match(e.message, /^s3:\/\/mkpkg-test\/bounded\/dists\/stable\/Release is larger than 65536 bytes/);
    assert.deepEqual(await new S3Store(target, 1 << 20).get('dists/stable/Release'), body);
  });

  it('storage failures are E_STORE_FAILED naming the operation and object, without any secret', async () => {
    const e = await rejectsWith(() => publishApt([quickDeb('x1', '1.0')], { target: 's3://mkpkg-test/x', endpoint: 'http://127.0.0.1:9' }), 'E_STORE_FAILED');
    assert.match(e.message, /^S3 (PUT|GET) x\/\.mkpkg-publish\.lock/);
    const noBucket = await rejectsWith(() => publishApt([quickDeb('x1', '1.0')], { target: 's3://no-such-bucket/x', endpoint: s3.endpoint }), 'E_STORE_FAILED');
    assert.match(noBucket.message, /NoSuchBucket/);
    for (const err of [e, noBucket]) assert.doesNotMatch(`${err.message} ${err.hint}`, /S3RVER/);
    await rejectsWith(() => publishApt([], { target: 's3://Bad_Bucket/x' }), 'E_REPO_INVALID');
  });
});
