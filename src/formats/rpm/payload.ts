/**
 * The RPM payload pass: the cpio archive is compressed into a temporary file while computing the
 * file digests (SHA256 per inode), PAYLOADDIGESTALT (sha256 of the uncompressed cpio) and its size;
 * PAYLOADDIGEST (sha256 of the compressed bytes) on the way with gzip/none, read back after with
 * xz/zstd (which write the file themselves). Memory stays flat.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, createWriteStream, openSync } from 'node:fs';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from '../../archive/compress.js';
import { BlockPool } from '../../archive/block-pool.js';
import { compressAppend, compressTo } from '../../archive/compress-to.js';
import { eachChunk } from '../../archive/file-chunks.js';
import { writeCpio } from '../../archive/cpio.js';
import { payloadMembers, type RpmFile } from './files.js';

export interface PayloadOptions {
  compression: Compression;
  level: number;
  /** Use rpm's stripped cpio form (required when a file is ≥ 4 GiB). */
  stripped: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Opens the source files (see WriteOptions.openSource). */
  openSource?: (path: string) => number;
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
  /** sha256 hex of a file's content; '' for anything but non-ghost regular files. */
  fileDigest: (f: RpmFile) => string;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

const SHA256_BYTES = 32;

/** The sha256 of each inode's content, by inode number (1..count). */
class InodeDigests {
  private readonly bytes: Buffer;
  private readonly known: Uint8Array;

  constructor(private readonly count: number) {
    this.bytes = Buffer.alloc(SHA256_BYTES * (count + 1));
    this.known = new Uint8Array(count + 1);
  }

  set(ino: number, digest: Buffer): void {
    if (!Number.isInteger(ino) || ino < 1 || ino > this.count) throw new RangeError(`rpm payload: inode ${ino} is outside 1..${this.count}`);
    digest.copy(this.bytes, ino * SHA256_BYTES);
    this.known[ino] = 1;
  }

  hex(ino: number): string | undefined {
    return this.known[ino] === 1 ? this.bytes.toString('hex', ino * SHA256_BYTES, (ino + 1) * SHA256_BYTES) : undefined;
  }
}

/** Compressed size and sha256 hex of the payload file. */
interface Compressed {
  size: number;
  digest: string;
}

/**
 * xz/zstd write the compressed payload into the file themselves: passed through this process, their
 * output (64 KiB pieces, promoted while queued for the file) held ~10 MB of dead buffers at 40,000
 * files. Its digest is then read back from the page cache (~90 ms for 135 MB).
 */
async function compressExternally(c: 'xz' | 'zstd', level: number, tmpPath: string, encode: (raw: Writable) => Promise<void>, signal?: AbortSignal): Promise<Compressed> {
  closeSync(openSync(tmpPath, 'wx', 0o600));
  const size = await compressAppend(tmpPath, c, level, encode);
  const hash = createHash('sha256');
  await eachChunk(tmpPath, Buffer.allocUnsafe(1 << 20), (chunk) => { hash.update(chunk); }, signal);
  return { size, digest: hash.digest('hex') };
}

/** gzip (zlib on worker threads) and none: the compressed bytes pass through here, hashed on the way. */
async function compressInProcess(c: 'gzip' | 'none', level: number, tmpPath: string, encode: (raw: Writable) => Promise<void>, signal?: AbortSignal): Promise<Compressed> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const file = createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 });
  const written = pipeline(tap, file, { signal });
  written.catch(() => undefined);
  try {
    await compressTo(tap, c, level, encode);
    await written;
  } catch (e) {
    tap.destroy();
    await written.catch(() => undefined);
    // After an abort the pipeline settles before the file stream has closed (600 of 600 aborts in a
    // loop): wait for it, so that the caller's unlink of the temp file comes after the stream is done
    // with it. An open still in flight otherwise created the file after the unlink (1 abort in 400).
    if (!file.closed) await new Promise<void>((resolve) => file.destroy().once('close', () => resolve()));
    throw e;
  }
  return { size, digest: hash.digest('hex') };
}

/** Write the compressed cpio payload of `files` to `tmpPath`. */
export async function writePayload(files: readonly RpmFile[], tmpPath: string, opts: PayloadOptions): Promise<PayloadResult> {
  const members = payloadMembers(files);
  let total = 0;
  for (const f of files) if (!f.ghost && (f.mode & S_IFMT) === S_IFREG) total += f.size;
  const c = opts.compression;
  // Pooled blocks are recycled once written: xz/zstd's stdin takes them straight (a Duplex wrapper
  // may acknowledge a write early); zlib is safe too.
  const pool = c === 'none' ? undefined : new BlockPool(512 * 1024, 8);
  const altHash = createHash('sha256');
  // 32 raw bytes per inode (rpm's are 1..N, one per file at most): hex strings in a map were ~110 bytes of heap per file.
  const perInode = new InodeDigests(files.length);
  let current: { ino: number; hash: Hash; got: number } | undefined;
  let done = 0;
  let archiveSize = 0;
  const encode = async (raw: Writable) => {
    archiveSize = await writeCpio(raw, members, {
      stripped: opts.stripped,
      signal: opts.signal,
      pool,
      open: opts.openSource,
      onBytes: (b) => altHash.update(b),
      onContent: (m, chunk) => {
        if ((m.mode & S_IFMT) !== S_IFREG) return;
        // A member's content comes in one run of chunks: digest it as soon as it is complete
        // (10,000 open hash contexts are memory for nothing).
        if (current?.ino !== m.ino) current = { ino: m.ino, hash: createHash('sha256'), got: 0 };
        current.hash.update(chunk);
        current.got += chunk.length;
        if (current.got === m.size) {
          perInode.set(m.ino, current.hash.digest());
          current = undefined;
        }
        done += chunk.length;
        opts.onProgress?.(done, total);
      },
    });
  };
  const compressed = c === 'xz' || c === 'zstd'
    ? await compressExternally(c, opts.level, tmpPath, encode, opts.signal)
    : await compressInProcess(c, opts.level, tmpPath, encode, opts.signal);
  const fileDigest = (f: RpmFile) => (f.ghost || (f.mode & S_IFMT) !== S_IFREG ? '' : perInode.hex(f.inode) ?? EMPTY_SHA256);
  return { archiveSize, compressedSize: compressed.size, digest: compressed.digest, digestAlt: altHash.digest('hex'), fileDigest };
}
