/** Running one phase of a publish's writes: several requests at once (S3 round trips), a phase finishing before the next starts. */

/** Run `fn` on every item, at most `concurrency` at a time; rejects with the first failure after the others settled. */
export async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<unknown>, concurrency = 8): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** Objects superseded longer ago than this are removed from `by-hash/` and `repodata/` (clients mid-update still find them). */
export const SUPERSEDED_GRACE_MS = 15 * 60_000;

/** An index extended in place (apt Packages, yum documents: new entries appended) is rewritten whole, sorted and recompressed, when its entry count crosses a multiple of this. */
export const REWRITE_EVERY = 50;

/** Whether an index of `before` entries, now of `after`, stays in the same multiple of {@link REWRITE_EVERY}, so it may be extended in place. */
export function extendsInPlace(before: number, after: number): boolean {
  return before > 0 && Math.floor(before / REWRITE_EVERY) === Math.floor(after / REWRITE_EVERY);
}
