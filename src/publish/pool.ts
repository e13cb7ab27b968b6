/**
 * What both publishers do around their own model: hold the repository lock for the run (recording
 * the wait and any stale lock removed in the report), and put package files in place — never over
 * a different file at the same path unless asked to replace it.
 */
import { MkpkgError } from '../errors.js';
import type { PublishReport } from './report.js';
import type { RepoStore } from './store/types.js';
import { eachLimited } from './writes.js';

/** E_PUBLISH_CONFLICT for a different file under a published name, with the two ways out. */
export function conflictError(message: string, file: string): MkpkgError {
  return new MkpkgError('E_PUBLISH_CONFLICT', message, {
    hint: 'a published file never changes under the same name: rebuild it byte-identically (same sources and SOURCE_DATE_EPOCH — mkpkg builds are reproducible), publish a new version or release, or replace it on purpose with --replace (replace: true)',
    details: { file },
  });
}

/** Check the options both publishers take: `keep` a whole number ≥ 1, `lockTimeout` seconds ≥ 0 (E_USAGE naming the flag). */
export function checkRunOptions(o: { keep?: number; lockTimeout?: number }): void {
  if (o.keep !== undefined && (!Number.isSafeInteger(o.keep) || o.keep < 1)) {
    throw new MkpkgError('E_USAGE', `--keep must be a whole number of at least 1, not ${o.keep}`, { hint: 'e.g. --keep 3' });
  }
  if (o.lockTimeout !== undefined && !(Number.isFinite(o.lockTimeout) && o.lockTimeout >= 0)) {
    throw new MkpkgError('E_USAGE', `--lock-timeout must be a number of seconds, not ${o.lockTimeout}`, { hint: 'e.g. --lock-timeout 300' });
  }
}

/** An empty report for a run against `store`. */
export function newReport(family: PublishReport['family'], store: RepoStore): PublishReport {
  return { family, location: store.location, changed: false, added: [], unchanged: [], replaced: [], removed: [], packages: 0, signed: false, lock: { waitedMs: 0 }, notes: [] };
}

/** Run `fn` holding the repository's lock (`lockTimeout` in seconds); closes the store afterwards. */
export async function withRepoLock<T>(store: RepoStore, lockTimeout: number | undefined, report: PublishReport, fn: () => Promise<T>): Promise<T> {
  try {
    const lock = await store.lock({ timeoutMs: (lockTimeout ?? 120) * 1000, onStaleLock: (holder, why) => { report.lock.staleRemoved = { holder, why }; } });
    report.lock.waitedMs = lock.waitedMs;
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  } finally {
    store.close?.();
  }
}

/** A package file to put at `key`. */
export interface PackageUpload {
  key: string;
  sha256: string;
  /** The local file. */
  source: string;
}

/**
 * Step 1 of a publish: refuse a different file already at any of the paths before writing anything
 * (`replace` allows it), then upload the files that are not there yet.
 */
export async function putPackages(store: RepoStore, uploads: readonly PackageUpload[], replace: boolean): Promise<void> {
  const present = new Map<string, string | undefined>();
  await eachLimited(uploads, async (u) => { present.set(u.key, await store.sha256(u.key)); });
  for (const u of uploads) {
    const sha = present.get(u.key);
    if (sha && sha !== u.sha256 && !replace) {
      throw conflictError(`${store.location}/${u.key} exists with different content (another suite, or an earlier run, put it there)`, u.key);
    }
  }
  await eachLimited(uploads.filter((u) => present.get(u.key) !== u.sha256), (u) => store.putFile(u.key, u.source, u.sha256));
}
