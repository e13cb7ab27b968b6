/**
 * Atomic output, the one way mkpkg writes a file it produces (packages, repository pool files and
 * indexes): the file is written to a temporary file beside its final path and renamed into place
 * only when complete. On error, abort or SIGINT/SIGTERM the temporary file is removed, so no partial
 * file is ever left behind and an existing file is never half-overwritten.
 */
import { open, rename, unlink, access, constants, writeFile, type FileHandle } from 'node:fs/promises';
import { createReadStream, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MkpkgError, isMkpkgError } from '../errors.js';

const pending = new Set<string>();
let handlersInstalled = false;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanup = (signal: NodeJS.Signals) => {
    for (const p of pending) {
      try { unlinkSync(p); } catch { /* already gone */ }
    }
    pending.clear();
    process.stderr.write(`\nerror E_INTERRUPTED: interrupted by ${signal}; no partial package was left behind\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
}

/**
 * Register an extra temporary file (e.g. the rpm payload beside the package) so that a SIGINT or
 * SIGTERM removes it too. The caller still removes it on normal completion and on error, then
 * calls {@link unregisterTemp}.
 */
export function registerTemp(path: string): void {
  installSignalHandlers();
  pending.add(path);
}

/** Forget a path registered with {@link registerTemp} (after removing or renaming it). */
export function unregisterTemp(path: string): void {
  pending.delete(path);
}

/** Options of {@link writeAtomically} and the helpers built on it. */
export interface AtomicWriteOptions {
  /** Aborting it removes the temporary file and rejects with E_INTERRUPTED. */
  signal?: AbortSignal;
  /**
   * The hint of an unwritable directory or a full disk, in place of the default ones, which name
   * -o/--out and so only fit the package output directory.
   */
  hint?: string;
}

/** Check that `dir` exists and is writable; throws E_OUTPUT_UNWRITABLE naming it. */
export async function assertWritableDir(dir: string, hint = 'create it, fix its permissions, or choose another one with -o/--out'): Promise<void> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new MkpkgError('E_OUTPUT_UNWRITABLE', `output directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code})`, { hint, cause: e });
  }
}

/** Translate a low-level write error into E_WRITE_FAILED (ENOSPC names the disk being full). */
export function writeError(e: unknown, target: string, hint = 'free some space or write to another directory with -o/--out'): MkpkgError {
  if (isMkpkgError(e)) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') {
    return new MkpkgError('E_WRITE_FAILED', `no space left on device while writing ${target}`, { hint, cause: e });
  }
  if (code === 'ABORT_ERR' || (e as Error)?.name === 'AbortError') {
    return new MkpkgError('E_INTERRUPTED', `writing ${target} was interrupted`, { cause: e, hint: 'run the build again; no partial package was left behind' });
  }
  return new MkpkgError('E_WRITE_FAILED', `writing ${target} failed: ${(e as Error)?.message ?? String(e)}`, {
    cause: e, hint: 'check free space and permissions of the output directory (-o), then run the build again; nothing partial was left behind',
  });
}

/**
 * Run `write` against a temporary file handle, then flush it to disk and rename it to `finalPath`.
 * The handle is opened for reading and writing (positional writes allowed). `options` may be just
 * the abort signal.
 */
export async function writeAtomically<T>(
  finalPath: string,
  write: (fh: FileHandle, tmpPath: string) => Promise<T>,
  options?: AbortSignal | AtomicWriteOptions,
): Promise<T> {
  const { signal, hint } = options instanceof AbortSignal ? { signal: options, hint: undefined } : options ?? {};
  installSignalHandlers();
  const dir = dirname(finalPath);
  await assertWritableDir(dir, hint);
  const tmpPath = join(dir, `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmpPath);
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmpPath, 'wx+', 0o644);
    signal?.throwIfAborted();
    const result = await write(fh, tmpPath);
    signal?.throwIfAborted();
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmpPath, finalPath);
    pending.delete(tmpPath);
    return result;
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await unlink(tmpPath).catch(() => undefined);
    pending.delete(tmpPath);
    throw writeError(e, finalPath, hint);
  }
}

/** Write `data` (a string as UTF-8) to `path` through {@link writeAtomically}. */
export async function writeFileAtomically(path: string, data: string | Uint8Array, options?: AtomicWriteOptions): Promise<void> {
  await writeAtomically(path, (fh) => fh.writeFile(data, { signal: options?.signal }), options);
}

/**
 * Copy the file `src` to `dest` through {@link writeAtomically}. The copy gets mode 0644 (less the
 * umask), not the mode of `src`; a failure to read `src` is an E_WRITE_FAILED for `dest` too.
 */
export async function copyFileAtomically(src: string, dest: string, options?: AtomicWriteOptions): Promise<void> {
  await writeAtomically(dest, (fh) => writeFile(fh, createReadStream(src, { highWaterMark: 1 << 20 }), { signal: options?.signal }), options);
}
