/** Extending an .xz index by splicing a new block into its one stream, checked with the real xz. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xzIndex } from '../../src/publish/compress.js';
import { appendXz } from '../../src/publish/xz-append.js';
import { run } from '../pipeline/support.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

describe('publish: appending to an .xz file', () => {
  before(function () { requireTools(this, 'xz'); });

  it('gives one stream that xz -t accepts and xz -d decodes to the concatenated text, block after block', async () => {
    const parts = ['Package: a\nVersion: 1\n', ...Array.from({ length: 30 }, (_, i) => `\nPackage: p${i}\n${'x'.repeat(i * 997)}\n`)];
    let xz = await xzIndex(Buffer.from(parts[0]!));
    for (const p of parts.slice(1)) xz = appendXz(xz, await xzIndex(Buffer.from(p)));
    const file = join(scratch(), 'Packages.xz');
    writeFileSync(file, xz);
    run('xz', ['-t', file]);
    assert.equal(run('xz', ['-dc', file]), parts.join(''));
    assert.match(run('xz', ['--robot', '--list', file]), new RegExp(`^totals\\t1\\t${parts.length}\\t`, 'm'));
  });

  it('refuses what it cannot extend (two streams, not xz)', async () => {
    const one = await xzIndex(Buffer.from('a\n'));
    assert.throws(() => appendXz(Buffer.concat([one, one]), one), /^Error: blocks and index disagree$/);
    assert.throws(() => appendXz(Buffer.from('not xz at all, not xz at all'), one), /^Error: not a single xz stream$/);
  });
});
