/**
 * The yum publisher, judged by the real dnf (repoquery against the repository directory, with
 * gpgcheck and repo_gpgcheck) and against createrepo_c's repodata for the same packages.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { publishYumRepository, yumRepository } from '../../src/publish/index.js';
import { readGzipMembers } from '../../src/publish/gzip-members.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, run } from '../pipeline/support.js';
import { newKey, type TestKey } from './support.js';
import { quickRpm } from './packages.js';

const REQ = [{ name: 'tiny-lib', flags: 12, version: '1.0' }, { name: '/bin/sh', flags: 0, version: '' }];

/** dnf against `repo` only, with the repository's key for package and metadata signatures. */
function dnf(repo: string, args: string[], key?: TestKey): { status: number | null; out: string } {
  const cache = scratch('mkpkg-dnf-');
  const gpg = key
    ? ['--setopt=r.gpgcheck=1', '--setopt=r.repo_gpgcheck=1', `--setopt=r.gpgkey=file://${key.pubAsc}`]
    : ['--setopt=r.gpgcheck=0', '--setopt=r.repo_gpgcheck=0'];
  const r = spawnSync('dnf', ['-q', '-y', '--releasever=1', `--setopt=cachedir=${cache}`, '--setopt=skip_if_unavailable=False', '--disablerepo=*', `--repofrompath=r,file://${repo}`, ...gpg, ...args], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const QF = '%{name} %{epoch}:%{version}-%{release} %{arch} %{location} %{size} %{installsize} %{buildtime}';
/** `dnf repoquery --available ARGS` lines (dnf's own notices, such as a key import, left out). */
const repoquery = (repo: string, args: string[], key?: TestKey) => {
  const r = dnf(repo, ['repoquery', '--available', ...args], key);
  assert.equal(r.status, 0, r.out);
  return r.out.split('\n').filter((l) => l && !/^(Unable to detect|Importing GPG| Userid| Fingerprint| From)/.test(l)).sort();
};
const query = (repo: string, key?: TestKey) => repoquery(repo, ['--qf', QF], key);

describe('publish: yum repository', function () {
  this.timeout(180_000);
  let key: TestKey;
  before(function () {
    requireTools(this, 'dnf', 'createrepo_c', 'gpg', 'rpm');
    key = newKey('yumrepo', 'rsa3072');
  });

  it('dnf resolves the same packages, versions, dependencies and files from our repodata as from createrepo_c\'s on the same packages', async () => {
    const repo = scratch();
    const rpms = [await quickRpm('tiny', '1.0.0', { requires: REQ }), await quickRpm('tiny', '1.1.0', { requires: REQ }), await quickRpm('tiny-lib', '1.0.0', { arch: 'x86_64' })];
    for (const r of rpms) await publishYumRepository([r], { dir: repo });
    const twin = scratch();
    cpSync(join(repo, 'Packages'), join(twin, 'Packages'), { recursive: true });
    run('createrepo_c', ['-q', twin]);
    assert.deepEqual(query(repo), query(twin));
    // createrepo_c reads the documents mkpkg extended (several gzip members) and keeps what they list.
    const updated = scratch();
    cpSync(repo, updated, { recursive: true });
    run('createrepo_c', ['-q', '--update', updated]);
    assert.deepEqual(query(updated), query(twin));
    for (const what of ['--requires', '--provides', '--list']) {
      assert.deepEqual(repoquery(repo, [what, 'tiny']), repoquery(twin, [what, 'tiny']), what);
    }
    // Same primary.xml apart from the file time createrepo_c takes from the file system.
    const primary = (dir: string) => {
      const href = /<location href="(repodata\/[^"]+-primary\.xml\.gz)"/.exec(readFileSync(join(dir, 'repodata/repomd.xml'), 'utf8'))![1]!;
      return gunzipSync(readFileSync(join(dir, href))).toString().replace(/<time file="[0-9]+"/g, '<time file=""');
    };
    assert.equal(primary(repo), primary(twin));
  });

  it('repomd.xml lists primary, filelists and other with checksum, open-checksum, sizes and timestamps that match the files (written whole, then extended by a gzip member)', async () => {
    const repo = scratch();
    for (const version of ['1.0.0', '1.1.0']) {
      await publishYumRepository([await quickRpm('tiny', version)], { dir: repo });
      const repomd = readFileSync(join(repo, 'repodata/repomd.xml'), 'utf8');
      for (const type of ['primary', 'filelists', 'other']) {
        const block = new RegExp(`<data type="${type}">([\\s\\S]*?)</data>`).exec(repomd)![1]!;
        const get = (re: RegExp) => re.exec(block)![1]!;
        const href = get(/<location href="([^"]+)"/);
        const gz = readFileSync(join(repo, href));
        const open = gunzipSync(gz);
        assert.equal(get(/<checksum type="sha256">([0-9a-f]+)</), run('sha256sum', [join(repo, href)]).split(' ')[0]);
        assert.equal(get(/<open-checksum type="sha256">([0-9a-f]+)</), run('sh', ['-c', 'zcat "$1" | sha256sum', 'sh', join(repo, href)]).split(' ')[0]);
        assert.equal(Number(get(/<size>([0-9]+)</)), gz.length);
        assert.equal(Number(get(/<open-size>([0-9]+)</)), open.length);
        assert.ok(Math.abs(Number(get(/<timestamp>([0-9]+)</)) - Date.now() / 1000) < 600);
        assert.match(href, new RegExp(`^repodata/[0-9a-f]{64}-${type}\\.xml\\.gz$`));
        // head, chunks, foot: the second publish added one member and copied the others.
        assert.equal(readGzipMembers(gz).members.length, version === '1.0.0' ? 3 : 4);
        assert.equal((open.toString().match(/<package[ >]/g) ?? []).length, version === '1.0.0' ? 1 : 2);
        assert.match(open.toString(), version === '1.0.0' ? /packages="1"/ : /packages="2"/);
      }
    }
    assert.deepEqual(query(repo).map((l) => l.split(' ').slice(0, 2).join(' ')), ['tiny 0:1.0.0-1', 'tiny 0:1.1.0-1']);
  });

  it('signed: dnf with gpgcheck=1 and repo_gpgcheck=1 accepts it; a tampered repomd.xml and a wrong key are refused', async () => {
    const repo = scratch();
    await publishYumRepository([await quickRpm('tiny', '1.0.0', { signKey: key.secret })], { dir: repo, signKey: key.secret });
    run('gpgv', ['--keyring', key.pub, join(repo, 'repodata/repomd.xml.asc'), join(repo, 'repodata/repomd.xml')]);
    assert.deepEqual(query(repo, key).map((l) => l.split(' ').slice(0, 2).join(' ')), ['tiny 0:1.0.0-1']);
    const other = newKey('other', 'rsa3072');
    const wrong = dnf(repo, ['repoquery', '--available', 'tiny'], other);
    assert.notEqual(wrong.status, 0, 'a wrong key is refused');
    assert.match(wrong.out, /repomd\.xml GPG signature verification error/);
    const repomd = join(repo, 'repodata/repomd.xml');
    writeFileSync(repomd, readFileSync(repomd, 'utf8').replace('<revision>', '<revision>1'));
    const tampered = dnf(repo, ['repoquery', '--available', 'tiny'], key);
    assert.notEqual(tampered.status, 0, 'a tampered repomd.xml is refused');
    assert.match(tampered.out, /repomd\.xml GPG signature verification error/);
  });

  it('incremental on createrepo_c\'s repodata: keeps its packages, adds ours; identical again is a no-op; a different file is E_PUBLISH_CONFLICT; keep and replace', async () => {
    const repo = scratch();
    const first = await quickRpm('tiny', '1.0.0');
    cpSync(first, join(repo, 'tiny-1.0.0-1.noarch.rpm'));
    run('createrepo_c', ['-q', repo]);
    const v11 = await quickRpm('tiny', '1.1.0');
    const r = await publishYumRepository([v11], { dir: repo });
    assert.deepEqual(r.added, ['Packages/t/tiny-1.1.0-1.noarch.rpm']);
    assert.deepEqual(query(repo).map((l) => l.split(' ').slice(0, 4).join(' ')), ['tiny 0:1.0.0-1 noarch tiny-1.0.0-1.noarch.rpm', 'tiny 0:1.1.0-1 noarch Packages/t/tiny-1.1.0-1.noarch.rpm']);
    const repomd = readFileSync(join(repo, 'repodata/repomd.xml'));
    const again = await publishYumRepository([v11], { dir: repo });
    assert.deepEqual([again.changed, again.unchanged], [false, ['Packages/t/tiny-1.1.0-1.noarch.rpm']]);
    assert.deepEqual(readFileSync(join(repo, 'repodata/repomd.xml')), repomd);
    const e = await rejectsWith(async () => publishYumRepository([await quickRpm('tiny', '1.1.0', { salt: 'x' })], { dir: repo }), 'E_PUBLISH_CONFLICT');
    assert.match(e.hint ?? '', /SOURCE_DATE_EPOCH/);
    const rep = await publishYumRepository([await quickRpm('tiny', '1.1.0', { salt: 'x' })], { dir: repo, replace: true });
    assert.deepEqual(rep.replaced, ['Packages/t/tiny-1.1.0-1.noarch.rpm']);
    const kept = await publishYumRepository([await quickRpm('tiny', '1.10.0')], { dir: repo, keep: 2 });
    assert.deepEqual(kept.removed, ['tiny-1.0.0-1.noarch.rpm']);
    assert.ok(!existsSync(join(repo, 'tiny-1.0.0-1.noarch.rpm')));
    assert.deepEqual(query(repo).map((l) => l.split(' ').slice(0, 2).join(' ')), ['tiny 0:1.1.0-1', 'tiny 0:1.10.0-1']);
  });

  it('keep on repodata another tool wrote deletes only .rpm files outside repodata/: an entry whose location names any other object leaves it, with a note', async () => {
    const repo = scratch();
    cpSync(await quickRpm('tiny', '1.0.0'), join(repo, 'tiny-1.0.0-1.noarch.rpm'));
    run('createrepo_c', ['-q', repo]);
    // Its primary document names another object as the package's location; repomd.xml is made to match.
    mkdirSync(join(repo, 'secret'));
    writeFileSync(join(repo, 'secret/keep-me.txt'), 'not a package\n');
    const repomdPath = join(repo, 'repodata/repomd.xml');
    let repomd = readFileSync(repomdPath, 'utf8');
    const block = /<data type="primary">[\s\S]*?<\/data>/.exec(repomd)![0];
    const href = /<location href="([^"]+)"/.exec(block)![1]!;
    const xml = gunzipSync(readFileSync(join(repo, href))).toString('utf8').replace('href="tiny-1.0.0-1.noarch.rpm"', 'href="secret/keep-me.txt"');
    const gz = gzipSync(xml);
    writeFileSync(join(repo, href), gz);
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    repomd = repomd.replace(block, block
      .replace(/(<checksum type="sha256">)[0-9a-f]+/, `$1${sha(gz)}`).replace(/(<open-checksum type="sha256">)[0-9a-f]+/, `$1${sha(xml)}`)
      .replace(/(<size>)[0-9]+/, `$1${gz.length}`).replace(/(<open-size>)[0-9]+/, `$1${Buffer.byteLength(xml)}`));
    writeFileSync(repomdPath, repomd);
    const r = await publishYumRepository([await quickRpm('tiny', '1.1.0')], { dir: repo, keep: 1 });
    assert.deepEqual(r.removed, ['secret/keep-me.txt']);
    assert.equal(readFileSync(join(repo, 'secret/keep-me.txt'), 'utf8'), 'not a package\n');
    assert.ok(r.notes.some((n) => /^secret\/keep-me\.txt was taken out of the index but left in place: it is not a package file/.test(n)), r.notes.join('\n'));
    assert.deepEqual(query(repo).map((l) => l.split(' ').slice(0, 2).join(' ')), ['tiny 0:1.1.0-1']);
  });

  it('a signed repository and no key is E_PUBLISH_UNSIGNED, changing nothing', async () => {
    const repo = scratch();
    await publishYumRepository([await quickRpm('tiny', '1.0.0')], { dir: repo, signKey: key.secret });
    const before = readFileSync(join(repo, 'repodata/repomd.xml'));
    await rejectsWith(async () => publishYumRepository([await quickRpm('tiny', '1.1.0')], { dir: repo }), 'E_PUBLISH_UNSIGNED');
    assert.deepEqual(readFileSync(join(repo, 'repodata/repomd.xml')), before);
    assert.ok(!existsSync(join(repo, 'Packages/t/tiny-1.1.0-1.noarch.rpm')));
  });

  it('yumRepository() checks keep and lockTimeout when the config is loaded (E_USAGE naming the flag)', () => {
    assert.throws(() => yumRepository({ dir: 'out/yum', keep: 0 }), (e: Error & { code?: string }) => e.code === 'E_USAGE' && /--keep .* not 0/.test(e.message));
    assert.throws(() => yumRepository({ dir: 'out/yum', lockTimeout: -1 }), (e: Error & { code?: string }) => e.code === 'E_USAGE' && /--lock-timeout .* not -1/.test(e.message));
    assert.equal(yumRepository({ dir: 'out/yum', keep: 2, lockTimeout: 0 }).name, 'yum-repository');
  });
});
