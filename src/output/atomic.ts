/**
 * Atomic output: a package is written to a temporary file beside its final path and renamed
 * into place only when complete. On error, abort or SIGINT/SIGTERM the temporary file is removed,
 * so no partial package is ever left behind and an existing file is never half-overwritten.
 */
import { open, rename, unlink, access, constants, type FileHandle } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
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

/** Check that `dir` exists and is writable; throws E_OUTPUT_UNWRITABLE naming it. */
export async function assertWritableDir(dir: string): Promise<void> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new MkpkgError('E_OUTPUT_UNWRITABLE', `output directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code})`, {
      hint: 'create it, fix its permissions, or choose another one with -o/--out',
      cause: e,
    });
  }
}

/** Translate a low-level write error into E_WRITE_FAILED (ENOSPC names the disk being full). */
export function writeError(e: unknown, target: string): MkpkgError {
  if (isMkpkgError(e)) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') {
    return new MkpkgError('E_WRITE_FAILED', `no space left on device while writing ${target}`, { hint: 'free some space or write to another directory with -o/--out', cause: e });
  }
  if (code === 'ABORT_ERR' || (e as Error)?.name === 'AbortError') {
    return new MkpkgError('E_INTERRUPTED', `writing ${target} was interrupted`, { cause: e });
  }
  return new MkpkgError('E_WRITE_FAILED', `writing ${target} failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

/**
 * Run `write` against a temporary file handle, then rename it to `finalPath`.
 * The handle is opened for reading and writing (positional writes allowed).
 */
export async function writeAtomically<T>(
  finalPath: string,
  write: (fh: FileHandle, tmpPath: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  installSignalHandlers();
  const dir = dirname(finalPath);
  await assertWritableDir(dir);
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
    throw writeError(e, finalPath);
  }
}
