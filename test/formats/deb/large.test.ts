/**
 * Packages large enough for the fast paths: recycled tar blocks (md5sums hashed from them as files
 * are read) and xz/zstd appending straight to the package file. Judged by dpkg-deb and md5sum.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDeb } from '../../../src/formats/deb/writer.js';
import type { Plan } from '../../../src/plan/types.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { metadata, writeOptions } from './fixture.js';
import { dataEntry, planFromTree } from './plan-from-tree.js';
import { assertSameTree, run } from './tree-compare.js';

const BLOCK = 512 * 1024;
/** Larger than the compressor's pipe and the block pool together: the writer waits on backpressure. */
const BIG = 8 << 20;

/** Pseudo-random but compressible bytes (a seeded LCG over a small alphabet). */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = 97 + ((x >>> 16) % 20);
  }
  return b;
}

/**
 * Sizes chosen to land on and across the 512 KiB block boundaries of the tar encoder: empty files,
 * a file of exactly one block, files larger than several blocks, many small ones, a hard link.
 */
function largeTree(): { src: string; plan: Plan } {
  const src = scratch();
  const lib = join(src, 'usr/lib/big');
  mkdirSync(join(lib, 'many'), { recursive: true });
  writeFileSync(join(lib, 'empty-1'), '');
  writeFileSync(join(lib, 'exact-block'), bytes(BLOCK, 1));
  writeFileSync(join(lib, 'block-minus-512'), bytes(BLOCK - 512, 2));
  writeFileSync(join(lib, 'three-blocks-and-a-bit'), bytes(3 * BLOCK + 77, 3));
  writeFileSync(join(lib, 'huge'), bytes(BIG, 4));
  for (let i = 0; i < 300; i++) writeFileSync(join(lib, 'many', `f${i}.js`), bytes(1 + ((i * 7919) % 9000), 100 + i));
  writeFileSync(join(lib, 'many', 'empty-2'), '');
  linkSync(join(lib, 'exact-block'), join(lib, 'exact-block-link'));
  const plan = planFromTree(src, { extra: [dataEntry('/usr/share/doc/big/copyright', 'Copyright: test\n')] });
  return { src, plan };
}

describe('formats/deb writer: large packages (recycled blocks, direct compressor output)', function () {
  let fx: { src: string; plan: Plan };
  before(function () {
    requireTools(this, 'dpkg-deb', 'md5sum', 'xz', 'zstd');
    fx = largeTree();
  });

  for (const [compression, level] of [['zstd', 3], ['xz', 1], ['gzip', 1], ['none', 0]] as const) {
    it(`with ${compression}: dpkg-deb extracts the same tree and every md5sums line verifies with md5sum -c`, async () => {
      const art = await writeDeb(fx.plan, metadata({ package: 'big', architecture: 'all' }), {}, writeOptions(scratch(), { compression, level }));
      const out = scratch();
      run('dpkg-deb', ['-x', art.path, out]);
      run('dpkg-deb', ['-e', art.path, join(out, 'DEBIAN')]);
      const sums = readFileSync(join(out, 'DEBIAN/md5sums'), 'utf8');
      assert.equal(sums.trim().split('\n').length, 300 + 8, 'one line per regular file and hard link');
      assert.match(sums, /^d41d8cd98f00b204e9800998ecf8427e {2}usr\/lib\/big\/empty-1$/m, 'the md5 of an empty file');
      const md5 = createHash('md5').update(readFileSync(join(fx.src, 'usr/lib/big/exact-block'))).digest('hex');
      assert.match(sums, new RegExp(`^${md5} {2}usr/lib/big/exact-block-link$`, 'm'), 'a hard link carries its target\'s md5');
      run('sh', ['-c', `cd "${out}" && md5sum -c --quiet DEBIAN/md5sums`]);
      assertSameTree(join(out, 'usr/lib/big'), join(fx.src, 'usr/lib/big'));
      assert.equal(createHash('sha256').update(readFileSync(art.path)).digest('hex'), art.sha256, 'the reported sha256 is the file\'s');
    });
  }

  it('is byte-identical across two builds (zstd)', async () => {
    const meta = metadata({ package: 'big', architecture: 'all' });
    const a = await writeDeb(fx.plan, meta, {}, writeOptions(scratch(), { compression: 'zstd', level: 3 }));
    const b = await writeDeb(fx.plan, meta, {}, writeOptions(scratch(), { compression: 'zstd', level: 3 }));
    assert.equal(a.sha256, b.sha256);
  });

  it('a source that shrank after planning rejects with E_SOURCE_UNREADABLE naming it, and leaves nothing in outDir', async () => {
    const src = scratch();
    mkdirSync(join(src, 'opt/x'), { recursive: true });
    writeFileSync(join(src, 'opt/x/a-big'), bytes(BIG + 1000, 9));
    writeFileSync(join(src, 'opt/x/b-shrinks'), bytes(2 * BLOCK, 10));
    const plan = planFromTree(src);
    writeFileSync(join(src, 'opt/x/b-shrinks'), bytes(1000, 10));
    for (const compression of ['zstd', 'gzip'] as const) {
      const outDir = scratch();
      await assert.rejects(
        writeDeb(plan, metadata({ package: 'big', architecture: 'all' }), {}, writeOptions(outDir, { compression, level: 1 })),
        (e: { code: string; message: string }) => e.code === 'E_SOURCE_UNREADABLE' && e.message.includes('b-shrinks'),
      );
      assert.deepEqual(readdirSync(outDir), [], `${compression}: nothing left behind`);
    }
  });
});
