/**
 * The apt publisher's rules, read back from the files it writes: signatures never silently
 * dropped or swapped, architectures that only grow, a build without a .deb that leaves the
 * repository alone, one-line Release values, by-hash copies, keep N, replace, shared pool,
 * and an incremental publish that never reads the pool.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseControl } from '../../src/formats/deb/reader.js';
import { build } from '../../src/pipeline/build.js';
import { publishAptRepository } from '../../src/publish/index.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, run, tinyProject } from '../pipeline/support.js';
import { newKey, type TestKey } from './support.js';
import { quickDeb } from './packages.js';

const DATE = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const release = (repo: string, suite = 'stable') => parseControl(readFileSync(join(repo, 'dists', suite, 'Release'), 'utf8'));
const names = (repo: string, dir = 'main/binary-amd64', suite = 'stable') =>
  readFileSync(join(repo, 'dists', suite, dir, 'Packages'), 'utf8').split('\n').filter((l) => l.startsWith('Package: ') || l.startsWith('Version: ')).join(' ');
/** Every file under `dir`, relative path → sha256. */
const tree = (dir: string) => new Map(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
  const p = join(e.parentPath, e.name);
  return [p.slice(dir.length + 1), createHash('sha256').update(readFileSync(p)).digest('hex')];
}));

describe('publish: apt repository rules', function () {
  this.timeout(120_000);
  let key: TestKey;
  before(function () {
    requireTools(this, 'dpkg-deb', 'gpg', 'gpgv', 'xz');
    key = newKey('rules');
  });

  it('a signed suite and no key: E_PUBLISH_UNSIGNED and nothing changes; unsigned: true drops the signatures on purpose', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo, signKey: key.secret, date: DATE });
    const before = tree(repo);
    const e = await rejectsWith(() => publishAptRepository([quickDeb('pa', '1.1')], { dir: repo }), 'E_PUBLISH_UNSIGNED');
    assert.match(e.hint ?? '', /--sign-key/);
    assert.match(e.hint ?? '', /--unsigned/);
    assert.deepEqual(tree(repo), before);
    const r = await publishAptRepository([quickDeb('pa', '1.1')], { dir: repo, unsigned: true });
    assert.equal(r.signed, false);
    assert.ok(!existsSync(join(repo, 'dists/stable/InRelease')) && !existsSync(join(repo, 'dists/stable/Release.gpg')));
  });

  it('an mkpkg rpm build with the apt output configured leaves the repository untouched (signatures and all)', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo, signKey: key.secret, date: DATE });
    const before = tree(repo);
    const dir = tinyProject(`outputs: [aptRepository({ dir: ${JSON.stringify(repo)} })],`, {}, 'defineConfig, aptRepository');
    const r = await build({ dir, outDir: scratch(), formats: ['rpm'], sourceDateEpoch: 1700000000 });
    assert.match(r.published[0]?.detail ?? '', /no \.deb was built; the repository was not touched/);
    assert.deepEqual(tree(repo), before);
  });

  it('architectures only grow: an arm64 package keeps binary-amd64; an unlisted one is E_PUBLISH_ARCH until added on purpose', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo, date: DATE });
    assert.equal(release(repo).Architectures, 'amd64 arm64');
    await publishAptRepository([quickDeb('pb', '1.0', 'arm64')], { dir: repo, date: DATE });
    assert.equal(release(repo).Architectures, 'amd64 arm64');
    assert.equal(names(repo), 'Package: pa Version: 1.0');
    assert.equal(names(repo, 'main/binary-arm64'), 'Package: pa Version: 1.0 Package: pb Version: 1.0');
    const before = tree(repo);
    const e = await rejectsWith(() => publishAptRepository([quickDeb('pc', '1.0', 'riscv64')], { dir: repo }), 'E_PUBLISH_ARCH');
    assert.match(e.message, /riscv64, which suite stable does not list \(amd64 arm64\)/);
    assert.deepEqual(tree(repo), before);
    await publishAptRepository([quickDeb('pc', '1.0', 'riscv64')], { dir: repo, architectures: ['riscv64'] });
    assert.equal(release(repo).Architectures, 'amd64 arm64 riscv64');
    // The new architecture lists the arch-all package too.
    assert.equal(names(repo, 'main/binary-riscv64'), 'Package: pa Version: 1.0 Package: pc Version: 1.0');
    await publishAptRepository([], { dir: repo, removeArchitectures: ['arm64'], refresh: true });
    assert.equal(release(repo).Architectures, 'amd64 riscv64');
    assert.ok(!existsSync(join(repo, 'dists/stable/main/binary-arm64/Packages')));
  });

  it('every Release value is a one-line literal: a newline in any option is E_REPO_INVALID naming it, and nothing is written', async () => {
    const deb = quickDeb('pa', '1.0');
    const evil = 'x\nSuite: evil\nValid-Until: Sat, 01 Jan 2000 00:00:00 UTC';
    const cases: [string, Record<string, unknown>][] = [
      ['suite', { suite: evil }], ['codename', { codename: evil }], ['component', { component: evil }], ['origin', { origin: evil }],
      ['label', { label: evil }], ['description', { description: evil }], ['version', { version: evil }], ['architectures', { architectures: [evil] }],
      ['date', { date: evil }], ['validFor', { validFor: evil }], ['label', { label: 'tab\there' }], ['origin', { origin: ' padded' }],
    ];
    for (const [option, opts] of cases) {
      const repo = join(scratch(), 'repo');
      const e = await rejectsWith(() => publishAptRepository([deb], { dir: repo, ...opts }), 'E_REPO_INVALID');
      assert.ok(e.message.startsWith(`${option}: `), `${option}: ${e.message}`);
      assert.ok(!existsSync(repo), `${option}: nothing written`);
    }
    // Printable text with spaces and non-ASCII letters is fine.
    const repo = scratch();
    await publishAptRepository([deb], { dir: repo, origin: 'Acme Corp.', label: 'Acme (stable)', description: 'Dépôt d’Acme' });
    assert.deepEqual([release(repo).Origin, release(repo).Label, release(repo).Description], ['Acme Corp.', 'Acme (stable)', 'Dépôt d’Acme']);
    assert.equal(release(repo).Suite, 'stable');
  });

  /** A .deb with this control file (dpkg-deb would refuse to build it), made with tar and ar. */
  const craftedDeb = (control: string): string => {
    const dir = scratch();
    mkdirSync(join(dir, 'c'));
    writeFileSync(join(dir, 'c/control'), control);
    writeFileSync(join(dir, 'debian-binary'), '2.0\n');
    run('tar', ['-C', join(dir, 'c'), '-czf', join(dir, 'control.tar.gz'), './control']);
    run('tar', ['-C', join(dir, 'c'), '-czf', join(dir, 'data.tar.gz'), '--files-from=/dev/null']);
    run('sh', ['-c', `cd "${dir}" && ar rc evil.deb debian-binary control.tar.gz data.tar.gz`]);
    return join(dir, 'evil.deb');
  };

  it('a control file that would add a stanza to Packages (a blank line inside) is E_READ_PACKAGE', async () => {
    const deb = craftedDeb('Package: a\nVersion: 1.0\nArchitecture: all\nDescription: x\n\nPackage: evil\nVersion: 9\nArchitecture: all\nFilename: pool/evil.deb\nSHA256: 00\n');
    const repo = join(scratch(), 'repo');
    const e = await rejectsWith(() => publishAptRepository([deb], { dir: repo }), 'E_READ_PACKAGE');
    assert.match(e.message, /empty line/);
    assert.ok(!existsSync(repo));
  });

  it('a control file that hides fields behind a U+2028/U+2029, carries a terminal control character, or gives a field twice is E_READ_PACKAGE naming it; the repository is unchanged', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('victim', '1.0')], { dir: repo });
    const before = tree(repo);
    const head = 'Package: evil\nVersion: 1.0\nArchitecture: all\n';
    const cases: [string, RegExp][] = [
      [`${head}Description: x\u2028Package: victim\u2028Version: 9.0\n`, /line 4 contains U\+2028 \(LINE SEPARATOR\)/],
      [`${head}Description: x\n more\u2029Filename: pool/main/v/victim/victim_1.0_all.deb\n`, /line 5 contains U\+2029 \(PARAGRAPH SEPARATOR\)/],
      [`${head}Description: \u001b[2J cleared\n`, /line 4 contains U\+001B \(ESC\)/],
      [`${head}package: victim\nDescription: x\n`, /gives the field package twice \(line 4\)/],
    ];
    for (const [control, message] of cases) {
      const e = await rejectsWith(() => publishAptRepository([craftedDeb(control)], { dir: repo }), 'E_READ_PACKAGE');
      assert.match(e.message, message);
    }
    assert.deepEqual(tree(repo), before);
  });

  it('an index path (or the lock file) that is a FIFO or a file over 1 GiB is E_REPO_INVALID naming it, at once: a FIFO is not waited on, a large file not read', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo });
    const releasePath = join(repo, 'dists/stable/Release');
    rmSync(releasePath);
    run('mkfifo', [releasePath]);
    const fifo = await rejectsWith(() => publishAptRepository([quickDeb('pb', '1.0')], { dir: repo }), 'E_REPO_INVALID');
    assert.match(fifo.message, /dists\/stable\/Release is a FIFO \(named pipe\), not a regular file/);
    rmSync(releasePath);
    run('truncate', ['-s', '1100M', releasePath]);
    const big = await rejectsWith(() => publishAptRepository([quickDeb('pb', '1.0')], { dir: repo }), 'E_REPO_INVALID');
    assert.match(big.message, /dists\/stable\/Release is larger than 1073741824 bytes/);
    assert.ok(!existsSync(join(repo, 'pool/main/p/pb')), 'nothing was added');
    // The lock file is read the same way when another one is in place.
    run('mkfifo', [join(repo, '.mkpkg-publish.lock')]);
    const lock = await rejectsWith(() => publishAptRepository([quickDeb('pb', '1.0')], { dir: repo }), 'E_REPO_INVALID');
    assert.match(lock.message, /the lock file .*\.mkpkg-publish\.lock is a FIFO \(named pipe\), not a regular file/);
  });

  it('a suite signed by another key is E_SIGN_KEY naming both keys; rotateKey re-signs on purpose', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo, signKey: key.secret });
    const other = newKey('other');
    const before = tree(repo);
    const e = await rejectsWith(() => publishAptRepository([quickDeb('pa', '1.1')], { dir: repo, signKey: other.secret }), 'E_SIGN_KEY');
    assert.match(e.message, /is signed by key [0-9a-f]{16}.*but the given key is [0-9a-f]{16}/);
    assert.match(e.hint ?? '', /--rotate-key/);
    assert.deepEqual(tree(repo), before);
    await publishAptRepository([quickDeb('pa', '1.1')], { dir: repo, signKey: other.secret, rotateKey: true });
    run('gpgv', ['--keyring', other.pub, join(repo, 'dists/stable/InRelease')]);
  });

  it('Release: Date, Valid-Until (kept on later publishes), Acquire-By-Hash, SHA256 and SHA512 of Packages, .gz and .xz, each with its by-hash copies', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo, date: DATE, validFor: '7d', signKey: key.secret });
    let r = release(repo);
    assert.equal(r.Date, 'Fri, 02 Jan 2026 03:04:05 UTC');
    assert.equal(r['Valid-Until'], 'Fri, 09 Jan 2026 03:04:05 UTC');
    assert.equal(r['Acquire-By-Hash'], 'yes');
    const dist = join(repo, 'dists/stable');
    for (const [block, tool] of [['SHA256', 'sha256sum'], ['SHA512', 'sha512sum']] as const) {
      const lines = r[block]!.split('\n').filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
      assert.deepEqual(lines.map((l) => l[2]).sort(), ['main/binary-amd64/Packages', 'main/binary-amd64/Packages.gz', 'main/binary-amd64/Packages.xz', 'main/binary-arm64/Packages', 'main/binary-arm64/Packages.gz', 'main/binary-arm64/Packages.xz']);
      for (const [hash, size, path] of lines) {
        assert.equal(run(tool, [join(dist, path!)]).split(' ')[0], hash);
        assert.equal(String(readFileSync(join(dist, path!)).length), size);
        const copy = join(dist, path!.replace(/[^/]+$/, ''), 'by-hash', block, hash!);
        assert.equal(run(tool, [copy]).split(' ')[0], hash, `${copy} holds ${path}`);
      }
    }
    const packages = readFileSync(join(dist, 'main/binary-amd64/Packages'));
    assert.deepEqual(gunzipSync(readFileSync(join(dist, 'main/binary-amd64/Packages.gz'))), packages);
    assert.equal(run('xz', ['-dc', join(dist, 'main/binary-amd64/Packages.xz')]), packages.toString());
    await publishAptRepository([quickDeb('pa', '1.1')], { dir: repo, date: new Date(Date.UTC(2026, 0, 5)), signKey: key.secret });
    r = release(repo);
    assert.equal(r['Valid-Until'], 'Mon, 12 Jan 2026 00:00:00 UTC');
  });

  it('keep: the newest N versions stay (dpkg order); older ones leave the index and the pool unless another suite lists them', async () => {
    const repo = scratch();
    const v1 = quickDeb('pa', '1.0');
    await publishAptRepository([v1], { dir: repo, suite: 'testing' });
    // The same 1.0 file as in testing (the pool is shared), then newer versions.
    for (const deb of [v1, quickDeb('pa', '1.2~rc1'), quickDeb('pa', '1.10')]) await publishAptRepository([deb], { dir: repo });
    await publishAptRepository([quickDeb('pb', '0.1')], { dir: repo });
    const r = await publishAptRepository([quickDeb('pa', '1.2')], { dir: repo, keep: 2 });
    assert.deepEqual(r.removed, ['pool/main/p/pa/pa_1.0_all.deb', 'pool/main/p/pa/pa_1.2~rc1_all.deb']);
    assert.equal(names(repo), 'Package: pa Version: 1.2 Package: pa Version: 1.10 Package: pb Version: 0.1');
    assert.ok(existsSync(join(repo, 'pool/main/p/pa/pa_1.0_all.deb')), 'testing still lists 1.0');
    assert.ok(!existsSync(join(repo, 'pool/main/p/pa/pa_1.2~rc1_all.deb')));
    assert.equal(names(repo, 'main/binary-amd64', 'testing'), 'Package: pa Version: 1.0');
  });

  it('keep on an index another tool wrote deletes only package files under pool/: an entry naming any other object leaves that object, with a note', async () => {
    const repo = scratch();
    const deb = readFileSync(quickDeb('pa', '0.9'));
    const key = Buffer.from('the archive key\n');
    mkdirSync(join(repo, 'pool/main/p/pa'), { recursive: true });
    writeFileSync(join(repo, 'pool/main/p/pa/pa_0.9_all.deb'), deb);
    mkdirSync(join(repo, 'keys'));
    writeFileSync(join(repo, 'keys/archive.asc'), key);
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    const stanza = (version: string, filename: string, body: Buffer) =>
      `Package: pa\nVersion: ${version}\nArchitecture: all\nMaintainer: X <x@example.com>\nDescription: pa\nFilename: ${filename}\nSize: ${body.length}\nSHA256: ${sha(body)}\n`;
    const packages = `${stanza('0.8', 'keys/archive.asc', key)}\n${stanza('0.9', 'pool/main/p/pa/pa_0.9_all.deb', deb)}`;
    mkdirSync(join(repo, 'dists/stable/main/binary-amd64'), { recursive: true });
    writeFileSync(join(repo, 'dists/stable/main/binary-amd64/Packages'), packages);
    writeFileSync(join(repo, 'dists/stable/Release'), `Suite: stable\nCodename: stable\nArchitectures: amd64\nComponents: main\nSHA256:\n ${sha(packages)} ${packages.length} main/binary-amd64/Packages\n`);
    const r = await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo, keep: 1 });
    assert.deepEqual(r.removed, ['keys/archive.asc', 'pool/main/p/pa/pa_0.9_all.deb']);
    assert.equal(names(repo), 'Package: pa Version: 1.0');
    assert.ok(!existsSync(join(repo, 'pool/main/p/pa/pa_0.9_all.deb')));
    assert.deepEqual(readFileSync(join(repo, 'keys/archive.asc')), key);
    assert.ok(r.notes.some((n) => /^keys\/archive\.asc was taken out of the index but left in place: it is not a package file/.test(n)), r.notes.join('\n'));
  });

  it('replace: a different file under a published name+version+arch replaces it on purpose', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo });
    const rebuilt = quickDeb('pa', '1.0', 'all', scratch(), '-rebuilt');
    await rejectsWith(() => publishAptRepository([rebuilt], { dir: repo }), 'E_PUBLISH_CONFLICT');
    const r = await publishAptRepository([rebuilt], { dir: repo, replace: true });
    assert.deepEqual(r.replaced, ['pool/main/p/pa/pa_1.0_all.deb']);
    const sha = run('sha256sum', [rebuilt]).split(' ')[0];
    assert.equal(run('sha256sum', [join(repo, 'pool/main/p/pa/pa_1.0_all.deb')]).split(' ')[0], sha);
    assert.match(readFileSync(join(repo, 'dists/stable/main/binary-amd64/Packages'), 'utf8'), new RegExp(`SHA256: ${sha}`));
  });

  it('is incremental: the pool is never read (an unreadable pool file of another package does not matter); suites and components share the pool', async () => {
    const repo = scratch();
    await publishAptRepository([quickDeb('pa', '1.0')], { dir: repo });
    writeFileSync(join(repo, 'pool/main/p/pa/pa_1.0_all.deb'), 'not a package');
    await publishAptRepository([quickDeb('pb', '1.0')], { dir: repo });
    await publishAptRepository([quickDeb('pc', '1.0')], { dir: repo, component: 'contrib' });
    await publishAptRepository([quickDeb('pd', '1.0')], { dir: repo, suite: 'testing' });
    assert.equal(names(repo), 'Package: pa Version: 1.0 Package: pb Version: 1.0');
    assert.equal(names(repo, 'contrib/binary-amd64'), 'Package: pc Version: 1.0');
    assert.equal(release(repo).Components, 'contrib main');
    assert.equal(names(repo, 'main/binary-amd64', 'testing'), 'Package: pd Version: 1.0');
    assert.ok(existsSync(join(repo, 'pool/contrib/p/pc/pc_1.0_all.deb')));
  });
});
