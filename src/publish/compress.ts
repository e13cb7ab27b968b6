/** Compressed variants of an index: gzip in-process, xz through the xz program (as dpkg and apt use it). */
import { gzipSync } from 'node:zlib';
import { spawnCompressor } from '../archive/compress.js';

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
