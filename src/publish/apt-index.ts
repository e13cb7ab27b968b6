/**
 * The pure core of an apt repository: pool paths, `Packages` stanzas and indexes, the `Release`
 * file. Everything is sorted, so the same pool always gives the same bytes.
 */
import { compareDebianVersions } from '../versions/index.js';
import type { Digests } from './digests.js';

/** One .deb in the pool, with what the indexes need to know about it. */
export interface PoolPackage {
  component: string;
  /** Path relative to the repository root, with `/` separators (the stanza's `Filename`). */
  filename: string;
  /** The control file's text exactly as in the package. */
  controlText: string;
  /** Parsed control fields (at least Package, Version, Architecture). */
  fields: Record<string, string>;
  digests: Digests;
}

/** A file listed in `Release`: path relative to `dists/<suite>/`. */
export interface IndexFile {
  path: string;
  digests: Digests;
}

/** Everything `Release` says. */
export interface ReleaseInput {
  origin?: string;
  label?: string;
  suite: string;
  codename: string;
  version?: string;
  description?: string;
  date: Date;
  architectures: readonly string[];
  components: readonly string[];
  files: readonly IndexFile[];
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Debian's pool directory for a package: `pool/<component>/<h|libh>/<name>`. */
export function poolDir(component: string, name: string): string {
  const prefix = name.startsWith('lib') && name.length > 3 ? name.slice(0, 4) : name.slice(0, 1);
  return `pool/${component}/${prefix}/${name}`;
}

/** Sort by package name, then version (Debian order), architecture and file name. */
export function comparePoolPackages(a: PoolPackage, b: PoolPackage): number {
  return byteOrder(a.fields.Package ?? '', b.fields.Package ?? '')
    || compareDebianVersions(a.fields.Version ?? '0', b.fields.Version ?? '0')
    || byteOrder(a.fields.Architecture ?? '', b.fields.Architecture ?? '')
    || byteOrder(a.filename, b.filename);
}

const INDEX_FIELDS = /^(Filename|Size|MD5sum|SHA1|SHA256|SHA512):/i;

/** One `Packages` stanza: the control fields, then Filename, Size, MD5sum, SHA1, SHA256. */
export function packageStanza(p: PoolPackage): string {
  const control = p.controlText.replace(/\r\n/g, '\n').trimEnd().split('\n');
  // A control file never carries index fields; drop any so they cannot contradict the real ones.
  const kept: string[] = [];
  let skipping = false;
  for (const line of control) {
    if (/^\s/.test(line)) { if (!skipping) kept.push(line); continue; }
    skipping = INDEX_FIELDS.test(line);
    if (!skipping) kept.push(line);
  }
  const d = p.digests;
  return [...kept, `Filename: ${p.filename}`, `Size: ${d.size}`, `MD5sum: ${d.md5}`, `SHA1: ${d.sha1}`, `SHA256: ${d.sha256}`].join('\n') + '\n';
}

/**
 * The `Packages` index of one component and architecture: the packages built for `arch`, plus
 * every `Architecture: all` package (Debian lists those in each `binary-<arch>`).
 */
export function packagesIndex(pkgs: readonly PoolPackage[], component: string, arch: string): string {
  return pkgs
    .filter((p) => p.component === component && (p.fields.Architecture === arch || p.fields.Architecture === 'all'))
    .sort(comparePoolPackages)
    .map(packageStanza)
    .join('\n');
}

/** RFC 1123 date in UTC, the form apt requires: `Sat, 07 Mar 2026 12:00:00 UTC`. */
export function rfc1123(date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC');
}

/** The `Release` file (unsigned). Checksum blocks list every index file, sorted by path. */
export function releaseText(r: ReleaseInput): string {
  const lines: string[] = [];
  const field = (name: string, value: string | undefined) => { if (value !== undefined && value !== '') lines.push(`${name}: ${value}`); };
  field('Origin', r.origin);
  field('Label', r.label);
  field('Suite', r.suite);
  field('Codename', r.codename);
  field('Version', r.version);
  field('Date', rfc1123(r.date));
  field('Architectures', [...r.architectures].sort(byteOrder).join(' '));
  field('Components', [...r.components].sort(byteOrder).join(' '));
  field('Description', r.description);
  const files = [...r.files].sort((a, b) => byteOrder(a.path, b.path));
  for (const [name, key] of [['MD5Sum', 'md5'], ['SHA1', 'sha1'], ['SHA256', 'sha256']] as const) {
    lines.push(`${name}:`);
    for (const f of files) lines.push(` ${f.digests[key]} ${String(f.digests.size).padStart(8)} ${f.path}`);
  }
  return `${lines.join('\n')}\n`;
}
