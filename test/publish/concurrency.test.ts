/**
 * Publishers that meet (the lock), die (kill -9 midway) or find a dead one's lock, through the
 * built CLI; the repository is judged by the real apt client after each event.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { serveDirectory, type ServedDirectory } from '../../src/verify/index.js';
import { mkpkg, mkpkgStart } from '../support/cli.js';
import { waitFor } from '../support/processes.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { HostApt, newKey, type TestKey } from './support.js';
import { quickDeb, quickRpm } from './packages.js';

const listed = (repo: string, dir = 'dists/stable/main/binary-amd64/Packages') =>
  existsSync(join(repo, dir)) ? readFileSync(join(repo, dir), 'utf8').split('\n').filter((l) => l.startsWith('Package: ')).map((l) => l.slice(9)).sort() : [];

describe('publish: locking and interrupted publishers (CLI)', function () {
  this.timeout(300_000);
  let key: TestKey;
  let srv: ServedDirectory | undefined;
  before(function () {
    requireRoot(this);
    requireTools(this, 'dpkg-deb', 'apt-get', 'gpg', 'dnf');
    key = newKey('lock');
  });
  afterEach(async () => { await srv?.close(); srv = undefined; });

  it('four concurrent publishers of different packages all end up in the indexes (apt and yum)', async () => {
    const repo = scratch();
    const apt = ['p1', 'p2', 'p3', 'p4'].map((n) => mkpkgStart(['publish', 'apt', repo, quickDeb(n, '1.0'), '--sign-key', key.secret]));
    const yumRepo = scratch();
    const rpms = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((n) => quickRpm(n, '1.0')));
    const yum = rpms.map((r) => mkpkgStart(['publish', 'yum', yumRepo, r]));
    for (const p of [...apt, ...yum]) {
      const r = await p.done;
      assert.equal(r.status, 0, r.stderr);
    }
    assert.deepEqual(listed(repo), ['p1', 'p2', 'p3', 'p4']);
    const list = mkpkg(['publish', 'yum', yumRepo, '--list']);
    assert.deepEqual(list.stdout.trim().split('\n').map((l) => l.split(' ')[0]), ['r1', 'r2', 'r3', 'r4']);
    srv = await serveDirectory(repo);
    await new HostApt(srv.url, key.pub).ok('apt-get', ['update', '--error-on=any']);
  });

  it('a live publisher\'s lock: the next one waits --lock-timeout, then E_PUBLISH_LOCKED naming the holder; a dead one\'s lock is removed and reported', async () => {
    const repo = scratch();
    assert.equal(mkpkg(['publish', 'apt', repo, quickDeb('p1', '1.0')]).status, 0);
    const lock = join(repo, '.mkpkg-publish.lock');
    const holder = { owner: 'test', pid: process.pid, host: hostname(), acquired: new Date().toISOString(), expires: new Date(Date.now() + 600_000).toISOString() };
    writeFileSync(lock, JSON.stringify(holder));
    const started = Date.now();
    const r = mkpkg(['publish', 'apt', repo, quickDeb('p2', '1.0'), '--lock-timeout', '2']);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(Date.now() - started >= 2000);
    assert.match(r.stderr, new RegExp(`error E_PUBLISH_LOCKED: another publisher holds the repository lock .*\\.mkpkg-publish\\.lock: pid ${process.pid} on host ${hostname()} since`));
    assert.match(r.stderr, /hint: .*--lock-timeout/);
    assert.deepEqual(listed(repo), ['p1']);
    // The same lock, held by a process that no longer exists.
    const dead = spawn('true');
    await new Promise((res) => dead.on('close', res));
    writeFileSync(lock, JSON.stringify({ ...holder, pid: dead.pid }));
    const ok = mkpkg(['publish', 'apt', repo, quickDeb('p2', '1.0'), '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    const report = JSON.parse(ok.stdout) as { lock: { staleRemoved?: { holder: { pid: number }; why: string } } };
    assert.equal(report.lock.staleRemoved?.holder.pid, dead.pid);
    assert.match(report.lock.staleRemoved?.why ?? '', /is gone/);
    assert.deepEqual(listed(repo), ['p1', 'p2']);
    assert.ok(!existsSync(lock), 'the lock is released');
  });

  it('kill -9 midway (pool written, or indexes written but not Release): apt-get update still succeeds on the old state, and a rerun completes', async () => {
    const repo = scratch();
    const out = scratch();
    assert.equal(mkpkg(['publish', 'apt', repo, quickDeb('base', '1.0', 'all', out), '--sign-key', key.secret]).status, 0);
    const debs = Array.from({ length: 30 }, (_, i) => quickDeb(`many${i}`, '1.0', 'all', out));
    srv = await serveDirectory(repo);
    const apt = new HostApt(srv.url, key.pub);
    const pool = join(repo, 'pool/main/m');
    const byHash = join(repo, 'dists/stable/main/binary-amd64/by-hash/SHA256');
    const byHashCount = () => (existsSync(byHash) ? readdirSync(byHash).length : 0);
    const moments: [string, () => boolean][] = [
      ['after the first pool file', () => existsSync(pool) && readdirSync(pool).length > 0],
      ['after the first new by-hash index', () => byHashCount() > 3],
    ];
    for (const [moment, reached] of moments) {
      const before = readFileSync(join(repo, 'dists/stable/InRelease'));
      const p = mkpkgStart(['publish', 'apt', repo, ...debs, '--sign-key', key.secret]);
      assert.ok(await waitFor(() => reached() || undefined, 60_000, 2), `${moment}: never reached`);
      p.child.kill('SIGKILL');
      const r = await p.done;
      assert.equal(r.signal, 'SIGKILL', `${moment}: the publisher had already finished:\n${r.stdout}${r.stderr}`);
      assert.deepEqual(readFileSync(join(repo, 'dists/stable/InRelease')), before, `${moment}: Release untouched`);
      // A client sees the old, consistent repository.
      await apt.ok('apt-get', ['update', '--error-on=any']);
      assert.match(await apt.ok('apt-cache', ['policy', 'base']), /Candidate: 1\.0/);
      assert.doesNotMatch(await apt.ok('apt-cache', ['policy', 'many0']), /Candidate: 1\.0/);
    }
    const rerun = mkpkg(['publish', 'apt', repo, ...debs, '--sign-key', key.secret]);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stdout, /removed a stale lock \(process \d+ is gone\)/);
    assert.equal(listed(repo).length, 31);
    await apt.ok('apt-get', ['update', '--error-on=any']);
    assert.match(await apt.ok('apt-cache', ['policy', 'many29']), /Candidate: 1\.0/);
    assert.deepEqual(readdirSync(join(repo, 'dists/stable')).filter((f) => f.endsWith('.tmp')), []);
  });
});
