/**
 * What a publish does to a suite's indexes, as a pure function of the indexes found and the
 * packages given: add (arch-all ones under every architecture), recognise identical files
 * already published, refuse or replace a different file under the same name+version+arch, and
 * keep the newest N versions.
 */
import { compareDebianVersions } from '../../versions/debian.js';
import { beyondNewest } from '../keep.js';
import { conflictError } from '../pool.js';
import type { IndexEntry } from './packages.js';

/** Input of {@link applyChanges}. */
export interface ChangeInput {
  /** Entries per `component/arch` as found. */
  indexes: ReadonlyMap<string, readonly IndexEntry[]>;
  components: readonly string[];
  architectures: readonly string[];
  /** The component the packages go to. */
  component: string;
  /** The entries of the packages given (pool paths in `filename`), with the file each came from. */
  additions: readonly { entry: IndexEntry; source: string }[];
  replace?: boolean;
  keep?: number;
}

/** What changed. */
export interface Changes {
  /** Every `component/arch` of the suite after the change. */
  indexes: Map<string, IndexEntry[]>;
  /** The `component/arch` indexes whose content changed (or are new). */
  dirty: Set<string>;
  /** Of those, the ones that only gained entries (at their end): these can be extended instead of rewritten. */
  appendOnly: Set<string>;
  added: IndexEntry[];
  unchanged: IndexEntry[];
  replaced: IndexEntry[];
  /** Entries no index lists any more. */
  removed: IndexEntry[];
}

const same = (a: IndexEntry, b: IndexEntry) => a.name === b.name && a.version === b.version && a.arch === b.arch;

export function applyChanges(input: ChangeInput): Changes {
  const indexes = new Map<string, IndexEntry[]>();
  const dirty = new Set<string>();
  const rewritten = new Set<string>();
  for (const c of input.components) {
    // arch-all packages of the component, to list under an architecture that is new to the suite.
    const allArch = new Map<string, IndexEntry>();
    for (const [k, list] of input.indexes) if (k.startsWith(`${c}/`)) for (const e of list) if (e.arch === 'all') allArch.set(e.filename, e);
    for (const a of input.architectures) {
      const k = `${c}/${a}`;
      const found = input.indexes.get(k);
      if (found) indexes.set(k, [...found]);
      else {
        indexes.set(k, [...allArch.values()]);
        dirty.add(k);
        rewritten.add(k);
      }
    }
  }
  const added: IndexEntry[] = [];
  const unchanged: IndexEntry[] = [];
  const replaced: IndexEntry[] = [];
  const seen = new Map<string, IndexEntry>();
  for (const { entry, source } of input.additions) {
    const id = `${entry.name} ${entry.version} ${entry.arch}`;
    const twin = seen.get(id);
    if (twin) {
      if (twin.sha256 !== entry.sha256) conflict(`${source} and another package given are both ${id} with different content`, entry.filename);
      continue;
    }
    seen.set(id, entry);
    const arches = entry.arch === 'all' ? input.architectures : [entry.arch];
    const keys = arches.map((a) => `${input.component}/${a}`);
    const existing = keys.flatMap((k) => indexes.get(k)!.filter((e) => same(e, entry)));
    if (existing.length && existing.every((e) => e.sha256 === entry.sha256 && e.filename === entry.filename) && existing.length === keys.length) {
      unchanged.push(entry);
      continue;
    }
    if (existing.some((e) => e.sha256 !== entry.sha256) && !input.replace) {
      conflict(`the repository already has ${id} (${existing[0]!.filename}) with different content than ${source}`, existing[0]!.filename);
    }
    for (const k of keys) {
      const before = indexes.get(k)!;
      const others = before.filter((e) => !same(e, entry));
      if (others.length !== before.length) rewritten.add(k);
      indexes.set(k, [...others, entry]);
      dirty.add(k);
    }
    (existing.some((e) => e.sha256 !== entry.sha256) ? replaced : added).push(entry);
  }
  const dropped = new Map<string, IndexEntry>();
  if (input.keep !== undefined) {
    for (const a of input.architectures) {
      const k = `${input.component}/${a}`;
      const old = beyondNewest(indexes.get(k)!, input.keep, (e) => `${e.name} ${e.arch}`, (x, y) => compareDebianVersions(x.version, y.version));
      if (!old.length) continue;
      const gone = new Set(old.map((e) => e.filename));
      indexes.set(k, indexes.get(k)!.filter((e) => !gone.has(e.filename)));
      dirty.add(k);
      rewritten.add(k);
      for (const e of old) dropped.set(e.filename, e);
    }
  }
  const listed = new Set([...indexes.values()].flatMap((l) => l.map((e) => e.filename)));
  const removed = [...dropped.values()].filter((e) => !listed.has(e.filename));
  const kept = (l: IndexEntry[]) => l.filter((e) => listed.has(e.filename));
  const appendOnly = new Set([...dirty].filter((k) => !rewritten.has(k)));
  return { indexes, dirty, appendOnly, added: kept(added), unchanged, replaced: kept(replaced), removed };
}

function conflict(message: string, file: string): never {
  throw conflictError(message, file);
}
