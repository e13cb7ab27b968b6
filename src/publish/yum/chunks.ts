/**
 * The per-package parts of repodata, as createrepo_c writes them: the `<package>` element of
 * primary.xml (metadata, dependencies, the files dnf needs to resolve paths), filelists.xml (every
 * file) and other.xml (changelog).
 */
import { RPMSENSE, type RpmRelationKind } from '../../config/resolved.js';
import type { InspectedDependency } from '../../formats/rpm/reader.js';
import { tagNumber, tagString, type RpmInput } from './rpm-input.js';
import { leaf, parent, serialize, type Attrs, type XmlElement } from './xml.js';

/** The three chunks of one package, and what identifies it. */
export interface PackageChunks {
  pkgid: string;
  name: string;
  arch: string;
  epoch: number;
  version: string;
  release: string;
  location: string;
  primary: string;
  filelists: string;
  other: string;
}

const FLAGS: Record<number, string> = { [RPMSENSE.EQUAL]: 'EQ', [RPMSENSE.LESS]: 'LT', [RPMSENSE.GREATER]: 'GT', [RPMSENSE.LESS | RPMSENSE.EQUAL]: 'LE', [RPMSENSE.GREATER | RPMSENSE.EQUAL]: 'GE' };
/** The order createrepo_c writes the relations in. */
const RELATION_ORDER: readonly RpmRelationKind[] = ['provides', 'requires', 'conflicts', 'obsoletes', 'suggests', 'enhances', 'recommends', 'supplements'];
const PRE = RPMSENSE.PREREQ | RPMSENSE.SCRIPT_PRE | RPMSENSE.SCRIPT_POST;
/** createrepo_c lists in primary.xml only the files dnf most often needs to resolve: /etc, bin/ directories, sendmail. */
const PRIMARY_FILE = (p: string) => p.startsWith('/etc/') || p.includes('bin/') || p === '/usr/lib/sendmail';

/** `[E:]V[-R]` → entry attributes. */
function evrAttrs(v: string): Attrs {
  if (!v) return {};
  const m = /^(?:([0-9]+):)?(.*)$/.exec(v)!;
  const dash = m[2]!.lastIndexOf('-');
  return { epoch: m[1] ?? '0', ver: dash >= 0 ? m[2]!.slice(0, dash) : m[2], rel: dash >= 0 ? m[2]!.slice(dash + 1) : undefined };
}

function entry(d: InspectedDependency, withPre: boolean): XmlElement {
  const op = FLAGS[d.flags & (RPMSENSE.LESS | RPMSENSE.GREATER | RPMSENSE.EQUAL)];
  return leaf('rpm:entry', { name: d.name, ...(op && d.version ? { flags: op, ...evrAttrs(d.version) } : {}), pre: withPre && d.flags & PRE ? '1' : undefined });
}

const versionOf = (p: RpmInput) => leaf('version', { epoch: p.epoch, ver: p.version, rel: p.release });

/** The three chunks of `p`, published with file time `fileTime` (seconds). */
export function packageChunks(p: RpmInput, fileTime: number): PackageChunks {
  const r = p.rpm;
  const files = [...r.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const fileEl = (f: (typeof files)[number]) => leaf('file', { type: f.type === 'dir' ? 'dir' : f.flags.includes('ghost') ? 'ghost' : undefined }, f.path);
  const own = new Set(files.map((f) => f.path));
  const relations: XmlElement[] = [];
  for (const kind of RELATION_ORDER) {
    const seen = new Set<string>();
    const list = r[kind].filter((d) => {
      if (kind === 'requires' && (d.name.startsWith('rpmlib(') || own.has(d.name))) return false;
      const id = `${d.name} ${d.flags} ${d.version}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    if (list.length) relations.push(parent(`rpm:${kind}`, undefined, list.map((d) => entry(d, kind === 'requires'))));
  }
  const format = parent('format', undefined, [
    leaf('rpm:license', undefined, tagString(r, 'license') ?? ''),
    leaf('rpm:vendor', undefined, tagString(r, 'vendor') ?? ''),
    leaf('rpm:group', undefined, tagString(r, 'group') ?? ''),
    leaf('rpm:buildhost', undefined, tagString(r, 'buildhost') ?? ''),
    leaf('rpm:sourcerpm', undefined, tagString(r, 'sourcerpm') ?? ''),
    leaf('rpm:header-range', { start: r.headerStart, end: r.payloadOffset }),
    ...relations,
    ...files.filter((f) => PRIMARY_FILE(f.path)).map(fileEl),
  ]);
  const primary = serialize(parent('package', { type: 'rpm' }, [
    leaf('name', undefined, p.name),
    leaf('arch', undefined, p.arch),
    versionOf(p),
    leaf('checksum', { type: 'sha256', pkgid: 'YES' }, p.sha256),
    leaf('summary', undefined, tagString(r, 'summary') ?? ''),
    leaf('description', undefined, tagString(r, 'description') ?? ''),
    leaf('packager', undefined, tagString(r, 'packager') ?? ''),
    leaf('url', undefined, tagString(r, 'url') ?? ''),
    leaf('time', { file: fileTime, build: tagNumber(r, 'buildtime') ?? 0 }),
    leaf('size', { package: p.size, installed: tagNumber(r, 'longsize') ?? tagNumber(r, 'size') ?? 0, archive: r.signature.payloadSize ?? 0 }),
    leaf('location', { href: p.location }),
    format,
  ]));
  const ident = { pkgid: p.sha256, name: p.name, arch: p.arch };
  const filelists = serialize(parent('package', ident, [versionOf(p), ...files.map(fileEl)]));
  const other = serialize(parent('package', ident, [versionOf(p), ...changelog(p)]));
  return { pkgid: p.sha256, name: p.name, arch: p.arch, epoch: p.epoch, version: p.version, release: p.release, location: p.location, primary, filelists, other };
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v === undefined ? [] : [v as T]);

/** The newest 10 changelog entries (createrepo_c's default limit), oldest first. */
function changelog(p: RpmInput): XmlElement[] {
  const times = list<number>(p.rpm.tags.changelogtime);
  const names = list<string>(p.rpm.tags.changelogname);
  const texts = list<string>(p.rpm.tags.changelogtext);
  return times.slice(0, 10).map((t, i) => leaf('changelog', { author: names[i] ?? '', date: Number(t) }, texts[i] ?? '')).reverse();
}
