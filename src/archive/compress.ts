/**
 * Streaming compressors. gzip runs in-process (node:zlib, on several threads); xz and zstd are spawned
 * (multi-threaded, faster than any JS port). All return a Duplex: write raw bytes, read compressed.
 */
import { Duplex, PassThrough, type Readable, type Writable } from 'node:stream';
import { MkpkgError } from '../errors.js';
import { spawnOwned } from '../proc/children.js';
import { which } from '../which.js';
import { ParallelGzip } from './parallel-gzip.js';
import { DEFAULT_LEVEL, levelProblem, type Compression } from './compression.js';

export { COMPRESSIONS, DEFAULT_LEVEL, compressionSuffix, type Compression } from './compression.js';

const EXTERNAL: Record<'xz' | 'zstd', { bin: string; pkg: string; args: (level: number) => string[] }> = {
  xz: { bin: 'xz', pkg: 'xz-utils', args: (l) => ['-c', `-${l}`, '-T0', '--no-adjust', '-q'] },
  zstd: { bin: 'zstd', pkg: 'zstd', args: (l) => ['-c', `-${l}`, '-T0', '-q', ...(l > 19 ? ['--ultra'] : [])] },
};

const available = new Map<string, boolean>();

/** Throw E_COMPRESSOR_MISSING unless the compressor can run on this host. */
export function assertCompressor(c: Compression): void {
  if (c !== 'xz' && c !== 'zstd') return;
  const { bin, pkg } = EXTERNAL[c];
  if (!available.has(bin)) available.set(bin, which(bin) !== undefined);
  if (!available.get(bin)) {
    throw new MkpkgError('E_COMPRESSOR_MISSING', `compression "${c}" needs the "${bin}" program, which was not found on PATH`, {
      hint: `install it (apt-get install ${pkg}) or choose --compression gzip`,
    });
  }
}

/** Validate a level for a compressor (a last check: the config resolution refuses a bad level at load). */
export function checkLevel(c: Compression, level: number): void {
  const problem = levelProblem(c, level);
  if (problem) throw new MkpkgError('E_USAGE', `compression level ${level} ${problem}`, { hint: 'give --level (or "level" in the config) a level of the chosen compression' });
}

/** An external compressor process: write raw bytes to `stdin`; `exited` settles when it is done. */
export interface CompressorProcess {
  stdin: Writable;
  /** The compressed bytes, when `stdout` was `'pipe'`. */
  stdout: Readable | null;
  /** Resolves on exit status 0; rejects with E_WRITE_FAILED (with the program's stderr) otherwise. */
  exited: Promise<void>;
  kill(): void;
}

/**
 * Spawn `xz` or `zstd` (multi-threaded) compressing its stdin. `stdout` is `'pipe'` or a file
 * descriptor the program writes to directly (e.g. a file opened for appending).
 */
export function spawnCompressor(c: 'xz' | 'zstd', level: number, stdout: 'pipe' | number): CompressorProcess {
  checkLevel(c, level);
  assertCompressor(c);
  const { bin, args } = EXTERNAL[c];
  const child = spawnOwned(bin, args(level), { stdio: ['pipe', stdout, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // A dying compressor surfaces through `exited`; an EPIPE on its stdin must not crash the process.
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new MkpkgError('E_WRITE_FAILED', `${bin} could not be run: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new MkpkgError('E_WRITE_FAILED', `${bin} exited with ${code ?? signal}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    });
  });
  exited.catch(() => undefined);
  return { stdin: child.stdin!, stdout: child.stdout, exited, kill: () => { if (child.exitCode === null) child.kill(); } };
}

/** A Duplex stream compressing what is written to it. Gzip output is reproducible (mtime 0, no name). */
export function createCompressor(c: Compression, level = DEFAULT_LEVEL[c]): Duplex {
  checkLevel(c, level);
  if (c === 'none') return new PassThrough({ highWaterMark: 1 << 20 });
  if (c === 'gzip') return new ParallelGzip(level);
  const p = spawnCompressor(c, level, 'pipe');
  const duplex = Duplex.from({ writable: p.stdin, readable: p.stdout! });
  p.exited.then(() => undefined, (err: Error) => { if (!duplex.destroyed) duplex.destroy(err); });
  duplex.on('close', () => p.kill());
  return duplex;
}
