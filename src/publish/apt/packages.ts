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

type KeyField = 'name' | 'version' | 'arch' | 'filename' | 'sha256' | 'size';
const KEY_FIELDS: Readonly<Record<string, KeyField>> = { package: 'name', version: 'version', architecture: 'arch', filename: 'filename', sha256: 'sha256', size: 'size' };
/**
 * A key field's line, as apt reads lines: one starts at the stanza's start or after an LF only (a
 * U+2028 or a lone CR inside a value is part of the value, never the start of a field); names are
 * case-insensitive. Greedy to the line's end, so that matching stays linear in the stanza (a lazy
 * value followed by optional blanks backtracked quadratically on a line of blanks: 7 s for 80 kB).
 */
const KEY_LINE = /(?:^|\n)(package|version|architecture|filename|sha256|size):[ \t]*([^\n]*)/gi;

/** `value` without trailing spaces and tabs. */
function trimEndBlanks(value: string): string {
  let end = value.length;
  while (end > 0 && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end--;
  return end === value.length ? value : value.slice(0, end);
}

/** One stanza's key fields; undefined when one is missing, or given twice (which tools would read differently). */
function entryOf(text: string): IndexEntry | undefined {
  const f: Partial<Record<KeyField, string>> = {};
  KEY_LINE.lastIndex = 0;
  // exec, not matchAll: matchAll copies the expression and makes an iterator per stanza (2x slower on a first run).
  for (let m = KEY_LINE.exec(text); m; m = KEY_LINE.exec(text)) {
    const key = KEY_FIELDS[m[1]!.toLowerCase()]!;
    if (f[key] !== undefined) {
      KEY_LINE.lastIndex = 0;
      return undefined;
    }
    f[key] = trimEndBlanks(m[2]!);
  }
  if (!f.name || !f.version || !f.arch || !f.filename || !f.sha256) return undefined;
  return { name: f.name, version: f.version, arch: f.arch, filename: f.filename, sha256: f.sha256.toLowerCase(), size: Number(f.size ?? 0), text };
}

/** The stanzas of an index. Stanzas without Package/Version/Architecture/Filename/SHA256, or with one twice, are counted in `skipped`. */
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
