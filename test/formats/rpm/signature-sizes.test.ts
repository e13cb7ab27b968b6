/**
 * The size tags of the signature header, which `rpm -K` does not check: SIGSIZE (header + payload
 * bytes) against the real file, and ARCHIVESIZE (the uncompressed cpio archive) against rpm2cpio's
 * output. A SIGSIZE that left out the header would still pass rpm -K, rpm -i and rpmlint.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Compression } from '../../../src/archive/compression.js';
import { requireTools } from '../../support/tools.js';
import { build, data, dir, file, metaOf, planOf, qf, run, sourceTree } from './helpers.js';

/** Bytes after the lead and the signature header (padded to 8): the main header and the payload, measured on the file. */
function headerAndPayloadBytes(rpm: Buffer): number {
  const sigAt = 96;
  assert.equal(rpm.readUInt32BE(sigAt), 0x8eade801, 'signature header magic after the lead');
  const il = rpm.readUInt32BE(sigAt + 8);
  const dl = rpm.readUInt32BE(sigAt + 12);
  const sigLen = 16 + 16 * il + dl;
  const mainAt = sigAt + sigLen + ((8 - (sigLen % 8)) % 8);
  assert.equal(rpm.readUInt32BE(mainAt), 0x8eade801, 'main header magic after the padded signature header');
  return rpm.length - mainAt;
}

describe('formats/rpm: signature header sizes against the real file', function () {
  this.timeout(60_000);

  before(function () {
    requireTools(this, 'rpm', 'rpm2cpio');
  });

  for (const compression of ['gzip', 'xz'] as Compression[]) {
    it(`${compression}: SIGSIZE is the main header plus the compressed payload; ARCHIVESIZE is rpm2cpio's byte count`, async () => {
      const src = sourceTree({ 'big.bin': Buffer.alloc(200_000, 3), 'small.txt': 'hello\n' });
      const plan = planOf(
        dir('/usr/share/ping-svc'),
        file('/usr/share/ping-svc/big.bin', `${src}/big.bin`, 200_000),
        file('/usr/share/ping-svc/small.txt', `${src}/small.txt`, 6),
        data('/usr/share/ping-svc/generated.txt', 'generated\n'.repeat(500)),
      );
      const art = await build(plan, metaOf(), {}, { compression, level: 6 });
      const bytes = readFileSync(art.path);
      const sigsize = Number(qf(art.path, '%{SIGSIZE}'));
      const expected = headerAndPayloadBytes(bytes);
      assert.equal(sigsize, expected, `SIGSIZE ${sigsize}, header + payload ${expected} bytes`);
      const cpio = spawnSync('rpm2cpio', [art.path], { maxBuffer: 64 << 20 });
      assert.equal(cpio.status, 0, String(cpio.stderr));
      assert.equal(Number(qf(art.path, '%{ARCHIVESIZE}')), cpio.stdout.length, 'ARCHIVESIZE is the uncompressed cpio size');
      assert.equal(run('rpm', ['-K', '--nosignature', art.path]).status, 0, 'rpm -K accepts the digests');
    });
  }
});
