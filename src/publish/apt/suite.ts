/**
 * The current state of one suite, read from the store: its Release and the Packages indexes it
 * lists — never the pool. Each index is read as the Release names it: first its `by-hash` copy
 * (which matches the Release even while a publish is between writing indexes and writing
 * Release), then the plain file if its hash matches, then a compressed variant; an index that
 * matches nothing is taken from the plain file, with a note.
 */
import { MkpkgError } from '../../errors.js';
import { openIndex } from '../compress.js';
import { sha256Hex } from '../digests.js';
import type { RepoStore } from '../store/types.js';
import { parsePackages, type IndexEntry } from './packages.js';
import { parseRelease, type ParsedRelease } from './release.js';

/** A suite as found. */
export interface SuiteState {
  suite: string;
  /** The Release text, when the suite exists. */
  releaseText?: string;
  release?: ParsedRelease;
  /** InRelease (or else Release.gpg) text, when the suite is signed. */
  signature?: string;
  /** Entries per `component/arch`. */
  indexes: Map<string, IndexEntry[]>;
  /** Index files read while reading the suite whose bytes matched the Release, by path under `dists/<suite>/`. */
  verified: Map<string, Buffer>;
  notes: string[];
}

/** `main/binary-amd64/Packages[.gz|.xz]` → component, arch, suffix. */
export const INDEX_PATH = /^([^/]+)\/binary-([^/]+)\/Packages(\.gz|\.xz)?$/;


/** The entries of one index file (`…/Packages`, `.gz` or `.xz`); E_REPO_INVALID when it cannot be decompressed. */
async function entriesOf(path: string, data: Buffer, notes: string[]): Promise<IndexEntry[]> {
  let text: Buffer;
  try {
    text = path.endsWith('.gz') ? await openIndex('gzip', data) : path.endsWith('.xz') ? await openIndex('xz', data) : data;
  } catch (e) {
    throw new MkpkgError('E_REPO_INVALID', `${path} cannot be decompressed: ${(e as Error).message}`, {
      hint: 'restore the index, or remove the suite\'s Release to rebuild it from scratch', cause: e,
    });
  }
  const { entries, skipped } = parsePackages(text.toString('utf8'));
  if (skipped) notes.push(`${path}: ${skipped} stanza(s) without Package, Version, Architecture, Filename or SHA256, or with one of them twice, were dropped`);
  return entries;
}

/** Read one index (`main/binary-amd64`) the way the Release lists it. */
async function readIndex(store: RepoStore, dist: string, dir: string, release: ParsedRelease, notes: string[], verified: Map<string, Buffer>): Promise<IndexEntry[]> {
  const listed = ['', '.gz', '.xz'].map((s) => ({ suffix: s, file: release.files.get(`${dir}/Packages${s}`) })).filter((x) => x.file?.sha256);
  for (const key of ['by-hash', 'plain']) {
    for (const { suffix, file } of listed) {
      const data = await store.get(`${dist}/${dir}/${key === 'plain' ? `Packages${suffix}` : `by-hash/SHA256/${file!.sha256}`}`);
      if (data && sha256Hex(data) === file!.sha256) {
        verified.set(`${dir}/Packages${suffix}`, data);
        return entriesOf(`${dist}/${dir}/Packages${suffix}`, data, notes);
      }
    }
  }
  for (const suffix of ['', '.gz', '.xz']) {
    const plain = await store.get(`${dist}/${dir}/Packages${suffix}`);
    if (plain) {
      notes.push(`${dist}/${dir}/Packages${suffix} does not match its Release; its current content was used`);
      return entriesOf(`${dist}/${dir}/Packages${suffix}`, plain, notes);
    }
  }
  if (listed.length) {
    throw new MkpkgError('E_REPO_INVALID', `${dist}/Release lists ${dir}/Packages, but no copy of it is in ${store.location}`, {
      hint: 'the repository is damaged; restore the index, or remove the suite\'s Release to rebuild it from scratch',
    });
  }
  return [];
}

/** Read the suite `suite` (a missing suite is empty). */
export async function readSuite(store: RepoStore, suite: string): Promise<SuiteState> {
  const dist = `dists/${suite}`;
  const notes: string[] = [];
  const indexes = new Map<string, IndexEntry[]>();
  const verified = new Map<string, Buffer>();
  const text = await store.get(`${dist}/Release`);
  if (!text) return { suite, indexes, verified, notes };
  const releaseText = text.toString('utf8');
  let release: ParsedRelease;
  try {
    release = parseRelease(releaseText);
  } catch (e) {
    throw new MkpkgError('E_REPO_INVALID', `${store.location}/${dist}/Release cannot be parsed: ${(e as Error).message}`, { hint: 'restore it, or remove it to rebuild the suite', cause: e });
  }
  const dirs = new Set<string>();
  for (const path of release.files.keys()) {
    const m = INDEX_PATH.exec(path);
    if (m) dirs.add(`${m[1]}/binary-${m[2]}`);
  }
  for (const c of release.components) for (const a of release.architectures) dirs.add(`${c}/binary-${a}`);
  for (const dir of [...dirs].sort()) {
    const [component, bin] = dir.split('/') as [string, string];
    indexes.set(`${component}/${bin.slice(7)}`, await readIndex(store, dist, dir, release, notes, verified));
  }
  const signature = (await store.get(`${dist}/InRelease`)) ?? (await store.get(`${dist}/Release.gpg`));
  return { suite, releaseText, release, signature: signature?.toString('utf8'), indexes, verified, notes };
}

/** The three files of an index exactly as the Release lists them (read already, by-hash copy, else plain), or undefined if one is missing. */
export async function readIndexFiles(store: RepoStore, dist: string, dir: string, state: SuiteState & { release: ParsedRelease }): Promise<Record<'' | '.gz' | '.xz', Buffer> | undefined> {
  const out: Partial<Record<'' | '.gz' | '.xz', Buffer>> = {};
  for (const suffix of ['', '.gz', '.xz'] as const) {
    const want = state.release.files.get(`${dir}/Packages${suffix}`)?.sha256;
    if (!want) return undefined;
    out[suffix] = state.verified.get(`${dir}/Packages${suffix}`);
    if (out[suffix]) continue;
    for (const key of [`${dist}/${dir}/by-hash/SHA256/${want}`, `${dist}/${dir}/Packages${suffix}`]) {
      const data = await store.get(key);
      if (data && sha256Hex(data) === want) { out[suffix] = data; break; }
    }
    if (!out[suffix]) return undefined;
  }
  return out as Record<'' | '.gz' | '.xz', Buffer>;
}

/** Names of the suites in the repository (those with a Release). */
export async function listSuites(store: RepoStore): Promise<string[]> {
  const objects = await store.list('dists/');
  return objects.map((o) => /^dists\/([^/]+)\/Release$/.exec(o.key)?.[1]).filter((s): s is string => Boolean(s)).sort();
}
