/** A cross-process lock (a directory holding the owner's pid), freed when the owner dies. */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MkpkgError } from '../errors.js';
import { pidAlive } from '../proc/procfs.js';
import { sleep } from './proc.js';

export { pidAlive };

async function ownerGone(lockDir: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(join(lockDir, 'pid'), 'utf8')).trim());
    return !pidAlive(pid);
  } catch {
    // No pid file yet: the owner is between mkdir and writeFile, unless that was long ago.
    try { return Date.now() - (await stat(lockDir)).mtimeMs > 60_000; } catch { return false; }
  }
}

/** Run `fn` while holding the lock directory `lockDir`; waits for a live owner, breaks a dead owner's lock. */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 20 * 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await ownerGone(lockDir)) { await rm(lockDir, { recursive: true, force: true }); continue; }
      if (Date.now() - start > timeoutMs) {
        throw new MkpkgError('E_VERIFY_UNAVAILABLE', `timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock ${lockDir}`, {
          hint: `another mkpkg process is building the same root filesystem; if none is, delete ${lockDir}`,
        });
      }
      await sleep(500);
    }
  }
  try {
    await writeFile(join(lockDir, 'pid'), `${process.pid}\n`);
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
