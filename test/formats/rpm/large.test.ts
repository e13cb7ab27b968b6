/** Files ≥ 4 GiB: LONGFILESIZES, LONGSIZE, rpmlib(LargeFiles) and rpm's stripped cpio form. */
import { strict as assert } from 'node:assert';
import { statSync, readFileSync, readlinkSync, rmSync, statfsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCI, requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { readRpm } from '../../../src/formats/rpm/reader.js';
import { build, data, file, hardlink, installRoot, metaOf, ok, planOf, qf, rpmRoot, symlink } from './helpers.js';

const SIZE = Math.floor(4.1 * 2 ** 30);

describe('rpm writer: a 4.1 GiB file', function () {
  this.timeout(3_600_000);

  before(function () {
    requireTools(this, 'rpm', 'zstd');
    const fs = statfsSync(scratch('mkpkg-df-'));
    const free = fs.bavail * fs.bsize;
    if (free < 20 * 2 ** 30) {
      const reason = `needs 20 GB free in the temp directory, ${Math.floor(free / 2 ** 30)} GB available`;
      if (isCI) throw new Error(reason);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
  });

  it('is written with LONGFILESIZES and the stripped payload, passes rpm -K, and installs at its full size', async () => {
    const src = scratch('mkpkg-big-');
    const big = join(src, 'big.img');
    writeFileSync(big, '');
    truncateSync(big, SIZE);
    writeFileSync(join(src, 'small'), 'small file\n');
    const p = await build(planOf(
      file('/opt/big/big.img', big, SIZE),
      file('/opt/big/small', join(src, 'small'), 11),
      hardlink('/opt/big/small2', '/opt/big/small'),
      symlink('/opt/big/link', 'big.img'),
      data('/opt/big/note', 'note\n'),
    ), metaOf({ name: 'bigpkg' }), {}, { compression: 'zstd', level: 1 });

    assert.match(ok('rpm', ['-K', p.path]), /digests OK/);
    const dump = ok('rpm', ['-qp', '--dump', p.path]).split('\n').find((l) => l.startsWith('/opt/big/big.img ')) ?? '';
    assert.equal(Number(dump.split(' ')[1]), SIZE);
    assert.ok(ok('rpm', ['-qpR', p.path]).includes('rpmlib(LargeFiles) <= 4.12.0-1'));
    assert.equal(qf(p.path, '%{LONGFILESIZES:arraysize}'), '6');
    const tags = (await readRpm(p.path)).signature;
    assert.equal(tags.payloadSize && tags.payloadSize > SIZE, true, 'LONGARCHIVESIZE holds the > 4 GiB cpio size');
    assert.equal(qf(p.path, '%{LONGSIZE}'), String(SIZE + 11 + 5));

    const root = installRoot();
    try {
      const r = rpmRoot(root, '-i', p.path);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(statSync(join(root, 'opt/big/big.img')).size, SIZE);
      assert.equal(readFileSync(join(root, 'opt/big/small2'), 'utf8'), 'small file\n');
      assert.equal(statSync(join(root, 'opt/big/small2')).ino, statSync(join(root, 'opt/big/small')).ino);
      assert.equal(readlinkSync(join(root, 'opt/big/link')), 'big.img');
      assert.equal(readFileSync(join(root, 'opt/big/note'), 'utf8'), 'note\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(p.path, { force: true });
    }
  });
});
