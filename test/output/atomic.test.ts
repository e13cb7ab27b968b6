/** The atomic-write helpers on the real filesystem, including a full disk (a small tmpfs, root only). */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFileAtomically, writeFileAtomically } from '../../src/output/atomic.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith } from '../pipeline/support.js';
import { mountTmpfs, unmountTmpfs } from '../support/tmpfs.js';

const HINT = 'free some space in the test directory';

describe('output/atomic: writeFileAtomically and copyFileAtomically', () => {
  it('write a string, bytes and a copy with mode 0644 (less the umask), replacing existing files, leaving no temp file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a'), 'old contents, longer than the new ones\n');
    await writeFileAtomically(join(dir, 'a'), 'hé\n');
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'hé\n');
    const bytes = randomBytes(3 << 20);
    await writeFileAtomically(join(dir, 'b'), bytes);
    assert.ok(readFileSync(join(dir, 'b')).equals(bytes));
    chmodSync(join(dir, 'b'), 0o600);
    await copyFileAtomically(join(dir, 'b'), join(dir, 'a'));
    assert.ok(readFileSync(join(dir, 'a')).equals(bytes));
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o644 & ~process.umask());
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'b']);
  });

  it('an aborted write or a missing source keeps the previous file and leaves no temp file', async () => {
    const dir = scratch();
    const dest = join(dir, 'Packages');
    writeFileSync(dest, 'previous\n');
    await rejectsWith(() => writeFileAtomically(dest, 'new\n', { signal: AbortSignal.abort() }), 'E_INTERRUPTED');
    const e = await rejectsWith(() => copyFileAtomically(join(dir, 'missing.deb'), dest), 'E_WRITE_FAILED');
    assert.match(e.message, /Packages/);
    assert.match(e.message, /missing\.deb/);
    assert.equal(readFileSync(dest, 'utf8'), 'previous\n');
    assert.deepEqual(readdirSync(dir), ['Packages']);
  });

  it('a missing directory is E_OUTPUT_UNWRITABLE with the given hint', async () => {
    const e = await rejectsWith(() => writeFileAtomically(join(scratch(), 'no/such/Release'), 'x', { hint: HINT }), 'E_OUTPUT_UNWRITABLE');
    assert.equal(e.hint, HINT);
  });

  describe('on a full disk (a 256 KiB tmpfs)', function () {
    let mnt: string | undefined;
    before(function () {
      mnt = mountTmpfs(this, '256k');
    });
    after(() => unmountTmpfs(mnt));

    it('both reject with E_WRITE_FAILED "no space left" naming the file, with the given hint; the previous file stays whole', async () => {
      const dest = join(mnt!, 'index');
      writeFileSync(dest, 'previous\n');
      const big = join(scratch(), 'big');
      writeFileSync(big, randomBytes(1 << 20));
      for (const attempt of [() => writeFileAtomically(dest, randomBytes(1 << 20), { hint: HINT }), () => copyFileAtomically(big, dest, { hint: HINT })]) {
        const e = await rejectsWith(attempt, 'E_WRITE_FAILED');
        assert.match(e.message, /no space left/i);
        assert.ok(e.message.includes(dest), e.message);
        assert.equal(e.hint, HINT);
        assert.equal(readFileSync(dest, 'utf8'), 'previous\n');
        assert.deepEqual(readdirSync(mnt!), ['index']);
      }
    });
  });
});
