/** Run an encoder through a compressor into a sink, propagating the most meaningful error. */
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createCompressor, type Compression } from './compress.js';
import { isMkpkgError } from '../errors.js';

/**
 * Create a compressor, pipe it into `sink` (which is ended when done), and let `encode` write the
 * uncompressed bytes into it. Resolves once `sink` has flushed everything.
 */
export async function compressTo(
  sink: Writable,
  compression: Compression,
  level: number,
  encode: (raw: Writable) => Promise<void>,
): Promise<void> {
  const comp = createCompressor(compression, level);
  const done = pipeline(comp, sink);
  try {
    await encode(comp);
    comp.end();
  } catch (e) {
    comp.destroy();
    const piped = await done.then(() => undefined, (err: unknown) => err);
    // An encoder failure of our own (unreadable source, abort) wins; otherwise the stream error (ENOSPC, xz died) explains more.
    if (isMkpkgError(e) || (e as Error)?.name === 'AbortError' || piped === undefined) throw e;
    throw piped;
  }
  await done;
}
