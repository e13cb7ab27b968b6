/**
 * Writing a suite in the order that keeps it servable at every moment: pool files, then the
 * `by-hash` copies of every changed index, then the plain index names, then Release, Release.gpg
 * and InRelease last. Clients that fetched the old InRelease still find the old indexes under
 * by-hash (kept for {@link SUPERSEDED_GRACE_MS} after they were superseded); the old pool files
 * are removed only after the new Release is in place.
 */
import type { PrivateKey } from 'openpgp';
import { clearSign, detachedSignature } from '../../sign/index.js';
import { gzipIndex, xzIndex } from '../compress.js';
import { digestBytes } from '../digests.js';
import { appendXz } from '../xz-append.js';
import type { RepoStore } from '../store/types.js';
import { eachLimited, SUPERSEDED_GRACE_MS } from '../writes.js';
import { renderPackages, type IndexEntry } from './packages.js';
import type { ReleaseFile } from './release.js';

/** One index file to write: its path under `dists/<suite>/`, bytes, and its Release entry (digests computed once). */
export interface IndexFile {
  path: string;
  data: Buffer;
  release: ReleaseFile;
}

function indexFile(path: string, data: Buffer): IndexFile {
  const { size, md5, sha1, sha256, sha512 } = digestBytes(data);
  return { path, data, release: { path, size, md5, sha1, sha256, sha512 } };
}

/** Render the three forms of an index (`main/binary-amd64`): Packages, Packages.gz, Packages.xz. */
export async function renderIndexFiles(dir: string, entries: readonly IndexEntry[]): Promise<IndexFile[]> {
  const text = Buffer.from(renderPackages(entries), 'utf8');
  return [
    indexFile(`${dir}/Packages`, text),
    indexFile(`${dir}/Packages.gz`, gzipIndex(text)),
    indexFile(`${dir}/Packages.xz`, await xzIndex(text)),
  ];
}

/**
 * The three forms of an index that only gained `added` at its end, made by appending: the text
 * gets the new stanzas, Packages.gz a new gzip member (RFC 1952; zlib, and so apt, reads all
 * members) and Packages.xz a new stored block in its one stream (../xz-append.ts). Compression work
 * is that of the new stanzas, not of the whole index. Undefined when the old .xz is not one mkpkg can extend.
 */
export function extendIndexFiles(dir: string, old: Record<'' | '.gz' | '.xz', Buffer>, added: readonly IndexEntry[]): IndexFile[] | undefined {
  const tail = Buffer.from(added.map((e) => `${old[''].length ? '\n' : ''}${e.text}\n`).join(''), 'utf8');
  let xz: Buffer;
  try {
    xz = appendXz(old['.xz'], tail);
  } catch {
    return undefined;
  }
  return [
    indexFile(`${dir}/Packages`, Buffer.concat([old[''], tail])),
    indexFile(`${dir}/Packages.gz`, Buffer.concat([old['.gz'], gzipIndex(tail)])),
    indexFile(`${dir}/Packages.xz`, xz),
  ];
}

const byHashKeys = (dist: string, f: IndexFile) => {
  const dir = f.path.slice(0, f.path.lastIndexOf('/'));
  return [`${dist}/${dir}/by-hash/SHA256/${f.release.sha256}`, `${dist}/${dir}/by-hash/SHA512/${f.release.sha512}`];
};

/** Steps 2 and 3: by-hash copies (content-addressed: skipped when present), then the plain names. */
export async function writeIndexes(store: RepoStore, dist: string, files: readonly IndexFile[]): Promise<void> {
  const copies = files.flatMap((f) => byHashKeys(dist, f).map((key) => ({ key, data: f.data })));
  await eachLimited(copies, async (c) => { if (!(await store.stat(c.key))) await store.put(c.key, c.data); });
  await eachLimited(files, (f) => store.put(`${dist}/${f.path}`, f.data));
}

/** Step 4: Release, then its signatures (InRelease last); without a key, the old signatures go. */
export async function writeRelease(store: RepoStore, dist: string, release: string, key: PrivateKey | undefined): Promise<void> {
  const sigs = key
    ? { gpg: await detachedSignature(key, release, `${dist}/Release`), inRelease: await clearSign(key, release, `${dist}/InRelease`) }
    : undefined;
  await store.put(`${dist}/Release`, release);
  if (sigs) {
    await store.put(`${dist}/Release.gpg`, sigs.gpg);
    await store.put(`${dist}/InRelease`, sigs.inRelease);
  } else {
    await store.delete(`${dist}/InRelease`);
    await store.delete(`${dist}/Release.gpg`);
  }
}

/**
 * After Release: remove by-hash copies of the index directories `dirs` that neither the new nor
 * the previous Release lists and that are older than the grace period.
 */
export async function pruneByHash(store: RepoStore, dist: string, dirs: Iterable<string>, keep: ReadonlySet<string>, now = Date.now()): Promise<void> {
  for (const dir of dirs) {
    const objects = await store.list(`${dist}/${dir}/by-hash/`);
    const old = objects.filter((o) => !keep.has(o.key.slice(o.key.lastIndexOf('/') + 1)) && now - o.modified.getTime() > SUPERSEDED_GRACE_MS);
    await eachLimited(old, (o) => store.delete(o.key));
  }
}
