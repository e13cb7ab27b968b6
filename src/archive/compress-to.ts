/** Run an encoder through a compressor into a sink or straight into a file, propagating the most meaningful error. */
import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createCompressor, spawnCompressor, type Compression } from './compress.js';
import { endStream } from './sink.js';
import { isMkpkgError } from '../errors.js';

/** An encoder failure of our own (unreadable source, abort) explains more than the broken pipe it causes. */
export function ownFailure(e: unknown): boolean {
  return isMkpkgError(e) || (e as Error)?.name === 'AbortError';
}

/**
 * Create a compressor, pipe it into `sink` (which is ended when done), and let `encode` write the
 * uncompressed bytes into it. Resolves once `sink` has flushed everything. With `none`, `encode`
 * writes into `sink` itself.
 */
export async function compressTo(
  sink: Writable,
  compression: Compression,
  level: number,
  encode: (raw: Writable) => Promise<void>,
): Promise<void> {
  if (compression === 'none') {
    try {
      await encode(sink);
    } catch (e) {
      sink.destroy();
      throw e;
    }
    await endStream(sink);
    return;
  }
  const comp = createCompressor(compression, level);
  const done = pipeline(comp, sink);
  try {
    await encode(comp);
    comp.end();
  } catch (e) {
    comp.destroy();
    const piped = await done.then(() => undefined, (err: unknown) => err);
    // An encoder failure of our own (unreadable source, abort) wins; otherwise the stream error (ENOSPC, xz died) explains more.
    if (ownFailure(e) || piped === undefined) throw e;
    throw piped;
  }
  await done;
}

/**
 * Compress with the external `xz`/`zstd`, whose output is appended by the program itself to the
 * file at `path` (opened with O_APPEND: nothing else may write to the file meanwhile), so the
 * compressed bytes never pass through this process. `encode` writes the uncompressed bytes into
 * the program's stdin. Resolves with the number of bytes appended.
 */
export async function compressAppend(
  path: string,
  compression: 'xz' | 'zstd',
  level: number,
  encode: (raw: Writable) => Promise<void>,
): Promise<number> {
  const fd = openSync(path, 'a');
  let start: number;
  let proc;
  try {
    start = fstatSync(fd).size;
    proc = spawnCompressor(compression, level, fd);
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  try {
    await encode(proc.stdin);
    await endStream(proc.stdin);
    await proc.exited;
  } catch (e) {
    proc.kill();
    const exit = await proc.exited.then(() => undefined, (err: unknown) => err);
    if (ownFailure(e) || exit === undefined) throw e;
    throw exit;
  }
  return statSync(path).size - start;
}
