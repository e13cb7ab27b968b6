/**
 * The `Release` file of a suite: what it lists (fields, architectures, components, checksums of
 * every index) rendered in the order Debian's archive uses, and parsed back for the next publish.
 */
import { parseControl } from '../../formats/deb/reader.js';
import type { Digests } from '../digests.js';

/** A file listed in Release: its path relative to `dists/<suite>/`, its size and whatever digests are known. */
export interface ReleaseFile extends Partial<Omit<Digests, 'size'>> {
  path: string;
  size: number;
}

/** Everything Release says. Every string here has been checked as a one-line literal (../literal.ts). */
export interface ReleaseInfo {
  origin?: string;
  label?: string;
  suite: string;
  codename: string;
  version?: string;
  description?: string;
  date: Date;
  validUntil?: Date;
  architectures: readonly string[];
  components: readonly string[];
  files: readonly ReleaseFile[];
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** RFC 1123 date in UTC, the form apt requires: `Sat, 07 Mar 2026 12:00:00 UTC`. */
export function rfc1123(date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC');
}

const BLOCKS = [['MD5Sum', 'md5'], ['SHA1', 'sha1'], ['SHA256', 'sha256'], ['SHA512', 'sha512']] as const;

/** The Release text (unsigned). Checksum blocks list every file that has that digest, sorted by path. */
export function renderRelease(r: ReleaseInfo): string {
  const lines: string[] = [];
  const field = (name: string, value: string | undefined) => { if (value) lines.push(`${name}: ${value}`); };
  field('Origin', r.origin);
  field('Label', r.label);
  field('Suite', r.suite);
  field('Version', r.version);
  field('Codename', r.codename);
  field('Date', rfc1123(r.date));
  field('Valid-Until', r.validUntil && rfc1123(r.validUntil));
  field('Acquire-By-Hash', 'yes');
  field('Architectures', [...r.architectures].sort(byteOrder).join(' '));
  field('Components', [...r.components].sort(byteOrder).join(' '));
  field('Description', r.description);
  const files = [...r.files].sort((a, b) => byteOrder(a.path, b.path));
  for (const [name, key] of BLOCKS) {
    const listed = files.filter((f) => f[key]);
    if (!listed.length) continue;
    lines.push(`${name}:`);
    for (const f of listed) lines.push(` ${f[key]} ${String(f.size).padStart(8)} ${f.path}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A parsed Release: its fields and the files its checksum blocks list. */
export interface ParsedRelease {
  fields: Record<string, string>;
  files: Map<string, ReleaseFile>;
  architectures: string[];
  components: string[];
}

/** Parse a Release file (field names as written; checksum blocks merged per path). */
export function parseRelease(text: string): ParsedRelease {
  const fields = parseControl(text.replace(/\r\n/g, '\n'));
  const files = new Map<string, ReleaseFile>();
  for (const [name, key] of BLOCKS) {
    const block = Object.entries(fields).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (!block) continue;
    for (const line of block.split('\n')) {
      const m = /^\s*([0-9a-fA-F]+)\s+([0-9]+)\s+(\S+)\s*$/.exec(line);
      if (!m) continue;
      const f = files.get(m[3]!) ?? { path: m[3]!, size: Number(m[2]) };
      f[key] = m[1]!.toLowerCase();
      files.set(f.path, f);
    }
  }
  const words = (k: string) => (fields[k] ?? '').split(/\s+/).filter(Boolean);
  return { fields, files, architectures: words('Architectures'), components: words('Components') };
}

/** The Release text with its Date and Valid-Until lines removed: equal texts mean nothing changed. */
export const releaseBody = (text: string): string => text.replace(/^(Date|Valid-Until): .*\n/gm, '');
