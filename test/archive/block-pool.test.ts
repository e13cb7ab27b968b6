import { strict as assert } from 'node:assert';
import { BlockPool } from '../../src/archive/block-pool.js';

describe('archive/block-pool BlockPool', () => {
  it('never hands out more than max blocks: take() waits until the last reader releases one, then reuses it', async () => {
    const pool = new BlockPool(1024, 2);
    const a = await pool.take();
    const b = await pool.take();
    assert.notEqual(a.buffer, b.buffer);
    let third: Buffer | undefined;
    const waiting = pool.take().then((x) => (third = x));
    pool.retain(a);
    pool.retain(a.subarray(0, 10)); // a second reader of the same block, through a view
    await new Promise((r) => setImmediate(r));
    assert.equal(third, undefined, 'both blocks are in use');
    pool.release(a);
    await new Promise((r) => setImmediate(r));
    assert.equal(third, undefined, 'one reader still holds the block');
    pool.release(a.subarray(0, 10));
    await waiting;
    assert.equal(third!.buffer, a.buffer, 'the released block is reused');
    assert.equal(third!.length, 1024);
  });

  it('fail() rejects a waiting take() and every later one with the given error', async () => {
    const pool = new BlockPool(16, 1);
    await pool.take();
    const waiting = pool.take();
    pool.fail(new Error('pipe closed'));
    await assert.rejects(waiting, /pipe closed/);
    await assert.rejects(pool.take(), /pipe closed/);
  });
});
