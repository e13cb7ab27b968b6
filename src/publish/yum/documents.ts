/**
 * The primary, filelists and other documents as gzip files of members — the head (with the package
 * count), the package chunks, the foot — so that adding packages re-compresses only the new chunks
 * and the head: the compressed bytes of the members before are copied as they are. dnf, librepo and
 * createrepo_c read a gzip file of several members as one stream (zlib).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { gzipMember } from '../gzip-members.js';
import type { PackageChunks } from './chunks.js';
import { documentBody, documentFoot, documentHead, KINDS, type Kind } from './repodata.js';
import type { YumDocument } from './state.js';

const gzipAsync = promisify(gzip);
const LEVEL = 6;

/** One document to write: its compressed bytes, and the checksum and size of its open form. */
export interface DocumentFile {
  kind: Kind;
  gz: Buffer;
  openSha256: string;
  openSize: number;
}

function documentFile(kind: Kind, gzParts: Buffer[], openParts: (string | Buffer)[]): DocumentFile {
  const h = createHash('sha256');
  let openSize = 0;
  for (const p of openParts) { h.update(p); openSize += Buffer.byteLength(p); }
  return { kind, gz: Buffer.concat(gzParts), openSha256: h.digest('hex'), openSize };
}

/** The three documents of `packages` (in the order given), whole; the chunk members are compressed at once, on libuv's thread pool. */
export function renderDocuments(packages: readonly PackageChunks[]): Promise<DocumentFile[]> {
  return Promise.all(KINDS.map(async (kind) => {
    const chunks = packages.map((p) => p[kind]).filter(Boolean);
    const head = documentHead(kind, chunks.length);
    const body = documentBody(chunks);
    const foot = documentFoot(kind);
    const members = [gzipMember(head, LEVEL), ...(body ? [await gzipAsync(body, { level: LEVEL })] : []), gzipMember(foot, LEVEL)];
    return documentFile(kind, members, [head, body, foot]);
  }));
}

/**
 * The three documents with `added` after the packages they hold (`count`), or undefined when one of
 * them is not a head | chunks | foot series of members for that count (a document of another tool,
 * of an older mkpkg, or damaged): then the caller renders them whole.
 */
export function extendDocuments(docs: Partial<Record<Kind, YumDocument>>, count: number, added: readonly PackageChunks[]): DocumentFile[] | undefined {
  const out: DocumentFile[] = [];
  for (const kind of KINDS) {
    const doc = docs[kind];
    const members = doc?.members;
    if (!doc || !members || members.length < 2) return undefined;
    const first = members[0]!;
    const last = members[members.length - 1]!;
    const openOf = (m: typeof first) => doc.open.subarray(m.openStart, m.openEnd).toString('utf8');
    if (openOf(first) !== documentHead(kind, count) || openOf(last) !== documentFoot(kind)) return undefined;
    const chunks = added.map((p) => p[kind]);
    if (chunks.some((c) => !c)) return undefined;
    const head = documentHead(kind, count + chunks.length);
    const body = documentBody(chunks);
    const kept = { gz: doc.raw.subarray(first.end, last.start), open: doc.open.subarray(first.openEnd, last.openStart) };
    out.push(documentFile(kind, [gzipMember(head, LEVEL), kept.gz, gzipMember(body, LEVEL), doc.raw.subarray(last.start)], [head, kept.open, body, documentFoot(kind)]));
  }
  return out;
}
