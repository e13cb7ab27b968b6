import { strict as assert } from 'node:assert';
import { closeSync, readFileSync, readSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planItems } from '../../src/plan/build.js';
import { readElfIdentity } from '../../src/plan/elf-dynamic.js';
import { SourceScan } from '../../src/plan/source-scan.js';
import { synthElf } from '../support/elf-synth.js';
import { scratch } from '../support/tmp.js';
import { writeTree } from './helpers.js';

/** Everything `fd` holds from its current offset. */
function readAll(fd: number): string {
  const buf = Buffer.alloc(1 << 16);
  let out = '';
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) out += buf.toString('utf8', 0, n);
  return out;
}

describe('plan/source-scan SourceScan (one open per planned file)', () => {
  const plan = (projectDir: string, scan: SourceScan, src = 'tree') =>
    planItems({ projectDir, contents: [{ src, dst: '/opt/t' }], format: 'deb', sourceDateEpoch: 1, scan });

  it('keeps the files it opened while planning, up to its limit, and hands each over once, positioned at its start', async () => {
    const p = writeTree(scratch(), { 'tree/a': 'alpha', 'tree/b': 'bravo', 'tree/c': 'charlie' });
    const scan = new SourceScan({ keepOpen: 2 });
    try {
      await plan(p, scan);
      for (const n of ['a', 'b', 'c']) unlinkSync(join(p, 'tree', n));
      // a and b were opened while planning and are still readable through the kept descriptors; c was over the limit.
      for (const [n, text] of [['a', 'alpha'], ['b', 'bravo']]) {
        const fd = scan.open(join(p, 'tree', n));
        assert.equal(readAll(fd), text);
        closeSync(fd);
      }
      assert.throws(() => scan.open(join(p, 'tree', 'c')), { code: 'ENOENT' });
      assert.throws(() => scan.open(join(p, 'tree', 'a')), { code: 'ENOENT' }, 'a kept file is handed over once');
    } finally {
      scan.close();
    }
  });

  it('a file replaced by a symlink after planning is not followed when it is opened for the archive (ELOOP), even to a readable file outside the project', async () => {
    const p = writeTree(scratch(), { 'tree/a': 'alpha' });
    const outside = join(scratch(), 'secret');
    writeFileSync(outside, 'not for the package');
    const scan = new SourceScan({ keepOpen: 0 });
    try {
      await plan(p, scan);
      unlinkSync(join(p, 'tree', 'a'));
      symlinkSync(outside, join(p, 'tree', 'a'));
      assert.throws(() => scan.open(join(p, 'tree', 'a')), { code: 'ELOOP' });
    } finally {
      scan.close();
    }
  });

  it('reads the ELF identification from the file it opened: the same as readElfIdentity, null for other files, undefined for files it never planned', async () => {
    const p = writeTree(scratch(), { 'tree/notes.txt': 'just text, long enough to be read as a header\n', 'tree/tiny': 'x' });
    writeFileSync(join(p, 'tree', 'tool'), synthElf({ machine: 183, bits: 64, littleEndian: true, type: 2, interp: '/lib/ld-linux-aarch64.so.1', needed: ['libc.so.6'] }));
    const scan = new SourceScan({ keepOpen: 0 });
    await plan(p, scan);
    const tool = join(p, 'tree', 'tool');
    assert.deepEqual(scan.identity(tool), readElfIdentity(tool));
    assert.equal(scan.identity(tool)?.interp, '/lib/ld-linux-aarch64.so.1');
    assert.equal(scan.identity(join(p, 'tree', 'notes.txt')), null);
    assert.equal(scan.identity(join(p, 'tree', 'tiny')), null);
    assert.equal(scan.identity(join(p, 'elsewhere')), undefined);
  });

  it('with shared walks, a second format plans the same tree without walking it again', async () => {
    const p = writeTree(scratch(), { 'tree/a': 'alpha', 'tree/sub/b': 'bravo' });
    const scan = new SourceScan({ shareWalks: true, keepOpen: 0 });
    const first = await plan(p, scan);
    writeFileSync(join(p, 'tree', 'added-later'), 'not walked again');
    const second = await plan(p, scan);
    assert.deepEqual(second.items.map((s) => s.entry), first.items.map((s) => s.entry));
    scan.endPlanning();
    const fresh = await plan(p, scan);
    assert.ok(fresh.items.some((s) => s.entry.path === '/opt/t/added-later'), 'once planning ended, a walk reads the tree again');
  });

  it('a planned file is read through the descriptor kept for it (a file replaced after planning is read as it was planned)', async () => {
    const p = writeTree(scratch(), { 'tree/a': 'planned' });
    const scan = new SourceScan({ keepOpen: 1 });
    try {
      await plan(p, scan);
      unlinkSync(join(p, 'tree', 'a'));
      writeFileSync(join(p, 'tree', 'a'), 'replaced');
      const fd = scan.open(join(p, 'tree', 'a'));
      assert.equal(readAll(fd), 'planned');
      closeSync(fd);
      assert.equal(readFileSync(join(p, 'tree', 'a'), 'utf8'), 'replaced');
    } finally {
      scan.close();
    }
  });
});
