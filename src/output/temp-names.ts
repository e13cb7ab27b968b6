/**
 * Names of mkpkg's temporary files beside their final path, and removing the ones a killed mkpkg
 * left behind. A name is `.<final name>.<pid>-<pid namespace>.<random>.tmp` (a backup of a replaced
 * file ends in `.bak`, the rpm payload in `.tmp.payload`): hidden, never ending in `.deb`/`.rpm`, so
 * no glob for packages picks it up, and naming its owner, so that only the temporary files of a
 * dead process are removed.
 */
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pidAlive } from '../proc/procfs.js';

/**
 * This process's PID namespace (base 36 of its inode; `0` where there is none to read). A pid is
 * only judged dead for temporary files written from the same namespace: another container sharing
 * the directory has its own pids.
 */
function pidNamespace(): string {
  try {
    const m = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'));
    return m ? Number(m[1]).toString(36) : '0';
  } catch {
    return '0';
  }
}

const OWNER = `${process.pid}-${pidNamespace()}`;

/** A temporary path beside `finalPath`, owned by this process; `kind` is `tmp` or `bak`. */
export function tempPathFor(finalPath: string, kind: 'tmp' | 'bak' = 'tmp'): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${OWNER}.${randomBytes(4).toString('hex')}.${kind}`);
}

const TEMP_NAME = /^\..+\.(\d+)-([0-9a-z]+)\.[0-9a-f]{8}\.(?:tmp|bak)(?:\.payload)?$/;

/** Directories already swept by this process. */
const swept = new Set<string>();

/**
 * Remove, once per process and directory, the temporary files in `dir` whose owner (a process of
 * this PID namespace) is gone: what a SIGKILLed or crashed mkpkg left. Returns the names removed.
 */
export async function removeDeadTemps(dir: string): Promise<string[]> {
  if (swept.has(dir)) return [];
  swept.add(dir);
  const ns = OWNER.slice(OWNER.indexOf('-') + 1);
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = TEMP_NAME.exec(name);
    if (!m || m[2] !== ns) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    if (await unlink(join(dir, name)).then(() => true, () => false)) removed.push(name);
  }
  return removed;
}
