/** Compressed variants of an index: gzip in-process, xz through the xz program (as dpkg and apt use it); and reading them back, bounded. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { spawnCompressor } from '../archive/compress.js';
import { byteLimit } from '../archive/byte-limit.js';
import { BufferSink } from '../archive/collect.js';
import { createDecompressor } from '../archive/decompress.js';
import { MAX_OPEN_BYTES } from './gzip-members.js';

/** gzip level 9 (reproducible: no name, no time). */
export const gzipIndex = (data: Uint8Array): Buffer => gzipSync(data, { level: 9 });

/** xz level 6 (Debian's choice for its indexes). */
export async function xzIndex(data: Uint8Array): Promise<Buffer> {
  const p = spawnCompressor('xz', 6, 'pipe');
  const chunks: Buffer[] = [];
  const read = (async () => { for await (const c of p.stdout!) chunks.push(c as Buffer); })();
  p.stdin.end(data);
  await Promise.all([read, p.exited]);
  return Buffer.concat(chunks);
}

/**
 * The content of an index compressed with `c`, refused once it would exceed `max` bytes (a gzip or
 * xz bomb in a repository must not take the publisher's memory): an Error saying so.
 */
export async function openIndex(c: 'gzip' | 'xz' | 'zstd', data: Uint8Array, max = MAX_OPEN_BYTES): Promise<Buffer> {
  const tooLarge = () => new Error(`it decompresses to more than ${max} bytes`);
  if (c === 'gzip') {
    try {
      return gunzipSync(data, { maxOutputLength: max });
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : e;
    }
  }
  const sink = new BufferSink();
  await pipeline(Readable.from([data]), createDecompressor(c), byteLimit(max, tooLarge), sink);
  return sink.result();
}
