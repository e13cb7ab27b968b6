/** A small tmpfs mounted on a scratch directory: a real disk that fills up. Needs root and mount. */
import { spawnSync } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { requireRoot, requireTools } from './tools.js';
import { scratch } from './tmp.js';

/** Mount a tmpfs of `size` (e.g. `256k`) on a new scratch directory and return it; skips (fails under CI) without root or mount. */
export function mountTmpfs(ctx: Mocha.Context, size: string): string {
  requireRoot(ctx);
  requireTools(ctx, 'mount', 'umount');
  const dir = scratch('mkpkg-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mount tmpfs on ${dir} failed: ${r.stderr}`);
  return dir;
}

/** Unmount a directory from {@link mountTmpfs} (nothing when it was never mounted). */
export function unmountTmpfs(dir: string | undefined): void {
  if (dir) spawnSync('umount', [dir]);
}
