/** The checks and error translation every output write shares. */
import { access, constants } from 'node:fs/promises';
import { MkpkgError, isMkpkgError } from '../errors.js';

/** Options of the atomic writes ({@link OutputBatch} and the helpers in atomic.ts). */
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
    return new MkpkgError('E_INTERRUPTED', `writing ${target} was interrupted`, { hint: 'run the command again', cause: e });
  }
  return new MkpkgError('E_WRITE_FAILED', `writing ${target} failed: ${(e as Error)?.message ?? String(e)}`, { hint, cause: e });
}
