/** Test helper: build a Plan by hand from a scratch source tree (no plan layer involved). */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { comparePaths, type Plan, type PlanEntry } from '../../../src/plan/types.js';

const base = (mtime: number) => ({ owner: 'root', group: 'root', mtime, flags: {} });

/** Options for {@link planFromTree}. */
export interface TreePlanOptions {
  /** Where the tree's root lands in the package, e.g. `/usr/lib/app`. Default `/`. */
  prefix?: string;
  mtime?: number;
  /** Extra generated entries (copyright, configs …). */
  extra?: PlanEntry[];
  /** Paths (inside the package) to flag as conffiles. */
  config?: string[];
}

/**
 * Walk `root` with lstat: directories, regular files (mode from disk), symlinks, and hard links
 * (second and later names of one inode). Adds every ancestor directory and sorts by path.
 */
export function planFromTree(root: string, opts: TreePlanOptions = {}): Plan {
  const mtime = opts.mtime ?? 1_700_000_000;
  const prefix = (opts.prefix ?? '/').replace(/\/$/, '');
  const entries = new Map<string, PlanEntry>();
  const inodes = new Map<string, string>();
  const addDir = (path: string, mode = 0o755) => {
    if (path !== '' && !entries.has(path)) entries.set(path, { kind: 'dir', path, mode, ...base(mtime) });
  };
  const parts = prefix.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) addDir('/' + parts.slice(0, i).join('/'));
  const walk = (dir: string, dst: string) => {
    for (const name of readdirSync(dir).sort()) {
      const src = join(dir, name);
      const path = `${dst}/${name}`;
      const st = lstatSync(src);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        addDir(path, mode);
        walk(src, path);
      } else if (st.isSymbolicLink()) {
        entries.set(path, { kind: 'symlink', path, mode: 0o777, target: readlinkSync(src), ...base(mtime) });
      } else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first !== undefined && st.nlink > 1) {
          entries.set(path, { kind: 'hardlink', path, mode, target: first, ...base(mtime) });
        } else {
          inodes.set(key, path);
          entries.set(path, { kind: 'file', path, mode, source: src, size: st.size, ...base(mtime) });
        }
      }
    }
  };
  walk(root, prefix);
  for (const e of opts.extra ?? []) {
    const segs = e.path.split('/').filter(Boolean);
    for (let i = 1; i < segs.length; i++) addDir('/' + segs.slice(0, i).join('/'));
    entries.set(e.path, e);
  }
  for (const p of opts.config ?? []) {
    const e = entries.get(p);
    if (!e) throw new Error(`planFromTree: no entry ${p} to flag as config`);
    e.flags = { ...e.flags, config: true };
  }
  return { entries: [...entries.values()].sort((a, b) => comparePaths(a.path, b.path)) };
}

/** A generated text entry. */
export function dataEntry(path: string, data: string, mode = 0o644, mtime = 1_700_000_000): PlanEntry {
  return { kind: 'data', path, data, mode, ...base(mtime) };
}
