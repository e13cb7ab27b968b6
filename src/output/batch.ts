/**
 * A set of output files published together. Each file is written completely into a temporary file
 * beside its final path (and flushed to disk); `commit` renames them all into place; `rollback`
 * undoes everything: temporary files are removed, and a committed file is replaced by the file it
 * replaced (kept as a hard-linked backup until `finish`) or removed if there was none. So a build
 * that fails after writing its .deb, in its .rpm or in an afterPackage hook, leaves the output
 * directory as it found it. An interrupt (SIGINT/SIGTERM/SIGHUP) rolls back too.
 */
import { linkSync, lstatSync, renameSync, unlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { onExitCleanup } from '../proc/exit.js';
import { removeDeadTemps, tempPathFor } from './temp-names.js';
import { assertWritableDir, writeError, type AtomicWriteOptions } from './write-errors.js';

interface PendingFile {
  finalPath: string;
  tmpPath: string;
  /** Where the file that `finalPath` held before the commit is kept until `finish`. */
  backupPath?: string;
  committed: boolean;
}

const tryUnlink = (p: string) => { try { unlinkSync(p); } catch { /* already gone */ } };

/** Output files written to temporary names and published together (see the module comment). */
export class OutputBatch {
  private readonly files: PendingFile[] = [];
  private readonly unregister: () => void;

  constructor(private readonly options: AtomicWriteOptions = {}) {
    this.unregister = onExitCleanup(() => this.rollback());
  }

  /**
   * Run `write` against a new temporary file beside `finalPath` (opened for reading and writing,
   * positional writes allowed), then flush it to disk. The file appears under `finalPath` only on
   * {@link commit}. On failure the temporary file is removed and the error is coded.
   */
  async write<T>(finalPath: string, write: (fh: FileHandle, tmpPath: string) => Promise<T>): Promise<T> {
    const { signal, hint } = this.options;
    const dir = dirname(finalPath);
    await assertWritableDir(dir, hint);
    await removeDeadTemps(dir);
    const file: PendingFile = { finalPath, tmpPath: tempPathFor(finalPath), committed: false };
    this.files.push(file);
    let fh: FileHandle | undefined;
    try {
      fh = await open(file.tmpPath, 'wx+', 0o644);
      signal?.throwIfAborted();
      const result = await write(fh, file.tmpPath);
      signal?.throwIfAborted();
      await fh.sync();
      await fh.close();
      fh = undefined;
      return result;
    } catch (e) {
      await fh?.close().catch(() => undefined);
      tryUnlink(file.tmpPath);
      this.files.splice(this.files.indexOf(file), 1);
      throw writeError(e, finalPath, hint);
    }
  }

  /**
   * Rename every written file into place. With `keepBackups`, a file each one replaces is kept
   * (hard-linked) so that {@link rollback} can restore it until {@link finish}. A failure rolls
   * back the whole batch.
   */
  commit(keepBackups = true): void {
    let current: PendingFile | undefined;
    try {
      for (const f of this.files) {
        current = f;
        if (keepBackups) f.backupPath = backUp(f.finalPath);
        renameSync(f.tmpPath, f.finalPath);
        f.committed = true;
      }
    } catch (e) {
      this.rollback();
      throw writeError(e, current?.finalPath ?? 'the output', this.options.hint);
    }
  }

  /** The batch is final: drop the backups and forget the files. */
  finish(): void {
    for (const f of this.files) if (f.backupPath) tryUnlink(f.backupPath);
    this.files.length = 0;
    this.unregister();
  }

  /** Undo the batch: remove temporary files, put back replaced files, remove new ones. Synchronous (it also runs at exit). */
  rollback(): void {
    for (const f of [...this.files].reverse()) {
      if (!f.committed) tryUnlink(f.tmpPath);
      else if (f.backupPath) {
        try { renameSync(f.backupPath, f.finalPath); } catch { /* leave the new file rather than nothing */ }
      } else tryUnlink(f.finalPath);
    }
    this.files.length = 0;
    this.unregister();
  }
}

/**
 * Keep the file at `path` (if any) under a backup name: a hard link, so `path` never disappears;
 * where the filesystem has no hard links, a rename. Returns the backup path, or undefined.
 */
function backUp(path: string): string | undefined {
  let isDir: boolean;
  try {
    isDir = lstatSync(path).isDirectory();
  } catch {
    return undefined; // nothing to keep
  }
  if (isDir) return undefined; // the rename onto it fails, as it should
  const backup = tempPathFor(path, 'bak');
  try {
    linkSync(path, backup);
  } catch {
    renameSync(path, backup);
  }
  return backup;
}
