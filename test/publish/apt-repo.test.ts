/**
 * The apt repository output, judged by the real apt client on the host (private configuration,
 * repository served over HTTP on loopback), gpgv, and dpkg-scanpackages.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseControl } from '../../src/formats/deb/reader.js';
import { build } from '../../src/pipeline/build.js';
import { publishAptRepository } from '../../src/publish/index.js';
import { serveDirectory, type ServedDirectory } from '../../src/verify/index.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, run, tinyProject } from '../pipeline/support.js';
import { HostApt, newKey, type TestKey } from './support.js';
import { mountTmpfs, unmountTmpfs } from '../support/tmpfs.js';
import { quickDeb } from './packages.js';

const DATE = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

/** Build a config-only .deb (no dependencies) with the real pipeline. */
async function deb(name: string, version: string, arch = 'all', sde = 1700000000): Promise<string> {
  const dir = tinyProject(`name: '${name}', version: '${version}', arch: '${arch}',`);
  const r = await build({ dir, outDir: scratch(), sourceDateEpoch: sde });
  return r.artifacts[0]!.path;
}

const stanzas = (text: string) => text.trim().split(/\n\n+/).map(parseControl);
/** Every file under `dir` (relative path → contents). */
const snapshot = (dir: string) => new Map(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
  const path = join(e.parentPath ?? e.path, e.name);
  return [path.slice(dir.length + 1), readFileSync(path).toString('base64')];
}));
const sha256 = (file: string) => run('sha256sum', [file]).split(' ')[0];

describe('publish: apt repository', function () {
  this.timeout(900_000);
  let key: TestKey;
  let srv: ServedDirectory | undefined;
  before(function () {
    requireRoot(this);
    requireTools(this, 'apt-get', 'apt-cache', 'gpg', 'gpgv', 'dpkg-scanpackages');
    key = newKey('repo');
  });
  afterEach(async () => { await srv?.close(); srv = undefined; });

  it('writes a signed repository that apt update --error-on=any accepts; apt finds, simulates and downloads the package', async () => {
    const repo = scratch();
    const debs = [await deb('tiny', '1.0.0'), await deb('tiny-tool', '2.0.0', 'amd64')];
    const r = await publishAptRepository(debs, { dir: repo, origin: 'Acme', label: 'Acme test', signKey: key.secret, date: DATE });
    assert.deepEqual(r.added, ['pool/main/t/tiny/tiny_1.0.0-1_all.deb', 'pool/main/t/tiny-tool/tiny-tool_2.0.0-1_amd64.deb']);
    const dist = join(repo, 'dists/stable');
    const release = parseControl(readFileSync(join(dist, 'Release'), 'utf8'));
    assert.equal(release.Date, 'Fri, 02 Jan 2026 03:04:05 UTC');
    assert.equal(release.Architectures, 'amd64');
    assert.equal(release.Components, 'main');
    assert.deepEqual([release.Origin, release.Label, release.Suite, release.Codename], ['Acme', 'Acme test', 'stable', 'stable']);
    // Both signatures verify with gpgv against the public key alone.
    run('gpgv', ['--keyring', key.pub, join(dist, 'InRelease')]);
    run('gpgv', ['--keyring', key.pub, join(dist, 'Release.gpg'), join(dist, 'Release')]);

    srv = await serveDirectory(repo);
    const apt = new HostApt(srv.url, key.pub);
    const update = await apt.ok('apt-get', ['update', '--error-on=any']);
    assert.match(update, /InRelease/);
    assert.doesNotMatch(update, /^W: /m);
    assert.match(await apt.ok('apt-cache', ['policy', 'tiny']), /Candidate: 1\.0\.0-1\n[\s\S]*127\.0\.0\.1:\d+ stable\/main (amd64|all) Packages/);
    assert.match(await apt.ok('apt-cache', ['policy', 'tiny-tool']), /Candidate: 2\.0\.0-1/);
    assert.match(await apt.ok('apt-get', ['install', '-s', 'tiny', 'tiny-tool']), /^Inst tiny \(1\.0\.0-1 Acme test:stable \[all\]\)$/m);
    const cwd = scratch();
    await apt.ok('apt-get', ['download', 'tiny'], cwd);
    assert.equal(sha256(join(cwd, 'tiny_1.0.0-1_all.deb')), sha256(debs[0]!));
  });

  it('lists arch-all packages in every binary-<arch> index (seen by apt configured for arm64)', async () => {
    const repo = scratch();
    await publishAptRepository([await deb('tiny', '1.0.0'), await deb('tiny-arm', '1.0.0', 'arm64')], { dir: repo, architectures: ['amd64', 'arm64'] });
    assert.equal(parseControl(readFileSync(join(repo, 'dists/stable/Release'), 'utf8')).Architectures, 'amd64 arm64');
    const names = (arch: string) => stanzas(readFileSync(join(repo, `dists/stable/main/binary-${arch}/Packages`), 'utf8')).map((s) => s.Package);
    assert.deepEqual(names('amd64'), ['tiny']);
    assert.deepEqual(names('arm64'), ['tiny', 'tiny-arm']);
    srv = await serveDirectory(repo);
    const apt = new HostApt(srv.url, undefined, 'arm64');
    await apt.ok('apt-get', ['update', '--error-on=any']);
    assert.match(await apt.ok('apt-cache', ['policy', 'tiny-arm']), /Candidate: 1\.0\.0-1/);
    assert.match(await apt.ok('apt-cache', ['policy', 'tiny']), /Candidate: 1\.0\.0-1/);
  });

  it('Packages stanzas carry the same fields and values as dpkg-scanpackages', async () => {
    const repo = scratch();
    await publishAptRepository([await deb('tiny', '1.0.0'), await deb('tiny-tool', '2.0.0', 'amd64')], { dir: repo });
    const ours = stanzas(readFileSync(join(repo, 'dists/stable/main/binary-amd64/Packages'), 'utf8'));
    // dpkg-scanpackages writes no SHA512: compare without it, and check ours against sha512sum.
    for (const s of ours) assert.equal(s.SHA512, run('sha512sum', [join(repo, s.Filename!)]).split(' ')[0]);
    const real = stanzas(runIn(repo, 'dpkg-scanpackages', ['-m', 'pool', '/dev/null']));
    assert.deepEqual(ours.map(({ SHA512: _, ...rest }) => rest), real);
    // Packages.gz is the same index, compressed.
    assert.equal(run('zcat', [join(repo, 'dists/stable/main/binary-amd64/Packages.gz')]), readFileSync(join(repo, 'dists/stable/main/binary-amd64/Packages'), 'utf8'));
  });

  it('re-publishing keeps older versions in the pool (apt upgrades to the newest); the identical file again changes nothing and says so', async () => {
    const repo = scratch();
    const opts = { dir: repo, signKey: key.secret, date: DATE };
    await publishAptRepository([await deb('tiny', '1.0.0')], opts);
    const v11 = await deb('tiny', '1.1.0');
    await publishAptRepository([v11], opts);
    const packages = join(repo, 'dists/stable/main/binary-amd64/Packages');
    assert.deepEqual(stanzas(readFileSync(packages, 'utf8')).map((s) => s.Version), ['1.0.0-1', '1.1.0-1']);
    // The second publish extended the index: Packages.xz is one stream of two blocks, Packages.gz two gzip members (apt reads them below).
    assert.match(run('xz', ['--robot', '--list', `${packages}.xz`]), /^totals\t1\t2\t/m);
    assert.equal(run('zcat', [`${packages}.gz`]), readFileSync(packages, 'utf8'));
    const before = snapshot(repo);
    // The identical file again (with a later date): a no-op that says so; not even Release's Date changes.
    const again = await publishAptRepository([v11], { ...opts, date: new Date() });
    assert.deepEqual([again.changed, again.added, again.unchanged], [false, [], ['pool/main/t/tiny/tiny_1.1.0-1_all.deb']]);
    assert.deepEqual(snapshot(repo), before);
    srv = await serveDirectory(repo);
    const apt = new HostApt(srv.url, key.pub);
    await apt.ok('apt-get', ['update', '--error-on=any']);
    const policy = await apt.ok('apt-cache', ['policy', 'tiny']);
    assert.match(policy, /Candidate: 1\.1\.0-1/);
    assert.match(policy, /Version table:\n\s+1\.1\.0-1 500\n[\s\S]*\n\s+1\.0\.0-1 500\n/);
  });

  it('continues a repository reprepro made (no by-hash): its packages stay, ours are added, apt reads both', async function () {
    requireTools(this, 'reprepro');
    const repo = scratch();
    mkdirSync(join(repo, 'conf'));
    writeFileSync(join(repo, 'conf/distributions'), 'Codename: stable\nSuite: stable\nArchitectures: amd64\nComponents: main\n');
    run('reprepro', ['-b', repo, '--silent', 'includedeb', 'stable', quickDeb('fromreprepro', '1.0', 'amd64')]);
    const r = await publishAptRepository([quickDeb('frommkpkg', '1.0')], { dir: repo, date: DATE });
    assert.equal(r.packages, 2);
    assert.equal(parseControl(readFileSync(join(repo, 'dists/stable/Release'), 'utf8'))['Acquire-By-Hash'], 'yes');
    srv = await serveDirectory(repo);
    const apt = new HostApt(srv.url);
    await apt.ok('apt-get', ['update', '--error-on=any']);
    for (const p of ['fromreprepro', 'frommkpkg']) assert.match(await apt.ok('apt-cache', ['policy', p]), /Candidate: 1\.0/);
  });

  it('apt update --error-on=any fails when the repository is signed with another key', async () => {
    const repo = scratch();
    await publishAptRepository([await deb('tiny', '1.0.0')], { dir: repo, signKey: key.secret });
    const other = newKey('other');
    srv = await serveDirectory(repo);
    const r = await new HostApt(srv.url, other.pub).run('apt-get', ['update', '--error-on=any']);
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /NO_PUBKEY|not signed|signatures couldn't be verified/);
  });

  it('refuses a different file under a published name, and a bad key, without changing the repository', async () => {
    const repo = scratch();
    await publishAptRepository([await deb('tiny', '1.0.0')], { dir: repo });
    const pooled = join(repo, 'pool/main/t/tiny/tiny_1.0.0-1_all.deb');
    const before = sha256(pooled);
    const e = await rejectsWith(async () => publishAptRepository([await deb('tiny', '1.0.0', 'all', 1700000999)], { dir: repo }), 'E_PUBLISH_CONFLICT');
    assert.match(e.message, /pool\/main\/t\/tiny\/tiny_1\.0\.0-1_all\.deb/);
    // The hint says how to rebuild identically or replace on purpose, not only "bump the version".
    assert.match(e.hint ?? '', /SOURCE_DATE_EPOCH/);
    assert.match(e.hint ?? '', /--replace/);
    assert.equal(sha256(pooled), before);
    await rejectsWith(async () => publishAptRepository([await deb('tiny', '1.1.0')], { dir: repo, signKey: join(repo, 'no-such-key.asc') }), 'E_SIGN_KEY');
    assert.ok(!existsSync(join(repo, 'pool/main/t/tiny/tiny_1.1.0-1_all.deb')));
    await rejectsWith(() => publishAptRepository([], { dir: repo, suite: 'stable/updates' }), 'E_REPO_INVALID');
  });

  describe('on a full disk (a 1 MiB tmpfs)', () => {
    let repo: string | undefined;
    beforeEach(async function () {
      const dir = mountTmpfs(this, '1m');
      repo = dir;
      await publishAptRepository([await deb('tiny', '1.0.0')], { dir, date: DATE });
    });
    afterEach(() => {
      unmountTmpfs(repo);
      repo = undefined;
    });
    /** Fill the disk, leaving `pages` 4 KiB pages free (one holds the lock file). */
    const fill = (pages: number) => {
      const { bavail, bsize } = statfsSync(repo!);
      writeFileSync(join(repo!, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - pages * 4096)));
    };
    const dists = () => new Map([...snapshot(repo!)].filter(([k]) => k.startsWith('dists/')));
    const leftovers = () => [...snapshot(repo!).keys()].filter((f) => /\.tmp/.test(f));

    it('a pool copy that fails is E_WRITE_FAILED naming the pool file; nothing changes, no temp file is left', async () => {
      const v11 = await deb('tiny', '1.1.0');
      fill(1);
      const before = snapshot(repo!);
      const e = await rejectsWith(() => publishAptRepository([v11], { dir: repo!, date: DATE }), 'E_WRITE_FAILED');
      assert.match(e.message, /no space left on device while writing .*pool\/main\/t\/tiny\/tiny_1\.1\.0-1_all\.deb/);
      assert.match(e.hint ?? '', /repository directory/);
      assert.deepEqual(leftovers(), []);
      assert.deepEqual(snapshot(repo!), before);
    });

    it('an index write that fails is E_WRITE_FAILED naming the index; the served indexes stay whole, no temp file is left; a rerun completes', async () => {
      const tiny2 = await deb('tiny2', '1.0.0');
      fill(2); // the lock file and the pool copy fit, the indexes do not
      const before = dists();
      const e = await rejectsWith(() => publishAptRepository([tiny2], { dir: repo!, date: DATE }), 'E_WRITE_FAILED');
      assert.match(e.message, /no space left on device while writing .*dists\/stable\/main\/binary-amd64\//);
      assert.deepEqual(leftovers(), []);
      assert.deepEqual(dists(), before);
      assert.deepEqual(stanzas(readFileSync(join(repo!, 'dists/stable/main/binary-amd64/Packages'), 'utf8')).map((s) => s.Package), ['tiny']);
      rmSync(join(repo!, 'filler'));
      const r = await publishAptRepository([tiny2], { dir: repo!, date: DATE });
      assert.deepEqual(r.added, ['pool/main/t/tiny2/tiny2_1.0.0-1_all.deb']);
      assert.deepEqual(stanzas(readFileSync(join(repo!, 'dists/stable/main/binary-amd64/Packages'), 'utf8')).map((s) => s.Package), ['tiny', 'tiny2']);
    });
  });
});

function runIn(cwd: string, cmd: string, args: string[]): string {
  return run('sh', ['-c', `cd "$1" && shift && exec "$@"`, 'sh', cwd, cmd, ...args]);
}
