/**
 * The native RPM v4 writer: lead | signature header | main header | compressed cpio payload.
 * The payload is compressed into a temporary file first (computing its digests), then the
 * headers are built and everything is copied into the output through `writeAtomically`.
 */
import { createHash } from 'node:crypto';
import { unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { assertCompressor, checkLevel } from '../../archive/compress.js';
import type { RpmMetadata, RpmScripts } from '../../config/resolved.js';
import { registerTemp, unregisterTemp, writeAtomically } from '../../output/atomic.js';
import type { Plan } from '../../plan/types.js';
import type { Artifact, WriteOptions } from '../types.js';
import { checkRpmMetadata, checkScripts } from '../../config/check-metadata.js';
import { checkPlan } from '../../plan/check.js';
import { buildRelations, validateRpmIdentity } from './deps.js';
import { needsLargeFiles, planToRpmFiles } from './files.js';
import { encodeHeader } from './header.js';
import { encodeLead } from './lead.js';
import { mainHeaderEntries } from './main-header.js';
import { writePayload } from './payload.js';
import { loadSigningKey, type SignKey } from '../../sign/index.js';
import { signHeader } from './sign.js';
import { eachChunk } from '../../archive/file-chunks.js';
import { encodeSignature } from './signature.js';

/** Options of {@link writeRpm}: the shared write options plus an optional signing key. */
export interface RpmWriteOptions extends WriteOptions {
  signKey?: SignKey;
  /** Keep directories the distribution owns (/usr/bin, /etc, …) in the file list; only for base-system packages. */
  ownDistroDirs?: boolean;
}

/** `<name>-<version>-<release>.<arch>.rpm` */
export function rpmFileName(meta: Pick<RpmMetadata, 'name' | 'version' | 'release' | 'arch'>): string {
  return `${meta.name}-${meta.version}-${meta.release}.${meta.arch}.rpm`;
}

async function writeAll(fh: FileHandle, b: Buffer, sha: ReturnType<typeof createHash>): Promise<void> {
  sha.update(b);
  let off = 0;
  while (off < b.length) off += (await fh.write(b, off, b.length - off)).bytesWritten;
}

/**
 * Write `plan` as an .rpm into `opts.outDir`. Everything that can be rejected (names, versions,
 * dependencies, the signing key, the compressor) is checked before any byte is written.
 */
export async function writeRpm(plan: Plan, meta: RpmMetadata, scripts: RpmScripts, opts: RpmWriteOptions): Promise<Artifact> {
  validateRpmIdentity(meta);
  checkRpmMetadata(meta);
  checkPlan(plan);
  checkScripts(scripts, 'rpm');
  const files = planToRpmFiles(plan, opts.ownDistroDirs);
  const large = needsLargeFiles(files);
  const relations = buildRelations(meta, scripts, { compression: opts.compression, largeFiles: large, hasFiles: files.length > 0 });
  if (opts.compression !== 'none') checkLevel(opts.compression, opts.level);
  assertCompressor(opts.compression);
  const key = opts.signKey ? await loadSigningKey(opts.signKey) : undefined;
  const finalPath = join(opts.outDir, rpmFileName(meta));

  return writeAtomically(finalPath, async (fh, tmpPath) => {
    const payloadPath = `${tmpPath}.payload`;
    registerTemp(payloadPath); // removed on SIGINT/SIGTERM like the package's own temp file
    try {
      const payload = await writePayload(files, payloadPath, {
        compression: opts.compression, level: opts.level, stripped: large, signal: opts.signal, onProgress: opts.onProgress, openSource: opts.openSource,
      });
      const header = encodeHeader(mainHeaderEntries({
        meta, scripts, files, fileDigest: payload.fileDigest, largeFiles: large, relations, buildTime: opts.sourceDateEpoch,
        compression: opts.compression, level: opts.level, payloadDigest: payload.digest, payloadDigestAlt: payload.digestAlt,
      }), 'main');
      const md5 = createHash('md5').update(header);
      const buf = Buffer.allocUnsafe(1 << 20);
      await eachChunk(payloadPath, buf, (chunk) => { md5.update(chunk); }, opts.signal);
      const signature = encodeSignature({
        headerSha1: createHash('sha1').update(header).digest('hex'),
        headerSha256: createHash('sha256').update(header).digest('hex'),
        size: header.length + payload.compressedSize,
        md5: md5.digest(),
        archiveSize: payload.archiveSize,
        pgp: key ? await signHeader(key, header, opts.sourceDateEpoch) : undefined,
      });
      const nevr = `${meta.name}-${meta.epoch !== undefined ? `${meta.epoch}:` : ''}${meta.version}-${meta.release}`;
      const sha = createHash('sha256');
      for (const part of [encodeLead(nevr, meta.arch), signature, header]) await writeAll(fh, part, sha);
      await eachChunk(payloadPath, buf, (chunk) => writeAll(fh, chunk, sha), opts.signal);
      const size = 96 + signature.length + header.length + payload.compressedSize;
      return {
        format: 'rpm' as const, path: finalPath, size, sha256: sha.digest('hex'),
        name: meta.name, version: `${meta.epoch !== undefined ? `${meta.epoch}:` : ''}${meta.version}-${meta.release}`, arch: meta.arch,
      };
    } finally {
      await unlink(payloadPath).catch(() => undefined);
      unregisterTemp(payloadPath);
    }
  }, { signal: opts.signal, batch: opts.batch });
}
