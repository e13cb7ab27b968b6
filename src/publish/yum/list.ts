/** `mkpkg publish yum TARGET --list`: what the repository's primary.xml holds (the packages are not read). */
import type { RepoStore } from '../store/types.js';
import { compareEVR } from '../../versions/rpm.js';
import { readYum } from './state.js';

/** One package of the repository. */
export interface YumListing {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
  location: string;
  sha256: string;
}

export async function listYum(store: RepoStore): Promise<YumListing[]> {
  const { packages } = await readYum(store);
  return [...packages.values()]
    .map((p) => ({ name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch, location: p.location, sha256: p.pkgid }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareEVR(a, b) || (a.arch < b.arch ? -1 : a.arch > b.arch ? 1 : 0)));
}
