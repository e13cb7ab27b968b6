/** collectGarbage: what planning leaves behind is freed and the old generation compacted, in this very process. */
import { strict as assert } from 'node:assert';
import { getHeapSpaceStatistics } from 'node:v8';
import { collectGarbage } from '../../src/proc/heap.js';

const MB = 1048576;
const oldSpace = () => {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'old_space')!;
  return { size: s.space_size / MB, used: s.space_used_size / MB };
};
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('proc/heap collectGarbage', () => {
  it('frees dead objects and leaves the survivors on compacted pages (half the objects kept, interleaved)', async () => {
    let all: object[] = [];
    const keep: object[] = [];
    for (let i = 0; i < 400_000; i++) {
      const o = { a: i, b: `x${i}`, c: [i] };
      all.push(o);
      if (i % 2 === 0) keep.push(o);
    }
    await tick(); // promoted to the old generation by now
    const before = oldSpace();
    all = [];
    collectGarbage();
    const after = oldSpace();
    assert.ok(before.used - after.used > 10, `dead objects freed: ${before.used.toFixed(1)} → ${after.used.toFixed(1)} MB used`);
    // Without compaction V8 keeps the half-empty pages: 48 MB of old space for 29 MB of objects here.
    assert.ok(after.size - after.used < 0.25 * after.used, `old space ${after.size.toFixed(1)} MB for ${after.used.toFixed(1)} MB of objects`);
    assert.equal(keep.length, 200_000);
    collectGarbage(); // callable again
  });
});
