import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArWriter, encodeArHeader } from '../../src/archive/ar.js';
import { readArMembers } from '../../src/archive/ar-read.js';
import { writeChunk } from '../../src/archive/sink.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

function ar(...args: string[]): Buffer {
  const r = spawnSync('ar', args, { maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `ar ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const odd = Buffer.from('x'.repeat(100_001));
const meta = { mtime: 1_700_000_000 };
// Bigger than the 4 MiB move chunk, with a pattern that shows any misplaced chunk.
const big = Buffer.from(Array.from({ length: 9_000_001 }, (_, i) => (i * 7 + (i >> 12)) & 0xff));

describe('archive/ar: ar container, judged by binutils ar', function () {
  before(function () { requireTools(this, 'ar'); });

  it('streams a member of unknown (odd) size, patches its size in place, and pads it', async () => {
    const file = join(scratch(), 'a.ar');
    const fh = await open(file, 'wx+');
    const w = new ArWriter(fh);
    await w.start();
    await w.addBuffer('debian-binary', Buffer.from('2.0\n'), meta);
    const size = await w.addStreamed('odd.bin', meta, async (sink) => {
      await writeChunk(sink, odd.subarray(0, 70_000));
      await writeChunk(sink, odd.subarray(70_000));
    });
    await w.addBuffer('after', Buffer.from('tail'), meta);
    await fh.close();
    assert.equal(size, odd.length);
    assert.deepEqual(ar('t', file).toString().split('\n').filter(Boolean), ['debian-binary', 'odd.bin', 'after']);
    assert.deepEqual(ar('p', file, 'odd.bin'), odd);
    assert.equal(ar('p', file, 'after').toString(), 'tail');
    assert.match(ar('tv', file).toString(), /rw-r--r-- 0\/0 100001 /);
  });

  it('moves an already written member (larger than one copy chunk) to a lower or higher, overlapping offset without corrupting it', async () => {
    for (const gap of [5000, 3, -2]) {
      const file = join(scratch(), 'm.ar');
      const fh = await open(file, 'wx+');
      const w = new ArWriter(fh);
      await w.start();
      const first = Buffer.from('y'.repeat(1001));
      const at = w.offset + 60 + first.length + 1;
      w.offset = at + gap;
      await w.addStreamed('moved', meta, (sink) => writeChunk(sink, big));
      const len = w.offset - (at + gap);
      await w.move(at + gap, at, len);
      w.offset = 8;
      await w.addBuffer('first', first, meta);
      w.offset = at + len;
      await w.truncate();
      await fh.close();
      assert.ok(ar('p', file, 'moved').equals(big), `gap ${gap}`);
      assert.deepEqual(ar('p', file, 'first'), first);
      const rfh = await open(file, 'r');
      const members = await readArMembers(rfh, (await stat(file)).size);
      await rfh.close();
      assert.deepEqual(members.map((m) => [m.name, m.size]), [['first', 1001], ['moved', big.length]]);
    }
  });

  it('rejects member names dpkg cannot read (over 15 characters)', () => {
    assert.throws(() => encodeArHeader('a-very-long-member-name', 1, meta), /invalid member name/);
  });
});
