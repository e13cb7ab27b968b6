import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createWriteStream, lstatSync, readFileSync, readlinkSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TarEncoder, type TarEntryHeader } from '../../src/archive/tar.js';
import { encodeHeaderBlock } from '../../src/archive/tar-header.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

const long100 = 'a'.repeat(60) + '/' + 'b'.repeat(60);
const long255 = ['d'.repeat(90), 'e'.repeat(90), 'f'.repeat(90)].join('/');
const utf8 = 'über-ünïcödé-日本語.txt';
const longTarget = '../' + 'target-'.repeat(20) + 'file';
const h = (path: string, mode: number): TarEntryHeader => ({ path, mode, uname: 'root', gname: 'root', mtime: 1_600_000_000 });

function tar(...args: string[]): string {
  const r = spawnSync('tar', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `tar ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** An archive with every feature the deb writer relies on, written through a real file stream. */
async function buildArchive(dir: string, src: string): Promise<string> {
  const file = join(dir, 'test.tar');
  const out = createWriteStream(file);
  const t = new TarEncoder(out);
  await t.addDirectory(h('./', 0o755));
  await t.addDirectory(h(`./${long100.split('/')[0]}/`, 0o755));
  await t.addDirectory(h(`./${long100}/`, 0o700));
  await t.addFile(h(`./${long100}/short.txt`, 0o644), 5, Buffer.from('hello'));
  await t.addDirectory(h(`./${long255.split('/')[0]}/`, 0o755));
  await t.addDirectory(h(`./${long255.split('/').slice(0, 2).join('/')}/`, 0o755));
  await t.addFileFromPath(h(`./${long255}`, 0o755), statSync(src).size, src);
  await t.addFile(h(`./${utf8}`, 0o640), 3, Readable.from([Buffer.from('ab'), Buffer.from('c')]));
  await t.addDirectory(h('./empty/', 0o750));
  await t.addHardlink(h('./hard', 0o755), `./${long255}`);
  await t.addSymlink(h('./link', 0o777), longTarget);
  await t.finish();
  out.end();
  await finished(out);
  return file;
}

describe('archive/tar: GNU tar encoder, judged by GNU tar', function () {
  let dir: string;
  let archive: string;
  let src: string;

  before(async function () {
    requireTools(this, 'tar');
    dir = scratch();
    src = join(dir, 'src.bin');
    writeFileSync(src, Buffer.alloc(70_000, 'x'));
    archive = await buildArchive(dir, src);
  });

  it('lists names over 100 and 255 bytes, UTF-8 names, and long symlink targets', () => {
    const names = tar('-tf', archive).split('\n').filter(Boolean);
    assert.ok(names.includes(`./${long100}/short.txt`), names.join('\n'));
    assert.ok(names.includes(`./${long255}`));
    assert.ok(names.includes(`./${utf8}`));
    const verbose = tar('-tvf', archive);
    assert.match(verbose, new RegExp(`\\./link -> ${longTarget.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(verbose, /^hrwxr-xr-x .* \.\/hard link to \.\/d{90}\/e{90}\/f{90}$/m);
  });

  it('extracts contents, modes, empty directories, hard and symbolic links', () => {
    const out = join(dir, 'x');
    spawnSync('mkdir', ['-p', out]);
    tar('-xpf', archive, '-C', out);
    assert.equal(readFileSync(join(out, long100, 'short.txt'), 'utf8'), 'hello');
    assert.deepEqual(readFileSync(join(out, long255)), readFileSync(src));
    assert.equal(statSync(join(out, long255)).mode & 0o7777, 0o755);
    assert.equal(statSync(join(out, long100)).mode & 0o7777, 0o700);
    assert.equal(readFileSync(join(out, utf8), 'utf8'), 'abc');
    assert.equal(statSync(join(out, utf8)).mode & 0o7777, 0o640);
    assert.ok(lstatSync(join(out, 'empty')).isDirectory());
    assert.equal(statSync(join(out, 'empty')).mode & 0o7777, 0o750);
    assert.equal(statSync(join(out, 'hard')).ino, statSync(join(out, long255)).ino);
    assert.equal(readlinkSync(join(out, 'link')), longTarget);
    assert.equal(statSync(join(out, utf8)).mtimeMs, 1_600_000_000_000);
  });

  it('writes GNU magic, no pax headers, and ends with two zero blocks', () => {
    const bytes = readFileSync(archive);
    assert.equal(bytes.length % 512, 0);
    const types: string[] = [];
    for (let off = 0; bytes[off] !== 0;) {
      types.push(String.fromCharCode(bytes[off + 156]!));
      const size = parseInt(bytes.subarray(off + 124, off + 136).toString('latin1'), 8);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    assert.ok(!types.some((t) => t === 'x' || t === 'g'), `pax headers among ${types.join('')}`);
    assert.ok(types.includes('L') && types.includes('K'), `expected GNU L and K records among ${types.join('')}`);
    assert.equal(bytes.subarray(257, 265).toString('latin1'), 'ustar  \0');
    assert.ok(bytes.subarray(bytes.length - 1024).every((b) => b === 0));
  });

  it('rejects a Readable that yields fewer bytes than declared, naming the path', async () => {
    const t = new TarEncoder(createWriteStream(join(dir, 'bad.tar')));
    await assert.rejects(t.addFile(h('./short', 0o644), 10, Readable.from([Buffer.from('abc')])), (e: { code: string; message: string }) =>
      e.code === 'E_SOURCE_UNREADABLE' && e.message.includes('./short'));
  });

  it('a file on disk that no longer has the planned size is E_SOURCE_UNREADABLE naming it (fewer, more, more at a block boundary)', async () => {
    // After the 512-byte header, 512 KiB - 512 bytes of content fill the first block exactly.
    const fill = 512 * 1024 - 512;
    for (const [actual, planned, what] of [[3, 10, 'fewer'], [11, 10, 'more'], [fill + 1, fill, 'more'], [0, 1, 'fewer'], [1, 0, 'more']] as const) {
      const src = join(dir, `changed-${actual}-${planned}`);
      writeFileSync(src, Buffer.alloc(actual, 0x61));
      const t = new TarEncoder(createWriteStream(join(dir, 'changed.tar')));
      await assert.rejects(t.addFileFromPath(h('./changed', 0o644), planned, src), (e: { code: string; message: string }) =>
        e.code === 'E_SOURCE_UNREADABLE' && e.message.includes(src) && e.message.includes(`has ${what} than the ${planned} bytes`), `${actual} bytes planned as ${planned}`);
    }
  });

  it('encodes sizes of 8 GiB and more in base-256, which GNU tar reads back', () => {
    const size = 8 * 1024 ** 3 + 5;
    const header = encodeHeaderBlock({ name: 'big', type: '0', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', size, mtime: 0 });
    assert.equal(header[124], 0x80);
    // A header alone is a truncated archive: GNU tar still prints the size it decoded before complaining.
    const file = join(dir, 'big.tar');
    writeFileSync(file, header);
    const r = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' });
    assert.match(r.stdout, new RegExp(` ${size} `));
  });
});
