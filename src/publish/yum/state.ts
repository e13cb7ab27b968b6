/**
 * The current state of a yum repository, read from the store: repomd.xml and the primary,
 * filelists and other documents it names (checked against their checksums) — never the packages.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { createDecompressor } from '../../archive/decompress.js';
import type { Compression } from '../../archive/compress.js';
import { MkpkgError } from '../../errors.js';
import type { RepoStore } from '../store/types.js';
import type { PackageChunks } from './chunks.js';
import { chunkPkgid, KINDS, parseRepomd, primaryIdentity, splitPackages, type RepomdData } from './repodata.js';

/** A repository as found. */
export interface YumState {
  repomdText?: string;
  revision?: number;
  /** Every `<data>` entry of repomd.xml. */
  data: RepomdData[];
  /** repomd.xml.asc, when the repository is signed. */
  signature?: string;
  /** Packages by pkgid (sha256 of the .rpm). */
  packages: Map<string, PackageChunks>;
  notes: string[];
}

export const REPOMD = 'repodata/repomd.xml';

async function decompress(href: string, data: Buffer): Promise<Buffer> {
  if (href.endsWith('.gz')) return gunzipSync(data);
  const c: Compression | undefined = href.endsWith('.zst') ? 'zstd' : href.endsWith('.xz') ? 'xz' : href.endsWith('.xml') ? 'none' : undefined;
  if (!c) throw new MkpkgError('E_REPO_INVALID', `repodata file ${href} uses a compression mkpkg cannot read`, { hint: 'recreate the repodata with createrepo_c --general-compress-type gz, or remove repodata/ to rebuild it' });
  if (c === 'none') return data;
  const d = createDecompressor(c);
  const chunks: Buffer[] = [];
  const read = (async () => { for await (const x of d) chunks.push(x as Buffer); })();
  d.end(data);
  await read;
  return Buffer.concat(chunks);
}

async function readData(store: RepoStore, d: RepomdData): Promise<string> {
  const bytes = await store.get(d.href);
  const algo = { sha: 'sha1', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' }[d.checksumType];
  if (!bytes || !algo || createHash(algo).update(bytes).digest('hex') !== d.checksum) {
    throw new MkpkgError('E_REPO_INVALID', `${store.location}/${d.href} (the ${d.type} data repomd.xml names) is ${bytes ? 'not what repomd.xml says' : 'missing'}`, {
      hint: 'the repository is damaged; rerun the publish that was interrupted, or remove repodata/ to rebuild it from the packages given',
    });
  }
  return (await decompress(d.href, bytes)).toString('utf8');
}

/** Read the repository (an empty one when there is no repodata/repomd.xml). */
export async function readYum(store: RepoStore): Promise<YumState> {
  const packages = new Map<string, PackageChunks>();
  const notes: string[] = [];
  const text = (await store.get(REPOMD))?.toString('utf8');
  if (!text) return { data: [], packages, notes };
  const { revision, data } = parseRepomd(text);
  const docs: Partial<Record<(typeof KINDS)[number], string>> = {};
  for (const kind of KINDS) {
    const d = data.find((x) => x.type === kind);
    if (d) docs[kind] = await readData(store, d);
  }
  if (!docs.primary) throw new MkpkgError('E_REPO_INVALID', `${store.location}/${REPOMD} names no primary data`, { hint: 'remove repodata/ to rebuild it' });
  const side = (kind: 'filelists' | 'other') => new Map(splitPackages(docs[kind] ?? '').map((c) => [chunkPkgid(c) ?? '', c]));
  const filelists = side('filelists');
  const other = side('other');
  let skipped = 0;
  for (const chunk of splitPackages(docs.primary)) {
    const id = primaryIdentity(chunk);
    if (!id) { skipped++; continue; }
    packages.set(id.pkgid, { ...id, primary: chunk, filelists: filelists.get(id.pkgid) ?? '', other: other.get(id.pkgid) ?? '' });
  }
  if (skipped) notes.push(`${skipped} package(s) in primary.xml without name, arch, version, pkgid or location were dropped`);
  const signature = (await store.get(`${REPOMD}.asc`))?.toString('utf8');
  return { repomdText: text, revision, data, signature, packages, notes };
}
