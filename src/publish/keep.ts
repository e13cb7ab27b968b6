/** `keep N`: the newest N versions of each package (by the family's version order) stay, the rest go. */

/** Items grouped by `group`, each group sorted newest first by `compare`; returns the ones beyond the newest `n`. */
export function beyondNewest<T>(items: readonly T[], n: number, group: (t: T) => string, compare: (a: T, b: T) => number): T[] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const g = group(t);
    const list = groups.get(g) ?? [];
    list.push(t);
    groups.set(g, list);
  }
  const out: T[] = [];
  for (const list of groups.values()) out.push(...list.sort((a, b) => compare(b, a)).slice(n));
  return out;
}

/**
 * The files that `keep`/`replace` took out of the indexes which may be deleted: package files of the
 * family (apt: `pool/….deb`/`.udeb`; yum: `….rpm` outside `repodata/`). An index names its files,
 * and an index written by another tool or tampered with could name any object (`dists/…/Release`,
 * a key outside the pool): those stay, each with a note in `notes`.
 */
export function deletablePackageFiles(family: 'apt' | 'yum', removed: readonly string[], notes: string[]): string[] {
  const isPackage = family === 'apt' ? (k: string) => /^pool\/.+\.u?deb$/.test(k) : (k: string) => /\.rpm$/.test(k) && !k.startsWith('repodata/');
  const out: string[] = [];
  for (const k of removed) {
    if (isPackage(k)) out.push(k);
    else notes.push(`${k} was taken out of the index but left in place: it is not a package file (${family === 'apt' ? 'pool/….deb' : '….rpm outside repodata/'})`);
  }
  return out;
}
