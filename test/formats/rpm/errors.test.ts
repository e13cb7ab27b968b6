/** Bad input is rejected with a stable code before anything is written. */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { RPMSENSE } from '../../../src/config/resolved.js';
import { MkpkgError } from '../../../src/errors.js';
import { writeRpm } from '../../../src/formats/rpm/writer.js';
import { readRpm } from '../../../src/formats/rpm/reader.js';
import { scratch } from '../../support/tmp.js';
import { MTIME, data, file, hardlink, metaOf, planOf } from './helpers.js';
import type { RpmMetadata } from '../../../src/config/resolved.js';
import type { Plan } from '../../../src/plan/types.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

async function rejects(code: string, plan: Plan, meta: RpmMetadata, extra: Record<string, unknown> = {}): Promise<MkpkgError> {
  const outDir = scratch('mkpkg-rpm-bad-');
  let caught: unknown;
  try {
    await writeRpm(plan, meta, {}, { outDir, compression: 'gzip', level: 6, sourceDateEpoch: MTIME, ...extra });
  } catch (e) { caught = e; }
  assert.ok(caught instanceof MkpkgError, `expected MkpkgError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.ok(caught.hint, 'has a hint');
  assert.deepEqual(readdirSync(outDir), [], 'nothing was written');
  return caught;
}

const plan = () => planOf(data('/opt/bad/a', 'a'));

describe('rpm writer: rejected input', () => {
  it('a version containing "-" is E_VERSION_INVALID, naming the field and value', async () => {
    const e = await rejects('E_VERSION_INVALID', plan(), metaOf({ version: '1.2.0-rc.1' }));
    assert.match(e.message, /version "1\.2\.0-rc\.1"/);
  });

  it('a release containing "-" is E_VERSION_INVALID', async () => {
    const e = await rejects('E_VERSION_INVALID', plan(), metaOf({ release: '1-2' }));
    assert.match(e.message, /release "1-2"/);
  });

  it('a dependency with a version but no comparison flags is E_DEPENDENCY_INVALID', async () => {
    const e = await rejects('E_DEPENDENCY_INVALID', plan(), metaOf({ relations: { requires: [{ name: 'nodejs', flags: 0, version: '18' }] } }));
    assert.match(e.message, /requires entry .*nodejs/);
  });

  it('a dependency combining < and > is E_DEPENDENCY_INVALID', async () => {
    await rejects('E_DEPENDENCY_INVALID', plan(), metaOf({ relations: { conflicts: [{ name: 'x', flags: RPMSENSE.LESS | RPMSENSE.GREATER, version: '1' }] } }));
  });

  it('a dependency with unknown flag bits or a name with spaces is E_DEPENDENCY_INVALID', async () => {
    await rejects('E_DEPENDENCY_INVALID', plan(), metaOf({ relations: { requires: [{ name: 'x', flags: 1 << 30, version: '' }] } }));
    await rejects('E_DEPENDENCY_INVALID', plan(), metaOf({ relations: { requires: [{ name: 'node js', flags: 0, version: '' }] } }));
  });

  it('an unreadable signing key is E_SIGN_KEY and nothing is written', async () => {
    await rejects('E_SIGN_KEY', plan(), metaOf(), { signKey: { armoredKey: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnot a key\n-----END PGP PRIVATE KEY BLOCK-----\n' } });
  });

  it('a hardlink to a path that is not a file of the plan is E_PLAN_INVALID', async () => {
    await rejects('E_PLAN_INVALID', planOf(data('/opt/bad/a', 'a'), hardlink('/opt/bad/b', '/opt/bad/missing')), metaOf());
  });

  // gzip and none pass the compressed bytes through node; xz and zstd write the payload file themselves.
  for (const compression of ['gzip', 'none', 'xz', 'zstd'] as const) {
    it(`aborting mid-write (${compression}) is E_INTERRUPTED and leaves neither the package nor the payload temp file`, async () => {
      const src = scratch('mkpkg-rpm-abort-src-');
      writeFileSync(join(src, 'big'), Buffer.alloc(8 << 20, 7));
      const outDir = scratch('mkpkg-rpm-abort-');
      const ac = new AbortController();
      let caught: unknown;
      try {
        await writeRpm(planOf(file('/opt/ab/big', join(src, 'big'), 8 << 20)), metaOf(), {}, {
          outDir, compression, level: 1, sourceDateEpoch: MTIME, signal: ac.signal, onProgress: (done) => { if (done > 0) ac.abort(); },
        });
      } catch (e) { caught = e; }
      assert.ok(caught instanceof MkpkgError && caught.code === 'E_INTERRUPTED', String(caught));
      assert.deepEqual(readdirSync(outDir), []);
    });
  }

  it('readRpm of a file that is not an rpm, or is truncated, is E_READ_PACKAGE', async () => {
    const d = scratch('mkpkg-rpm-read-');
    writeFileSync(join(d, 'x.rpm'), 'hello world, not an rpm at all'.repeat(10));
    await assert.rejects(readRpm(join(d, 'x.rpm')), (e: unknown) => e instanceof MkpkgError && e.code === 'E_READ_PACKAGE');
    await assert.rejects(readRpm(join(d, 'missing.rpm')), (e: unknown) => e instanceof MkpkgError && e.code === 'E_READ_PACKAGE');
  });
});
