import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDeb } from '../../../src/formats/deb/writer.js';
import { scratch } from '../../support/tmp.js';
import { featureFixture, writeOptions } from './fixture.js';
import { planFromTree } from './plan-from-tree.js';
import { metadata } from './fixture.js';
import { mountTmpfs, unmountTmpfs } from '../../support/tmpfs.js';

describe('formats/deb writer: atomic output', function () {
  it('an abort fired from onProgress mid-write rejects with E_INTERRUPTED and leaves nothing in outDir', async () => {
    const fx = featureFixture();
    const outDir = scratch();
    const ac = new AbortController();
    const calls: number[] = [];
    await assert.rejects(
      writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(outDir, {
        signal: ac.signal,
        onProgress: (done, total) => {
          calls.push(done);
          if (done > 0 && done < total) ac.abort();
        },
      })),
      (e: { code: string }) => e.code === 'E_INTERRUPTED',
    );
    assert.ok(calls.some((d) => d > 0), 'onProgress was never called with progress');
    assert.deepEqual(readdirSync(outDir), []);
  });

  describe('on a full disk (a 200 KiB tmpfs)', function () {
    let mnt: string | undefined;
    before(function () {
      mnt = mountTmpfs(this, '200k');
    });
    after(() => unmountTmpfs(mnt));

    for (const compression of ['gzip', 'zstd', 'none'] as const) it(`with ${compression}: rejects with E_WRITE_FAILED naming the lack of space and leaves no partial .deb`, async () => {
      const src = scratch();
      mkdirSync(join(src, 'usr/share/acme'), { recursive: true });
      writeFileSync(join(src, 'usr/share/acme/random.bin'), randomBytes(1 << 20));
      const plan = planFromTree(src);
      await assert.rejects(
        writeDeb(plan, metadata(), {}, writeOptions(mnt!, { compression, level: compression === 'none' ? 0 : 1 })),
        (e: { code: string; message: string }) => e.code === 'E_WRITE_FAILED' && /no space left/i.test(e.message),
      );
      assert.deepEqual(readdirSync(mnt!), []);
    });
  });
});
