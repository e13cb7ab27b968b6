/**
 * The current state of a yum repository, read from the store: repomd.xml and the primary,
 * filelists and other documents it names (checked against their checksums) — never the packages.
 * The packages come from primary; their filelists and other chunks are split out only when the
 * documents are rewritten whole ({@link loadSideChunks}).
 */
import { createHash } from 'node:crypto';
import { openIndex } from '../compress.js';
import type { Compression } from '../../archive/compress.js';
import { MkpkgError } from '../../errors.js';
import { readGzipMembers, type GzipMember } from '../gzip-members.js';
import type { RepoStore } from '../store/types.js';
import type { PackageChunks } from './chunks.js';
import { chunkPkgid, KINDS, parseRepomd, primaryIdentity, splitPackages, type Kind, type RepomdData } from './repodata.js';

/** One data document as read: its compressed bytes (as repomd.xml names them), open content, and gzip members. */
export interface YumDocument {
  href: string;
  raw: Buffer;
  open: Buffer;
  /** The members of a .gz document that holds nothing after them; undefined otherwise. */
  members?: GzipMember[];
}

/** A repository as found. */
export interface YumState {
  repomdText?: string;
  revision?: number;
  /** Every `<data>` entry of repomd.xml. */
  data: RepomdData[];
  /** repomd.xml.asc, when the repository is signed. */
  signature?: string;
  /** Packages by pkgid (sha256 of the .rpm); `filelists` and `other` are empty until {@link loadSideChunks}. */
  packages: Map<string, PackageChunks>;
  docs: Partial<Record<Kind, YumDocument>>;
  notes: string[];
}

export const REPOMD = 'repodata/repomd.xml';

async function decompress(href: string, data: Buffer): Promise<Omit<YumDocument, 'href' | 'raw'>> {
  if (href.endsWith('.gz')) {
    const { open, members } = readGzipMembers(data);
    return { open, members: members.at(-1)?.end === data.length ? members : undefined };
  }
  const c: Compression | undefined = href.endsWith('.zst') ? 'zstd' : href.endsWith('.xz') ? 'xz' : href.endsWith('.xml') ? 'none' : undefined;
  if (!c) throw new MkpkgError('E_REPO_INVALID', `repodata file ${href} uses a compression mkpkg cannot read`, { hint: 'recreate the repodata with createrepo_c --general-compress-type gz, or remove repodata/ to rebuild it' });
  if (c === 'none') return { open: data };
  return { open: await openIndex(c, data) };
}

async function readData(store: RepoStore, d: RepomdData): Promise<YumDocument> {
  const bytes = await store.get(d.href);
  const algo = { sha: 'sha1', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' }[d.checksumType];
  if (!bytes || !algo || createHash(algo).update(bytes).digest('hex') !== d.checksum) {
    throw new MkpkgError('E_REPO_INVALID', `${store.location}/${d.href} (the ${d.type} data repomd.xml names) is ${bytes ? 'not what repomd.xml says' : 'missing'}`, {
      hint: 'the repository is damaged; rerun the publish that was interrupted, or remove repodata/ to rebuild it from the packages given',
    });
  }
  try {
    return { href: d.href, raw: bytes, ...(await decompress(d.href, bytes)) };
  } catch (e) {
    if (e instanceof MkpkgError) throw e;
    throw new MkpkgError('E_REPO_INVALID', `${store.location}/${d.href} (the ${d.type} data repomd.xml names) cannot be decompressed: ${(e as Error).message}`, {
      hint: 'the repository is damaged; remove repodata/ to rebuild it from the packages given', cause: e,
    });
  }
}

/** Read the repository (an empty one when there is no repodata/repomd.xml). */
export async function readYum(store: RepoStore): Promise<YumState> {
  const packages = new Map<string, PackageChunks>();
  const notes: string[] = [];
  const text = (await store.get(REPOMD))?.toString('utf8');
  if (!text) return { data: [], packages, docs: {}, notes };
  const { revision, data } = parseRepomd(text);
  const docs: Partial<Record<Kind, YumDocument>> = {};
  for (const kind of KINDS) {
    const d = data.find((x) => x.type === kind);
    if (d) docs[kind] = await readData(store, d);
  }
  if (!docs.primary) throw new MkpkgError('E_REPO_INVALID', `${store.location}/${REPOMD} names no primary data`, { hint: 'remove repodata/ to rebuild it' });
  let skipped = 0;
  for (const chunk of splitPackages(docs.primary.open.toString('utf8'))) {
    const id = primaryIdentity(chunk);
    if (!id) { skipped++; continue; }
    packages.set(id.pkgid, { ...id, primary: chunk, filelists: '', other: '' });
  }
  if (skipped) notes.push(`${skipped} package(s) in primary.xml without name, arch, version, pkgid or location were dropped`);
  const signature = (await store.get(`${REPOMD}.asc`))?.toString('utf8');
  return { repomdText: text, revision, data, signature, packages, docs, notes };
}

/** Fill in each package's filelists and other chunks from the documents read (for a whole rewrite). */
export function loadSideChunks(state: YumState): void {
  for (const kind of ['filelists', 'other'] as const) {
    const doc = state.docs[kind];
    if (!doc) continue;
    for (const c of splitPackages(doc.open.toString('utf8'))) {
      const p = state.packages.get(chunkPkgid(c) ?? '');
      if (p) p[kind] = c;
    }
  }
}
