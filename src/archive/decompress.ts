/** Streaming decompressors for reading packages: gzip in-process, xz/zstd spawned. */
import { Duplex, PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { spawnOwned } from '../proc/children.js';
import type { Compression } from './compress.js';

/** The compression of a tar archive from its file-name suffix (`data.tar.xz` → `xz`, `.tgz` → `gzip`), or undefined if unknown. */
export function compressionFromName(name: string): Compression | undefined {
  if (name.endsWith('.tar')) return 'none';
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'gzip';
  if (name.endsWith('.tar.xz')) return 'xz';
  if (name.endsWith('.tar.zst')) return 'zstd';
  return undefined;
}

/**
 * The decompressors' memory limits: xz would otherwise allocate whatever dictionary the stream
 * declares (up to 4 GiB); 256 MiB is four times what `xz -9` needs. zstd's default limit (128 MiB,
 * what `--ultra -22` needs) is made explicit.
 */
const DECOMPRESS_ARGS: Record<'xz' | 'zstd', string[]> = {
  xz: ['-dc', '-q', '--memlimit-decompress=256MiB'],
  zstd: ['-dc', '-q', '--memory=128MB'],
};

/** A Duplex: write compressed bytes, read decompressed ones. Failures of xz/zstd surface as stream errors. */
export function createDecompressor(c: Compression): Duplex {
  if (c === 'none') return new PassThrough();
  if (c === 'gzip') return createGunzip();
  const child = spawnOwned(c, DECOMPRESS_ARGS[c], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on('error', (err) => duplex.destroy(err));
  child.on('close', (code, signal) => {
    if (code !== 0 && !duplex.destroyed) duplex.destroy(new Error(`${c} -d exited with ${code ?? signal}: ${stderr.trim()}`));
  });
  duplex.on('close', () => { if (child.exitCode === null) child.kill(); });
  return duplex;
}
