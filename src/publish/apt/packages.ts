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

/** The fields an entry is made of, by lower-cased name. */
const KEY_FIELDS = new Set(['package', 'version', 'architecture', 'filename', 'sha256', 'size']);
const KEY_LENGTHS = new Set([...KEY_FIELDS].map((k) => k.length));

const isBlank = (text: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) { const c = text.charCodeAt(i); if (c !== 0x20 && c !== 0x09) return false; }
  return true;
};
const trimSpaces = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');

/** An entry from one stanza's key fields; undefined when it lacks one (such a stanza is not usable). */
function entryOf(f: Record<string, string>, text: string): IndexEntry | undefined {
  if (!f.package || !f.version || !f.architecture || !f.filename || !f.sha256) return undefined;
  return { name: f.package, version: f.version, arch: f.architecture, filename: f.filename, sha256: f.sha256.toLowerCase(), size: Number(f.size ?? 0), text };
}

/**
 * The stanzas of an index, in one pass over its lines (an index of thousands of packages is read on
 * every publish): stanzas are separated by blank lines, field names are case-insensitive, the first
 * occurrence of a field counts. Stanzas without Package/Version/Architecture/Filename/SHA256 are counted in `skipped`.
 */
export function parsePackages(input: string): { entries: IndexEntry[]; skipped: number } {
  const text = input.includes('\r') ? input.replace(/\r\n/g, '\n') : input;
  const entries: IndexEntry[] = [];
  let skipped = 0;
  let start = -1;
  let last = -1;
  let fields: Record<string, string> = {};
  const close = () => {
    if (start < 0) return;
    const e = entryOf(fields, text.slice(start, last));
    if (e) entries.push(e);
    else skipped++;
    start = -1;
    fields = {};
  };
  for (let pos = 0; pos <= text.length;) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (isBlank(text, pos, end)) close();
    else {
      if (start < 0) start = pos;
      last = end;
      const first = text.charCodeAt(pos);
      const colon = first === 0x20 || first === 0x09 ? -1 : text.indexOf(':', pos);
      if (colon > pos && colon < end && KEY_LENGTHS.has(colon - pos)) {
        const name = text.slice(pos, colon).toLowerCase();
        if (KEY_FIELDS.has(name)) fields[name] ??= trimSpaces(text.slice(colon + 1, end));
      }
    }
    pos = end + 1;
  }
  close();
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
