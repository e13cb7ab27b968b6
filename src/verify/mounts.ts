/** Mount bookkeeping: never `rm -rf` a tree that still has something mounted inside it. */
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve, sep } from 'node:path';

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mount points at or below `dir` (deepest first), from /proc/self/mountinfo. */
export function mountsUnder(dir: string): string[] {
  const root = resolve(dir);
  let info = '';
  try { info = readFileSync('/proc/self/mountinfo', 'utf8'); } catch { return []; }
  const points = info.split('\n').filter(Boolean).map((l) => unescape(l.split(' ')[4] ?? ''));
  return [...new Set(points.filter((p) => p === root || p.startsWith(root + sep)))]
    .sort((a, b) => b.length - a.length || (a < b ? 1 : -1));
}

/** Lazily unmount everything at or below `dir`. Synchronous, so it also works in exit handlers. */
export function unmountAllSync(dir: string): void {
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const p of points) spawnSync('umount', ['-l', p], { stdio: 'ignore' });
  }
}

/**
 * Remove `dir` after unmounting anything inside it. Refuses (returns false) if a mount is
 * still there, so a stuck /proc or overlay is never recursed into.
 */
export function removeTreeSync(dir: string): boolean {
  if (!existsSync(dir)) return true;
  unmountAllSync(dir);
  if (mountsUnder(dir).length > 0) return false;
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  return true;
}
