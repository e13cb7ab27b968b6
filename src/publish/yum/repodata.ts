/**
 * repodata documents: `repomd.xml` (what the data files are, with checksums of their compressed and
 * open forms, sizes and timestamps) and the primary/filelists/other documents as sequences of
 * per-package chunks, so an existing repository (ours or createrepo_c's) is extended without
 * re-reading its packages.
 */
import { leaf, parent, serialize, xmlUnescape } from './xml.js';
import type { PackageChunks } from './chunks.js';

export const KINDS = ['primary', 'filelists', 'other'] as const;
export type Kind = (typeof KINDS)[number];

const ROOTS: Record<Kind, [string, string]> = {
  primary: ['metadata', 'xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm"'],
  filelists: ['filelists', 'xmlns="http://linux.duke.edu/metadata/filelists"'],
  other: ['otherdata', 'xmlns="http://linux.duke.edu/metadata/other"'],
};

/** One `<data>` entry of repomd.xml. */
export interface RepomdData {
  type: string;
  href: string;
  checksumType: string;
  checksum: string;
  /** The entry as written, for types mkpkg does not manage (comps, updateinfo, …), which are kept. */
  raw: string;
}

/** The `<data>` entries and revision of repomd.xml. */
export function parseRepomd(text: string): { revision?: number; data: RepomdData[] } {
  const revision = /<revision>\s*([0-9]+)\s*<\/revision>/.exec(text)?.[1];
  const data: RepomdData[] = [];
  for (const { open, body, raw } of elements(text, /<data\s+type="([^"]+)"\s*>/g, '</data>')) {
    const sum = /<checksum\s+type="([^"]+)"\s*>\s*([0-9a-fA-F]+)\s*<\/checksum>/.exec(body);
    const href = /<location\s+href="([^"]+)"/.exec(body)?.[1];
    if (!sum || !href) continue;
    data.push({ type: open[1]!, href: xmlUnescape(href), checksumType: sum[1]!, checksum: sum[2]!.toLowerCase(), raw });
  }
  return { revision: revision === undefined ? undefined : Number(revision), data };
}

/** The data a repomd.xml entry describes. */
export interface DataFile {
  type: Kind;
  href: string;
  sha256: string;
  openSha256: string;
  size: number;
  openSize: number;
  timestamp: number;
}

/** repomd.xml: our three data files, then the entries of other tools kept as they were. */
export function renderRepomd(revision: number, files: readonly DataFile[], kept: readonly string[]): string {
  // Entries of other tools are kept as written, after ours.
  const data = files.map((f) => parent('data', { type: f.type }, [
    leaf('checksum', { type: 'sha256' }, f.sha256),
    leaf('open-checksum', { type: 'sha256' }, f.openSha256),
    leaf('location', { href: f.href }),
    leaf('timestamp', undefined, String(f.timestamp)),
    leaf('size', undefined, String(f.size)),
    leaf('open-size', undefined, String(f.openSize)),
  ]));
  const body = serialize(parent('repomd', { xmlns: 'http://linux.duke.edu/metadata/repo', 'xmlns:rpm': 'http://linux.duke.edu/metadata/rpm' }, [
    leaf('revision', undefined, String(revision)), ...data,
  ])).replace(/\n<\/repomd>$/, kept.map((k) => `\n  ${k}`).join('') + '\n</repomd>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}

/**
 * The elements opened by `open` (a global expression) and closed by the first `close` after it, in
 * order: their opening tags' matches, bodies and whole texts. Found with indexOf, linearly: a lazy
 * `open[\s\S]*?close` expression scans to the end from every opening tag when the closing one is
 * missing, quadratic in a damaged or hostile document.
 */
function* elements(xml: string, open: RegExp, close: string): Generator<{ open: RegExpExecArray; body: string; raw: string }> {
  open.lastIndex = 0;
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const start = m.index + m[0].length;
    const end = xml.indexOf(close, start);
    if (end < 0) return;
    yield { open: m, body: xml.slice(start, end), raw: xml.slice(m.index, end + close.length) };
    open.lastIndex = end + close.length;
  }
}

/** The `<package>` chunks of a primary, filelists or other document. */
export function splitPackages(xml: string): string[] {
  return Array.from(elements(xml, /<package[\s>]/g, '</package>'), (e) => e.raw);
}

/** The start of a document, up to its root element's opening tag, which carries the package count. */
export function documentHead(kind: Kind, count: number): string {
  const [root, ns] = ROOTS[kind];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} ${ns} packages="${count}">\n`;
}

/** The end of a document: its root element's closing tag. */
export const documentFoot = (kind: Kind): string => `</${ROOTS[kind][0]}>`;

/** Package chunks as they stand in a document, one per line. */
export const documentBody = (chunks: readonly string[]): string => chunks.map((c) => `${c}\n`).join('');

/** A whole document from chunks (in the order given). */
export function renderDocument(kind: Kind, chunks: readonly string[]): string {
  return documentHead(kind, chunks.length) + documentBody(chunks) + documentFoot(kind);
}

/** The identity of a package from its primary chunk (ours or createrepo_c's); undefined when it lacks one. */
export function primaryIdentity(chunk: string): Omit<PackageChunks, 'primary' | 'filelists' | 'other'> | undefined {
  const text = (re: RegExp) => { const m = re.exec(chunk)?.[1]; return m === undefined ? undefined : xmlUnescape(m); };
  const name = text(/<name>([^<]*)<\/name>/);
  const arch = text(/<arch>([^<]*)<\/arch>/);
  // Attribute text stops at the next `<` as well as `>`: every match attempt is bounded by the next tag.
  const v = /<version\s+([^<>]*)>/.exec(chunk)?.[1]?.replace(/\/$/, '') ?? '';
  const attr = (k: string) => { const m = new RegExp(`\\b${k}="([^"]*)"`).exec(v)?.[1]; return m === undefined ? undefined : xmlUnescape(m); };
  const pkgid = /<checksum\s[^<>]*\bpkgid="YES"[^<>]*>\s*([0-9a-fA-F]+)\s*<\/checksum>/.exec(chunk)?.[1];
  const location = text(/<location\s+(?:xml:base="[^"]*"\s+)?href="([^"]*)"/);
  if (!name || !arch || !pkgid || !location || attr('ver') === undefined) return undefined;
  return { pkgid: pkgid.toLowerCase(), name, arch, epoch: Number(attr('epoch') ?? 0), version: attr('ver')!, release: attr('rel') ?? '', location };
}

/** The pkgid of a filelists or other chunk. */
export const chunkPkgid = (chunk: string): string | undefined => /<package\s+pkgid="([0-9a-fA-F]+)"/.exec(chunk)?.[1]?.toLowerCase();
