/** ParallelGzip judged by GNU gzip: valid single-member gzip, the exact bytes back, reproducible. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { ParallelGzip } from '../../src/archive/parallel-gzip.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

const MiB = 1 << 20;

/** Compressible but not trivial: text-like lines with a counter, like a node_modules tree. */
function sample(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size;) {
    x = (x * 1103515245 + 12345) >>> 0;
    const line = `module.exports.f${x % 5000} = function () { return ${x % 977}; };\n`;
    i += out.write(line, i);
  }
  return out;
}

/** Gzip `data` with ParallelGzip, writing it in pieces of `piece` bytes. */
async function pgzip(data: Buffer, level: number, piece: number, jobs?: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const pieces = function* () { for (let i = 0; i < data.length; i += piece) yield data.subarray(i, i + piece); };
  await pipeline(Readable.from(pieces()), new ParallelGzip(level, jobs), new Writable({ write(c: Buffer, _e, cb) { parts.push(c); cb(); } }));
  return Buffer.concat(parts);
}

/** What GNU gzip makes of `gz`: `gzip -t` status and the decompressed bytes. */
function gunzip(gz: Buffer): { ok: boolean; data: Buffer; list: string } {
  const f = join(scratch(), 'x.gz');
  writeFileSync(f, gz);
  const t = spawnSync('gzip', ['-t', f]);
  const d = spawnSync('gzip', ['-dc', f], { maxBuffer: 1 << 30 });
  const l = spawnSync('gzip', ['-lv', f], { encoding: 'utf8' });
  return { ok: t.status === 0 && d.status === 0, data: d.stdout, list: l.stdout };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('ParallelGzip (several chunks deflated at once, one gzip member)', function () {
  this.timeout(600_000);
  before(function () { requireTools(this, 'gzip'); });

  // Around the 32 KiB window and the 256 KiB chunk, and many chunks.
  for (const size of [0, 1, 32 * 1024 - 1, 32 * 1024 + 1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 3 * MiB + 12345]) {
    it(`${size} bytes: gzip -t accepts it and gzip -d gives the same bytes back`, async () => {
      const data = sample(size, size);
      const gz = await pgzip(data, 6, 64 * 1024);
      const back = gunzip(gz);
      assert.ok(back.ok, 'gzip -t / gzip -d failed');
      assert.equal(sha(back.data), sha(data));
    });
  }

  it('the bytes do not depend on how the input was split into writes, nor on how many chunks run at once', async () => {
    const data = sample(5 * MiB + 777);
    const a = await pgzip(data, 9, 512 * 1024);
    const b = await pgzip(data, 9, 4096 + 17, 2);
    const c = await pgzip(data, 9, 3 * MiB, 16);
    assert.equal(sha(b), sha(a));
    assert.equal(sha(c), sha(a));
  });

  it('is one gzip member with mtime 0, no name, XFL as zlib sets it, and within 0.5% of single-threaded zlib', async () => {
    const data = sample(4 * MiB + 5);
    for (const [level, xfl] of [[1, 4], [6, 0], [9, 2]] as const) {
      const gz = await pgzip(data, level, 512 * 1024);
      assert.deepEqual([...gz.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3], `header at level ${level}`);
      // gzip -l reads the trailer: the uncompressed size and the CRC must match the data.
      const list = gunzip(gz).list;
      assert.match(list, new RegExp(`\\b${data.length}\\b`), list);
      assert.equal(gz.readUInt32LE(gz.length - 4), data.length);
      const single = gzipSync(data, { level }).length;
      assert.ok(gz.length <= single * 1.005, `level ${level}: ${gz.length} bytes against zlib's ${single}`);
    }
  });

  it('does not pile up output for a slow reader: what waits in memory stays bounded, and the result is still right', async () => {
    const data = sample(12 * MiB);
    const gz = new ParallelGzip(1, 4);
    let most = 0;
    const parts: Buffer[] = [];
    // The reader takes 5 ms per chunk: far slower than deflate at level 1.
    const slow = new Writable({
      highWaterMark: 1,
      write(c: Buffer, _e, cb) {
        most = Math.max(most, gz.readableLength);
        parts.push(c);
        setTimeout(cb, 5);
      },
    });
    const pieces = function* () { for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024); };
    await pipeline(Readable.from(pieces()), gz, slow);
    const out = Buffer.concat(parts);
    assert.equal(sha(gunzip(out).data), sha(data));
    // Bounded by the readable high-water mark plus the output of the jobs in flight (4 x 256 KiB input
    // at most), far below the ~4.5 MB of compressed output the whole input gives.
    assert.ok(most <= 2 * MiB, `up to ${most} bytes of output waited for the reader (of ${out.length} in all)`);
  });
});
