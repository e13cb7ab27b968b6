/** The pure core of planning: merge expanded entries, add implicit parents, reject collisions, sort. */
import { MkpkgError } from '../errors.js';
import { comparePaths, findByPath, type PlanEntry } from './types.js';
import type { Sourced } from './contents.js';
import { DIR_MODE, NO_FLAGS, ROOT } from './modes.js';
import { parentsOf } from './paths.js';


/** The assembled entries (sorted) and, per path, where each came from. */
export interface Assembled {
  entries: PlanEntry[];
  origins: Pick<ReadonlyMap<string, string>, 'get'>;
}

function sameDirAttrs(a: PlanEntry, b: PlanEntry): boolean {
  return a.mode === b.mode && a.owner === b.owner && a.group === b.group;
}

function collision(path: string, first: Sourced, second: Sourced, why = ''): MkpkgError {
  return new MkpkgError('E_PLAN_COLLISION', `${path} is wanted by both ${first.origin} and ${second.origin}${why}`, {
    hint: 'give each entry its own destination, or remove one of them (directories only merge when mode, owner and group agree)',
    details: { path, first: first.origin, second: second.origin },
  });
}

/** Which of two claims on one path survives (or throw E_PLAN_COLLISION). */
function merge(old: Sourced, next: Sourced): Sourced {
  const path = old.entry.path;
  if (old.entry.kind !== 'dir' || next.entry.kind !== 'dir') throw collision(path, old, next);
  if (old.strength === 'implicit') return next;
  if (next.strength === 'implicit') return old;
  if (old.strength !== next.strength) return old.strength === 'explicit' ? old : next;
  if (!sameDirAttrs(old.entry, next.entry)) {
    const show = (e: PlanEntry) => `${e.owner}:${e.group} ${e.mode.toString(8).padStart(4, '0')}`;
    throw collision(path, old, next, ` with different attributes (${show(old.entry)} vs ${show(next.entry)})`);
  }
  return { entry: { ...old.entry, mtime: Math.min(old.entry.mtime, next.entry.mtime) }, origin: old.origin, strength: old.strength };
}

/**
 * Merge entries into a plan: collisions → E_PLAN_COLLISION; every missing parent becomes a
 * root:root 0755 directory (never inheriting a child's owner or mode); mtimes are clamped to
 * `sourceDateEpoch`; hardlinks must name a regular file of the plan; the result is in byte order.
 */
export function assemblePlan(items: readonly Sourced[], sourceDateEpoch: number): Assembled {
  const byPath = new Map<string, Sourced>();
  for (const s of items) {
    const old = byPath.get(s.entry.path);
    byPath.set(s.entry.path, old ? merge(old, s) : s);
  }
  for (const s of [...byPath.values()]) {
    for (const parent of parentsOf(s.entry.path)) {
      const p = byPath.get(parent);
      if (!p) {
        byPath.set(parent, {
          entry: { kind: 'dir', path: parent, mode: DIR_MODE, owner: ROOT, group: ROOT, mtime: sourceDateEpoch, flags: NO_FLAGS },
          origin: `the parent directory of ${s.entry.path}`,
          strength: 'implicit',
        });
      } else if (p.entry.kind !== 'dir') {
        throw collision(parent, p, s, ` (it is a ${p.entry.kind} but ${s.entry.path} needs it as a directory)`);
      }
    }
  }
  for (const s of byPath.values()) {
    if (s.entry.kind !== 'hardlink') continue;
    const t = byPath.get(s.entry.target)?.entry;
    if (!t || (t.kind !== 'file' && t.kind !== 'data')) {
      throw new MkpkgError('E_PLAN_INVALID', `${s.origin}: the hardlink ${s.entry.path} points to ${s.entry.target}, which is not a regular file of the package`, {
        hint: 'make the hardlink target a file entry of the same package', details: { path: s.entry.path, target: s.entry.target },
      });
    }
  }
  const sorted = [...byPath.values()].sort((a, b) => comparePaths(a.entry.path, b.entry.path));
  byPath.clear();
  return { entries: sorted.map((s) => clampMtime(s.entry, sourceDateEpoch)), origins: originsOf(sorted) };
}

/**
 * An entry whose mtime is already in range is used as it is (entries are never mutated): a copy
 * per file per pass was a large part of planning's peak heap.
 */
function clampMtime(e: PlanEntry, sourceDateEpoch: number): PlanEntry {
  const mtime = Math.max(0, Math.min(Math.floor(e.mtime), sourceDateEpoch));
  return mtime === e.mtime ? e : { ...e, mtime };
}

/** Where each entry of `sorted` came from, as a map built on first use (only error messages need it). */
function originsOf(sorted: readonly Sourced[]): Assembled['origins'] {
  let map: Map<string, string> | undefined;
  return { get: (path) => (map ??= new Map(sorted.map((s) => [s.entry.path, s.origin]))).get(path) };
}

/**
 * `assemblePlan([...items, ...extra])` for `base = assemblePlan(items)`, without merging and sorting
 * `items` again: when every `extra` entry claims a path of its own (none of `base`, no other of
 * `extra`), under directories or new parents, the few new entries are merged into `base`'s sorted
 * entries. Any other case (a merge, a collision, a bad hardlink) is assembled in full, so the result
 * and its errors are exactly those of {@link assemblePlan}.
 */
export function extendPlan(base: Assembled, items: readonly Sourced[], extra: readonly Sourced[], sourceDateEpoch: number): Assembled {
  const full = () => assemblePlan([...items, ...extra], sourceDateEpoch);
  const own = base.entries;
  const added = new Map<string, Sourced>();
  for (const s of extra) {
    if (added.has(s.entry.path) || findByPath(own, s.entry.path)) return full();
    added.set(s.entry.path, s);
  }
  for (const s of [...added.values()]) {
    for (const parent of parentsOf(s.entry.path)) {
      const p = findByPath(own, parent) ?? added.get(parent)?.entry;
      if (p ? p.kind !== 'dir' : false) return full();
      if (!p) {
        added.set(parent, {
          entry: { kind: 'dir', path: parent, mode: DIR_MODE, owner: ROOT, group: ROOT, mtime: sourceDateEpoch, flags: NO_FLAGS },
          origin: `the parent directory of ${s.entry.path}`,
          strength: 'implicit',
        });
      }
    }
  }
  for (const s of added.values()) {
    if (s.entry.kind !== 'hardlink') continue;
    const target = s.entry.target;
    const t = findByPath(own, target) ?? added.get(target)?.entry;
    if (!t || (t.kind !== 'file' && t.kind !== 'data')) return full();
  }
  const fresh = [...added.values()].sort((a, b) => comparePaths(a.entry.path, b.entry.path));
  const entries: PlanEntry[] = new Array(own.length + fresh.length);
  for (let i = 0, j = 0, k = 0; k < entries.length; k++) {
    entries[k] = j >= fresh.length || (i < own.length && comparePaths(own[i].path, fresh[j].entry.path) < 0) ? own[i++] : clampMtime(fresh[j++].entry, sourceDateEpoch);
  }
  const freshOrigins = originsOf(fresh);
  return { entries, origins: { get: (path) => freshOrigins.get(path) ?? base.origins.get(path) } };
}
