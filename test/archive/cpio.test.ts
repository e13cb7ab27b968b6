/** The newc cpio encoder, read back and extracted by GNU cpio. */
import { strict as assert } from 'node:assert';
import { createWriteStream, lstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeCpio, type CpioMember } from '../../src/archive/cpio.js';
import { endStream } from '../../src/archive/sink.js';
import { MkpkgError } from '../../src/errors.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { spawnSync } from 'node:child_process';

const REG = 0o100000;
const DIR = 0o040000;
const LNK = 0o120000;

async function archive(members: Iterable<CpioMember>): Promise<{ path: string; size: number }> {
  const path = join(scratch('mkpkg-cpio-'), 'a.cpio');
  const out = createWriteStream(path);
  const size = await writeCpio(out, members);
  await endStream(out);
  return { path, size };
}

function cpio(args: string[], cwd: string, input: string): string {
  const r = spawnSync('cpio', args, { cwd, input: readFileSync(input), encoding: 'buffer' });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString('utf8') + r.stderr.toString('utf8');
}

describe('cpio newc encoder', function () {
  before(function () { requireTools(this, 'cpio'); });

  const longName = `/opt/c/${'x'.repeat(150)}/${'y'.repeat(150)}/file`;
  const big = randomBytes(3 * (1 << 20) + 5);

  it('GNU cpio extracts files, dirs, a symlink, a hardlink pair, long and UTF-8 names with their contents and modes', async () => {
    const src = scratch('mkpkg-cpio-src-');
    writeFileSync(join(src, 'big'), big);
    const m = (path: string, mode: number, ino: number, size = 0, content?: CpioMember['content']): CpioMember => ({ path, mode, ino, mtime: 1_600_000_000, size, content });
    const { path, size } = await archive([
      m('/opt', DIR | 0o755, 1),
      m('/opt/c', DIR | 0o750, 2),
      m('/opt/c/big', REG | 0o644, 3, big.length, { file: join(src, 'big') }),
      m('/opt/c/h1', REG | 0o755, 4, 6, { data: Buffer.from('hello\n') }),
      m('/opt/c/h2', REG | 0o755, 4, 6, { data: Buffer.from('hello\n') }),
      m('/opt/c/link', LNK | 0o777, 5, 3, { data: Buffer.from('big') }),
      m('/opt/c/ünï-文字', REG | 0o600, 6, 2, { data: Buffer.from('u\n') }),
      m(longName, REG | 0o644, 7, 1, { data: Buffer.from('L') }),
    ]);
    assert.equal(size, lstatSync(path).size, 'returns the archive size');
    assert.equal(size % 4, 0);
    const listing = cpio(['-it', '--quiet'], scratch(), path).trim().split('\n');
    assert.deepEqual(listing, ['./opt', './opt/c', './opt/c/big', './opt/c/h1', './opt/c/h2', './opt/c/link', './opt/c/ünï-文字', `.${longName}`]);
    const dest = scratch('mkpkg-cpio-x-');
    cpio(['-idm', '--quiet', '--no-absolute-filenames'], dest, path);
    assert.ok(readFileSync(join(dest, 'opt/c/big')).equals(big));
    assert.equal(lstatSync(join(dest, 'opt/c')).mode & 0o7777, 0o750);
    assert.equal(lstatSync(join(dest, 'opt/c/h1')).mode & 0o7777, 0o755);
    assert.equal(readFileSync(join(dest, 'opt/c/h2'), 'utf8'), 'hello\n');
    assert.equal(lstatSync(join(dest, 'opt/c/h1')).ino, lstatSync(join(dest, 'opt/c/h2')).ino, 'hardlinked');
    assert.equal(readlinkSync(join(dest, 'opt/c/link')), 'big');
    assert.equal(readFileSync(join(dest, 'opt/c/ünï-文字'), 'utf8'), 'u\n');
    assert.equal(readFileSync(join(dest, longName), 'utf8'), 'L');
    assert.equal(lstatSync(join(dest, 'opt/c/big')).mtimeMs, 1_600_000_000_000);
  });

  it('a hardlink set carries its data once, after the last member, with nlink = set size', async () => {
    const data = Buffer.from('0123456789');
    const members: CpioMember[] = ['/a', '/b', '/c'].map((p) => ({ path: p, mode: REG | 0o644, ino: 9, mtime: 0, size: 10, content: { data } }));
    const { path } = await archive(members);
    const v = cpio(['-itv', '--quiet'], scratch(), path).trim().split('\n');
    assert.deepEqual(v.map((l) => l.split(/\s+/)[1]), ['3', '3', '3'], 'nlink 3 for every member');
    assert.deepEqual(v.map((l) => l.split(/\s+/)[4]), ['0', '0', '10'], 'only the last member has data');
  });

  it('sets interleaved with single files: nlink per set, data with each set\'s last member only', async () => {
    const data = Buffer.from('0123456789');
    const one = Buffer.from('1');
    const m = (path: string, ino: number, d = data): CpioMember => ({ path, mode: REG | 0o644, ino, mtime: 0, size: d.length, content: { data: d } });
    const { path } = await archive([m('/a', 3), m('/x', 4, one), m('/b', 3), m('/y', 5, one)]);
    const v = cpio(['-itv', '--quiet'], scratch(), path).trim().split('\n').map((l) => l.split(/\s+/));
    assert.deepEqual(v.map((f) => f[8]), ['./a', './x', './b', './y']);
    assert.deepEqual(v.map((f) => f[1]), ['2', '1', '2', '1'], 'nlink');
    assert.deepEqual(v.map((f) => f[4]), ['0', '1', '10', '1'], 'sizes: the set\'s data goes with b');
  });

  it('takes members made as they are written (an iterable iterated twice) and refuses a one-shot generator', async () => {
    const data = Buffer.from('abc');
    const list: CpioMember[] = ['/d', '/d/f'].map((p, i) => (i === 0 ? { path: p, mode: DIR | 0o755, ino: 1, mtime: 0, size: 0 } : { path: p, mode: REG | 0o644, ino: 2, mtime: 0, size: 3, content: { data } }));
    let made = 0;
    const lazy: Iterable<CpioMember> = { *[Symbol.iterator]() { for (const x of list) { made++; yield { ...x }; } } };
    const a = await archive(list);
    const b = await archive(lazy);
    assert.equal(made, 4, 'each member made once per pass');
    assert.deepEqual(readFileSync(b.path), readFileSync(a.path), 'the same archive as from an array');
    const once = (function* () { yield* list; })();
    const out = createWriteStream(join(scratch(), 'once.cpio'));
    await assert.rejects(writeCpio(out, once), /gave 2 entries, then 0/);
    out.destroy();
  });

  it('a source file shorter or longer than declared is E_SOURCE_UNREADABLE naming it', async () => {
    for (const [content, what] of [['abc', 'fewer'], ['abcdefghijk', 'more']] as const) {
      const src = join(scratch(), 'changed');
      writeFileSync(src, content);
      const out = createWriteStream(join(scratch(), 'x.cpio'));
      await assert.rejects(writeCpio(out, [{ path: '/s', mode: REG | 0o644, ino: 1, mtime: 0, size: 10, content: { file: src } }]),
        (e: unknown) => e instanceof MkpkgError && e.code === 'E_SOURCE_UNREADABLE' && e.message.includes(src) && e.message.includes('/s') && e.message.includes(what));
      out.destroy();
    }
  });
});
