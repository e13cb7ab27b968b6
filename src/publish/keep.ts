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
