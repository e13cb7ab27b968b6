/** Extending an .xz index by adding a stored block to its one stream, checked with the real xz. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xzIndex } from '../../src/publish/compress.js';
import { appendXz } from '../../src/publish/xz-append.js';
import { run } from '../pipeline/support.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

/** `xz --check=CHECK -6` of `text`. */
function xz(text: string, check: string): Buffer {
  const r = spawnSync('xz', [`--check=${check}`, '-6', '-c'], { input: text });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

describe('publish: appending to an .xz file', () => {
  before(function () { requireTools(this, 'xz'); });

  it('gives one stream that xz -t accepts and xz -d decodes to the concatenated text, block after block (over 64 KiB: several LZMA2 chunks)', async () => {
    const parts = ['Package: a\nVersion: 1\n', ...Array.from({ length: 30 }, (_, i) => `\nPackage: p${i}\n${'x'.repeat(i * 997)}\n`), `\n${'ü'.repeat(70_000)}\n`];
    let out = await xzIndex(Buffer.from(parts[0]!));
    for (const p of parts.slice(1)) out = appendXz(out, Buffer.from(p));
    const file = join(scratch(), 'Packages.xz');
    writeFileSync(file, out);
    run('xz', ['-t', file]);
    assert.equal(run('xz', ['-dc', file]), parts.join(''));
    assert.match(run('xz', ['--robot', '--list', file]), new RegExp(`^totals\\t1\\t${parts.length}\\t`, 'm'));
  });

  for (const check of ['crc32', 'crc64', 'sha256', 'none']) {
    it(`keeps the stream's check type (${check}) and writes a check xz verifies`, () => {
      const file = join(scratch(), `Packages-${check}.xz`);
      writeFileSync(file, appendXz(appendXz(xz('Package: a\n', check), Buffer.from('\nPackage: b\n')), Buffer.from('\nPackage: c\n')));
      run('xz', ['-t', file]);
      assert.equal(run('xz', ['-dc', file]), 'Package: a\n\nPackage: b\n\nPackage: c\n');
      const check2 = run('xz', ['--robot', '--list', file]).match(/^totals(?:\t[^\t]*){5}\t([^\t]+)/m)?.[1];
      assert.equal(check2, check === 'none' ? 'None' : check === 'crc32' ? 'CRC32' : check === 'crc64' ? 'CRC64' : 'SHA-256');
    });
  }

  it('a corrupted appended block is caught by xz (the check covers the new data)', () => {
    const good = appendXz(xz('Package: a\n', 'crc64'), Buffer.from('\nPackage: b\n'));
    const bad = Buffer.from(good);
    bad[bad.indexOf('Package: b')] = 0x51;
    const file = join(scratch(), 'Packages-bad.xz');
    writeFileSync(file, bad);
    assert.notEqual(spawnSync('xz', ['-t', file]).status, 0);
  });

  it('refuses what it cannot extend (two streams, not xz)', async () => {
    const one = await xzIndex(Buffer.from('a\n'));
    assert.throws(() => appendXz(Buffer.concat([one, one]), Buffer.from('b\n')), /^Error: blocks and index disagree$/);
    assert.throws(() => appendXz(Buffer.from('not xz at all, not xz at all'), Buffer.from('b\n')), /^Error: not a single xz stream$/);
  });
});
