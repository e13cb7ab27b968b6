/**
 * `Packages` indexes: one stanza per package, read back from an existing index (kept byte for byte)
 * or made from a .deb's control file plus the pool fields. Sorted by name, version (dpkg order),
 * architecture and file name, so the same packages always give the same bytes.
 */
import { compareDebianVersions } from '../../versions/debian.js';
import type { Digests } from '../digests.js';

/** One stanza of a Packages index. */
export interface IndexEntry {
  name: string;
  version: string;
  arch: string;
  /** `Filename:`, relative to the repository root. */
  filename: string;
  sha256: string;
  size: number;
  /** The stanza, without its final newline. */
  text: string;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  return byteOrder(a.name, b.name) || compareDebianVersions(a.version, b.version) || byteOrder(a.arch, b.arch) || byteOrder(a.filename, b.filename);
}

const KEY_FIELDS = /^(Package|Version|Architecture|Filename|SHA256|Size):[ \t]*(.*?)[ \t]*$/gim;

/** Parse one stanza's key fields; undefined when it lacks one (such a stanza is not usable). */
function entryOf(text: string): IndexEntry | undefined {
  const f: Record<string, string> = {};
  for (const m of text.matchAll(KEY_FIELDS)) f[m[1]!.toLowerCase()] ??= m[2]!;
  if (!f.package || !f.version || !f.architecture || !f.filename || !f.sha256) return undefined;
  return { name: f.package, version: f.version, arch: f.architecture, filename: f.filename, sha256: f.sha256.toLowerCase(), size: Number(f.size ?? 0), text };
}

/** The stanzas of an index. Stanzas without Package/Version/Architecture/Filename/SHA256 are returned in `skipped`. */
export function parsePackages(text: string): { entries: IndexEntry[]; skipped: number } {
  const entries: IndexEntry[] = [];
  let skipped = 0;
  for (const chunk of text.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const stanza = chunk.replace(/^\n+|\n+$/g, '');
    if (!stanza) continue;
    const e = entryOf(stanza);
    if (e) entries.push(e);
    else skipped++;
  }
  return { entries, skipped };
}

/** The index text: stanzas in order, separated by one blank line. */
export function renderPackages(entries: readonly IndexEntry[]): string {
  return [...entries].sort(compareEntries).map((e) => `${e.text}\n`).join('\n');
}

const INDEX_FIELDS = /^(Filename|Size|MD5sum|SHA1|SHA256|SHA512|Description-md5):/i;

/** A new stanza: the control fields (minus any index fields a control file should not carry), then the pool fields. */
export function stanzaOf(controlText: string, filename: string, d: Digests): string {
  const kept: string[] = [];
  let skipping = false;
  for (const line of controlText.replace(/\n+$/, '').split('\n')) {
    if (/^[ \t]/.test(line)) { if (!skipping) kept.push(line); continue; }
    skipping = INDEX_FIELDS.test(line);
    if (!skipping) kept.push(line);
  }
  return [...kept, `Filename: ${filename}`, `Size: ${d.size}`, `MD5sum: ${d.md5}`, `SHA1: ${d.sha1}`, `SHA256: ${d.sha256}`, `SHA512: ${d.sha512}`].join('\n');
}
