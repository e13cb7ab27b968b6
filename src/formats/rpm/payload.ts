/**
 * The RPM payload pass: the cpio archive is compressed into a temporary file while computing
 * the file digests (SHA256 per inode), PAYLOADDIGEST (sha256 of the compressed bytes),
 * PAYLOADDIGESTALT (sha256 of the uncompressed cpio) and its size. Memory stays flat.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCompressor, type Compression } from '../../archive/compress.js';
import { writeCpio } from '../../archive/cpio.js';
import { endStream } from '../../archive/sink.js';
import { payloadMembers, type RpmFile } from './files.js';

export interface PayloadOptions {
  compression: Compression;
  level: number;
  /** Use rpm's stripped cpio form (required when a file is ≥ 4 GiB). */
  stripped: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface PayloadResult {
  /** Size of the uncompressed cpio archive. */
  archiveSize: number;
  /** Size of the compressed payload in the temporary file. */
  compressedSize: number;
  /** sha256 hex of the compressed payload (PAYLOADDIGEST). */
  digest: string;
  /** sha256 hex of the uncompressed payload (PAYLOADDIGESTALT). */
  digestAlt: string;
  /** sha256 hex per file index; '' for anything but non-ghost regular files. */
  fileDigests: string[];
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** Write the compressed cpio payload of `files` to `tmpPath`. */
export async function writePayload(files: readonly RpmFile[], tmpPath: string, opts: PayloadOptions): Promise<PayloadResult> {
  const members = payloadMembers(files);
  const total = members.reduce((n, m) => n + ((m.mode & S_IFMT) === S_IFREG ? m.size : 0), 0);
  const compressor = createCompressor(opts.compression, opts.compression === 'none' ? 0 : opts.level);
  const compressedHash = createHash('sha256');
  let compressedSize = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      compressedHash.update(chunk);
      compressedSize += chunk.length;
      cb(null, chunk);
    },
  });
  const sink = pipeline(compressor, tap, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 }), { signal: opts.signal });
  sink.catch(() => undefined);

  const altHash = createHash('sha256');
  const byInode = new Map<number, Hash>();
  let done = 0;
  let archiveSize: number;
  try {
    archiveSize = await writeCpio(compressor, members, {
      stripped: opts.stripped,
      signal: opts.signal,
      onBytes: (b) => altHash.update(b),
      onContent: (m, chunk) => {
        if ((m.mode & S_IFMT) !== S_IFREG) return;
        let h = byInode.get(m.ino);
        if (!h) byInode.set(m.ino, (h = createHash('sha256')));
        h.update(chunk);
        done += chunk.length;
        opts.onProgress?.(done, total);
      },
    });
    await endStream(compressor);
    await sink;
  } catch (e) {
    compressor.destroy();
    await sink.catch(() => undefined);
    throw e;
  }
  const perInode = new Map([...byInode].map(([ino, h]) => [ino, h.digest('hex')]));
  const fileDigests = files.map((f) => (f.ghost || (f.mode & S_IFMT) !== S_IFREG ? '' : perInode.get(f.inode) ?? EMPTY_SHA256));
  return { archiveSize, compressedSize, digest: compressedHash.digest('hex'), digestAlt: altHash.digest('hex'), fileDigests };
}
