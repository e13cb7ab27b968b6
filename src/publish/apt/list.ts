/** `mkpkg publish apt TARGET --list`: what the repository's indexes hold (the pool is not read). */
import type { RepoStore } from '../store/types.js';
import { compareEntries } from './packages.js';
import { listSuites, readSuite } from './suite.js';

/** One package in one index. */
export interface AptListing {
  suite: string;
  component: string;
  /** The index it is listed in (`amd64`); arch-all packages appear once per architecture. */
  index: string;
  name: string;
  version: string;
  arch: string;
  filename: string;
  size: number;
  sha256: string;
}

/** Every package of `suite` (default: of every suite), sorted by suite, component, index, name and version. */
export async function listApt(store: RepoStore, suite?: string): Promise<AptListing[]> {
  const out: AptListing[] = [];
  for (const s of suite ? [suite] : await listSuites(store)) {
    const state = await readSuite(store, s);
    for (const [k, list] of [...state.indexes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [component, index] = k.split('/') as [string, string];
      for (const e of [...list].sort(compareEntries)) {
        out.push({ suite: s, component, index, name: e.name, version: e.version, arch: e.arch, filename: e.filename, size: e.size, sha256: e.sha256 });
      }
    }
  }
  return out;
}
