/**
 * The RPM payload pass: the cpio archive is compressed into a temporary file while computing
 * the file digests (SHA256 per inode), PAYLOADDIGEST (sha256 of the compressed bytes),
 * PAYLOADDIGESTALT (sha256 of the uncompressed cpio) and its size. Memory stays flat.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCompressor, spawnCompressor, type Compression } from '../../archive/compress.js';
import { BlockPool } from '../../archive/block-pool.js';
import { ownFailure } from '../../archive/compress-to.js';
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
  const c = opts.compression;
  // xz/zstd: write straight into the program's stdin, so pooled blocks are recycled only once the
  // pipe has taken them (a Duplex wrapper may acknowledge a write early); gzip: zlib is safe too.
  const proc = c === 'xz' || c === 'zstd' ? spawnCompressor(c, opts.level, 'pipe') : undefined;
  const compressor = proc ? undefined : createCompressor(c, c === 'none' ? 0 : opts.level);
  const input: Writable = proc ? proc.stdin : compressor!;
  const output: Readable = proc ? proc.stdout! : compressor!;
  const pool = c === 'none' ? undefined : new BlockPool(512 * 1024, 8);
  const compressedHash = createHash('sha256');
  let compressedSize = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      compressedHash.update(chunk);
      compressedSize += chunk.length;
      cb(null, chunk);
    },
  });
  const file = createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 });
  const sink = pipeline(output, tap, file, { signal: opts.signal });
  sink.catch(() => undefined);

  const altHash = createHash('sha256');
  const perInode = new Map<number, string>();
  let current: { ino: number; hash: Hash; got: number } | undefined;
  let done = 0;
  let archiveSize: number;
  try {
    archiveSize = await writeCpio(input, members, {
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
          perInode.set(m.ino, current.hash.digest('hex'));
          current = undefined;
        }
        done += chunk.length;
        opts.onProgress?.(done, total);
      },
    });
    await endStream(input);
    await sink;
    await proc?.exited;
  } catch (e) {
    proc?.kill();
    compressor?.destroy();
    await sink.catch(() => undefined);
    // After an abort the pipeline settles before the file stream has closed (600 of 600 aborts in a
    // loop): wait for it, so that the caller's unlink of the temp file comes after the stream is done
    // with it. An open still in flight otherwise created the file after the unlink (1 abort in 400).
    if (!file.closed) await new Promise<void>((resolve) => file.destroy().once('close', () => resolve()));
    const exit = await proc?.exited.then(() => undefined, (err: unknown) => err);
    if (exit && !ownFailure(e)) throw exit;
    throw e;
  }
  const fileDigests = files.map((f) => (f.ghost || (f.mode & S_IFMT) !== S_IFREG ? '' : perInode.get(f.inode) ?? EMPTY_SHA256));
  return { archiveSize, compressedSize, digest: compressedHash.digest('hex'), digestAlt: altHash.digest('hex'), fileDigests };
}
