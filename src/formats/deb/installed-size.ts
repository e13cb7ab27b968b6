/** Installed-Size as dpkg-gencontrol computes it. Pure. */
import type { PlanEntry } from '../../plan/types.js';
import { entrySize } from '../../plan/types.js';

/**
 * KiB: ceil(size/1024) for each regular file and symlink (a symlink's size is its target's length),
 * 1 for every other object including the root directory; a hard link adds nothing (its inode is counted once).
 * Ghost entries are not shipped and not counted.
 */
export function installedSize(entries: readonly PlanEntry[]): number {
  let kib = 1;
  for (const e of entries) {
    if (e.flags.ghost) continue;
    if (e.kind === 'file' || e.kind === 'data') kib += Math.ceil(entrySize(e) / 1024);
    else if (e.kind === 'symlink') kib += Math.ceil(Buffer.byteLength(e.target, 'utf8') / 1024);
    else if (e.kind === 'dir') kib += 1;
  }
  return kib;
}
