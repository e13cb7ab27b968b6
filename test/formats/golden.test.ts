/**
 * Byte-identical output across writer changes: a small fixed package (file sources over several
 * tar blocks, data, a symlink, a hard link, a conffile, maintainer scripts) must keep the sha256
 * recorded here. The values were computed on the writers before the issue-17 speed work; a change
 * that alters one is a change of output, never a refactoring. Compressions in-process only (none,
 * gzip via node:zlib): xz and zstd output depends on the installed program's version, so those are
 * checked for reproducibility between two builds instead. Also checks that the sha256 the writer
 * reports is the file's.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Compression } from '../../src/archive/compress.js';
import type { DebMetadata } from '../../src/config/resolved.js';
import { writeDeb } from '../../src/formats/deb/writer.js';
import { writeRpm } from '../../src/formats/rpm/writer.js';
import type { Artifact } from '../../src/formats/types.js';
import type { Plan } from '../../src/plan/types.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { data, file, hardlink, metaOf, MTIME, planOf, symlink } from './rpm/helpers.js';

/** Deterministic pseudo-random bytes (xorshift), compressible enough to exercise the compressors. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = 97 + (x % 7);
  }
  return b;
}

function fixture(): Plan {
  const src = scratch('mkpkg-golden-src-');
  const sizes = { 'big.bin': 1_300_001, 'mid.js': 524_288, 'small.js': 511, 'empty.txt': 0 };
  const entries = Object.entries(sizes).map(([name, size], i) => {
    const p = join(src, name);
    writeFileSync(p, bytes(size, i + 1));
    return file(`/usr/lib/golden/${name}`, p, size, name === 'big.bin' ? 0o755 : 0o644);
  });
  mkdirSync(join(src, 'd'), { recursive: true });
  return planOf(
    ...entries,
    data('/etc/golden/golden.conf', 'port = 8080\n', 0o640, { config: true, noreplace: true }),
    data('/usr/share/doc/golden/README', 'read me\n', 0o644, { doc: true }),
    symlink('/usr/bin/golden', '../lib/golden/big.bin'),
    hardlink('/usr/lib/golden/big-link.bin', '/usr/lib/golden/big.bin'),
  );
}

const debMeta: DebMetadata = {
  package: 'golden', version: '1.0.0-1', architecture: 'all', maintainer: 'Acme Ops <ops@acme.example>',
  synopsis: 'golden package', description: 'A fixed package whose bytes must not change.', section: 'misc', priority: 'optional',
  relations: {},
};
const debScripts = { postinst: { body: '#!/bin/sh\nset -e\necho configured\n' } };
const rpmScripts = { post: { body: 'echo installed\n' } };

async function build(format: 'deb' | 'rpm', plan: Plan, compression: Compression, level: number): Promise<Artifact> {
  const opts = { outDir: scratch('mkpkg-golden-out-'), compression, level, sourceDateEpoch: MTIME };
  return format === 'deb' ? writeDeb(plan, debMeta, debScripts, opts) : writeRpm(plan, metaOf({ name: 'golden' }), rpmScripts, opts);
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const GOLDEN: Record<string, string> = {
  'deb none': 'de0c33b6415bec174b9eeff8bc59439b4bb7c62e26b2d135252d21885b5f5fa5',
  'deb gzip': 'e2048b4a0ecdbc12805f83898da363c236a34fc4f3982623ef7169948218fa34',
  'rpm none': '27a03705ba76b7a3b56eb168794a28517577721126c67483e9f7712d51fb92d5',
  'rpm gzip': '758a4f37f1ca8ed01e56dde26355bcfda9377e380aec675621ca542f5a8b3110',
};

describe('formats: golden package bytes', function () {
  this.timeout(60_000);
  let plan: Plan;
  before(() => { plan = fixture(); });

  for (const key of Object.keys(GOLDEN)) {
    const [format, compression] = key.split(' ') as ['deb' | 'rpm', Compression];
    it(`${key}: the package's sha256 is the recorded one, and the one reported`, async () => {
      const art = await build(format, plan, compression, compression === 'gzip' ? 6 : 0);
      const actual = sha256(art.path);
      assert.equal(art.sha256, actual, 'reported sha256 is not the file\'s');
      assert.equal(readFileSync(art.path).length, art.size);
      assert.equal(actual, GOLDEN[key], `${key} output changed`);
    });
  }

  for (const format of ['deb', 'rpm'] as const) {
    for (const [compression, level] of [['zstd', 3], ['xz', 6]] as const) {
      it(`${format} ${compression}: two builds are byte-identical and the reported sha256 is the file's`, async function () {
        requireTools(this, compression);
        const a = await build(format, plan, compression, level);
        const b = await build(format, plan, compression, level);
        assert.ok(readFileSync(a.path).equals(readFileSync(b.path)), 'builds differ');
        assert.equal(a.sha256, sha256(a.path));
        assert.equal(b.sha256, a.sha256);
      });
    }
  }
});
