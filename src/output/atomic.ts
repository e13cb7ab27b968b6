/**
 * Atomic output, the one way mkpkg writes a file it produces (packages, repository pool files and
 * indexes): the file is written to a temporary file beside its final path and renamed into place
 * only when complete. On error, abort or SIGINT/SIGTERM the temporary file is removed, so no partial
 * file is ever left behind and an existing file is never half-overwritten. Several files published
 * together (the packages of one build) go through an {@link OutputBatch}.
 */
import { createReadStream, unlinkSync } from 'node:fs';
import { writeFile, type FileHandle } from 'node:fs/promises';
import { onExitCleanup } from '../proc/exit.js';
import { OutputBatch } from './batch.js';
import type { AtomicWriteOptions } from './write-errors.js';

export { OutputBatch } from './batch.js';
export { assertWritableDir, writeError, type AtomicWriteOptions } from './write-errors.js';

const extraTemps = new Map<string, () => void>();

/**
 * Register an extra temporary file (e.g. the rpm payload beside the package) so that a SIGINT or
 * SIGTERM removes it too. The caller still removes it on normal completion and on error, then
 * calls {@link unregisterTemp}.
 */
export function registerTemp(path: string): void {
  extraTemps.set(path, onExitCleanup(() => { try { unlinkSync(path); } catch { /* already gone */ } }));
}

/** Forget a path registered with {@link registerTemp} (after removing or renaming it). */
export function unregisterTemp(path: string): void {
  extraTemps.get(path)?.();
  extraTemps.delete(path);
}

/**
 * Run `write` against a temporary file handle, then flush it to disk and rename it to `finalPath`.
 * The handle is opened for reading and writing (positional writes allowed). With `opts.batch`, the
 * file is written into that batch instead and appears under `finalPath` only when the batch is committed.
 */
export async function writeAtomically<T>(
  finalPath: string,
  write: (fh: FileHandle, tmpPath: string) => Promise<T>,
  opts: AtomicWriteOptions & { batch?: OutputBatch } = {},
): Promise<T> {
  if (opts.batch) return opts.batch.write(finalPath, write);
  const batch = new OutputBatch(opts);
  try {
    const result = await batch.write(finalPath, write);
    batch.commit(false);
    batch.finish();
    return result;
  } catch (e) {
    batch.rollback();
    throw e;
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
