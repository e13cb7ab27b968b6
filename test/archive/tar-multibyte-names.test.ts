/**
 * The GNU long-name rule counts bytes, not characters: a name of 60 × "ü" is 120 bytes of UTF-8,
 * so it needs a `././@LongLink` record although it is only 60 characters. Judged by GNU tar and
 * dpkg-deb, both of which would show a name cut at 100 bytes if the check counted characters.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { TarEncoder, type TarEntryHeader } from '../../src/archive/tar.js';
import { writeDeb } from '../../src/formats/deb/writer.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { metadata, writeOptions } from '../formats/deb/fixture.js';
import { planFromTree } from '../formats/deb/plan-from-tree.js';

/** 60 characters, 120 bytes. */
const UMLAUTS = 'ü'.repeat(60);
/** 40 characters, 120 bytes. */
const KANJI = '日'.repeat(40);
const h = (path: string, mode: number): TarEntryHeader => ({ path, mode, uname: 'root', gname: 'root', mtime: 1_600_000_000 });

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe('archive/tar: names of few characters but more than 100 bytes', function () {
  this.timeout(60_000);

  before(function () {
    assert.ok(Buffer.byteLength(UMLAUTS) > 100 && UMLAUTS.length <= 100, 'the name is short in characters, long in bytes');
    requireTools(this, 'tar', 'dpkg-deb');
  });

  it('GNU tar lists and extracts a 60 × "ü" file, a 40 × "日" directory and a 60 × "ü" symlink target intact', async () => {
    const dir = scratch();
    const file = join(dir, 'names.tar');
    const out = createWriteStream(file);
    const t = new TarEncoder(out);
    await t.addDirectory(h('./', 0o755));
    await t.addFile(h(`./${UMLAUTS}`, 0o644), 3, Buffer.from('abc'));
    await t.addDirectory(h(`./${KANJI}/`, 0o755));
    await t.addFile(h(`./${KANJI}/x`, 0o644), 1, Buffer.from('x'));
    await t.addSymlink(h('./link', 0o777), UMLAUTS);
    await t.finish();
    out.end();
    await finished(out);

    const names = run('tar', ['-tf', file]).split('\n').filter(Boolean);
    assert.deepEqual(names, ['./', `./${UMLAUTS}`, `./${KANJI}/`, `./${KANJI}/x`, './link']);
    const into = join(dir, 'x');
    mkdirSync(into);
    run('tar', ['-xf', file, '-C', into]);
    assert.equal(readFileSync(join(into, UMLAUTS), 'utf8'), 'abc');
    assert.equal(readFileSync(join(into, KANJI, 'x'), 'utf8'), 'x');
    assert.equal(readlinkSync(join(into, 'link')), UMLAUTS);
  });

  it('a .deb shipping /usr/share/pkg/<60 × "ü"> lists and extracts it intact with dpkg-deb', async () => {
    const src = scratch('mkpkg-utf8-src-');
    mkdirSync(join(src, 'usr/share/acme-foo'), { recursive: true });
    writeFileSync(join(src, 'usr/share/acme-foo', UMLAUTS), 'grüße\n');
    symlinkSync(UMLAUTS, join(src, 'usr/share/acme-foo/link'));
    const art = await writeDeb(planFromTree(src), metadata(), {}, writeOptions(scratch()));
    const listed = run('dpkg-deb', ['-c', art.path]);
    assert.match(listed, new RegExp(`\\./usr/share/acme-foo/${UMLAUTS}$`, 'm'));
    assert.match(listed, new RegExp(`\\./usr/share/acme-foo/link -> ${UMLAUTS}$`, 'm'));
    const into = scratch();
    run('dpkg-deb', ['-x', art.path, into]);
    assert.equal(readFileSync(join(into, 'usr/share/acme-foo', UMLAUTS), 'utf8'), 'grüße\n');
    assert.equal(readlinkSync(join(into, 'usr/share/acme-foo/link')), UMLAUTS);
  });
});
