/** What a publish did, for both families (printed by the CLI, returned by the library, `--json`). */
import type { LockHolder } from './store/types.js';

export interface PublishReport {
  family: 'apt' | 'yum';
  /** The directory or `s3://BUCKET/PREFIX`. */
  location: string;
  /** False when the repository was left exactly as it was (every package already published). */
  changed: boolean;
  /** Repository paths of packages added by this run. */
  added: string[];
  /** Packages given that the repository already held byte for byte. */
  unchanged: string[];
  /** Packages that replaced a different file of the same name, version and architecture (`replace`). */
  replaced: string[];
  /** Packages removed from the indexes (and the pool, when no other suite lists them) by `keep`. */
  removed: string[];
  /** Packages the indexes list after the run (apt: in the suite). */
  packages: number;
  signed: boolean;
  /** apt only. */
  suite?: string;
  component?: string;
  architectures?: string[];
  components?: string[];
  /** How long the run waited for the repository lock, and a stale lock it removed. */
  lock: { waitedMs: number; staleRemoved?: { holder: LockHolder; why: string } };
  /** Things the user should know (e.g. an index that did not match its Release, rebuilt). */
  notes: string[];
}

/** One line per fact, for the terminal. */
export function reportLines(r: PublishReport): string[] {
  const lines: string[] = [];
  if (r.lock.staleRemoved) lines.push(`removed a stale lock (${r.lock.staleRemoved.why}) of pid ${r.lock.staleRemoved.holder.pid} on ${r.lock.staleRemoved.holder.host}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  for (const p of r.added) lines.push(`added      ${p}`);
  for (const p of r.replaced) lines.push(`replaced   ${p}`);
  for (const p of r.unchanged) lines.push(`unchanged  ${p} (identical file already published)`);
  for (const p of r.removed) lines.push(`removed    ${p}`);
  const where = r.family === 'apt'
    ? `${r.location} ${r.suite}/${r.components?.join(',')} [${r.architectures?.join(' ')}]`
    : r.location;
  lines.push(r.changed
    ? `published ${where}: ${r.packages} package${r.packages === 1 ? '' : 's'}${r.signed ? ', signed' : ', unsigned'}`
    : `nothing changed in ${where}: ${r.unchanged.length ? 'every package is already published' : 'the indexes are up to date'}`);
  return lines;
}
