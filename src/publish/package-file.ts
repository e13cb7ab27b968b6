/**
 * What the deploy and notify outputs need to know about a finished .deb or .rpm, read with
 * mkpkg's own format readers (no dpkg-deb or rpm needed on the machine that deploys).
 */
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MkpkgError } from '../errors.js';
import { inspectDeb, readDebDataFile } from '../formats/deb/reader.js';
import { readRpm } from '../formats/rpm/reader.js';
import type { FormatName } from '../formats/types.js';
import { packageKind, serviceUnits } from '../verify/package-info.js';
import { digestFile } from './digests.js';

/** A package file and the facts read from it. */
export interface PackageFile {
  path: string;
  /** The file name (also the name it gets on a host). */
  file: string;
  format: FormatName;
  name: string;
  /** Debian `[epoch:]upstream-revision`, RPM `[epoch:]version-release`. */
  version: string;
  /** As the format spells it: `amd64`/`all`, `x86_64`/`noarch`. */
  arch: string;
  size: number;
  sha256: string;
  /** systemd service units the package ships (`foo.service`; templates excluded). */
  services: string[];
}

/** One changelog entry of a package. */
export interface ChangelogEntry {
  version: string;
  /** Change lines without their bullets. */
  changes: string[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~:-]*$/;

/** Read a package file (format by its magic bytes). E_READ_PACKAGE when it is neither. */
export async function readPackageFile(path: string): Promise<PackageFile> {
  const format = await packageKind(path);
  const digests = await digestFile(path);
  const file = basename(path);
  let info: Omit<PackageFile, 'path' | 'file' | 'format' | 'size' | 'sha256'>;
  if (format === 'deb') {
    const d = await inspectDeb(path);
    info = { name: d.control.Package ?? '', version: d.control.Version ?? '', arch: d.control.Architecture ?? '', services: serviceUnits(d.files.map((f) => f.path)) };
  } else {
    const r = await readRpm(path);
    const t = r.tags;
    const epoch = typeof t.epoch === 'number' ? `${t.epoch}:` : '';
    info = { name: String(t.name ?? ''), version: `${epoch}${String(t.version ?? '')}-${String(t.release ?? '')}`, arch: String(t.arch ?? ''), services: serviceUnits(r.files.map((f) => f.path)) };
  }
  for (const [field, value] of [['name', info.name], ['version', info.version], ['architecture', info.arch]] as const) {
    if (!SAFE_NAME.test(value)) {
      throw new MkpkgError('E_READ_PACKAGE', `${path}: the package's ${field} ${JSON.stringify(value)} is missing or not a plain name`, { hint: 'deploy packages built by mkpkg (or dpkg-deb / rpmbuild) with valid metadata' });
    }
  }
  return { path, file, format, size: digests.size, sha256: digests.sha256, ...info };
}

/** `name (version) dist; urgency=…` headers and `  * change` lines of a Debian changelog. */
export function parseDebianChangelog(text: string): ChangelogEntry[] {
  const out: ChangelogEntry[] = [];
  for (const line of text.split('\n')) {
    const head = /^\S+ \(([^)]+)\)/.exec(line);
    if (head) { out.push({ version: head[1]!, changes: [] }); continue; }
    const item = /^\s+[*+-]\s+(.*)$/.exec(line);
    if (item && out.length) out[out.length - 1]!.changes.push(item[1]!.trim());
    else if (/^\s{4,}\S/.test(line) && out.at(-1)?.changes.length) {
      const c = out.at(-1)!.changes;
      c[c.length - 1] += ` ${line.trim()}`;
    }
  }
  return out;
}

/** The changelog entries a package carries, newest first. */
export async function readChangelog(pkg: PackageFile): Promise<ChangelogEntry[]> {
  if (pkg.format === 'deb') {
    for (const f of [`/usr/share/doc/${pkg.name}/changelog.Debian.gz`, `/usr/share/doc/${pkg.name}/changelog.gz`]) {
      const gz = await readDebDataFile(pkg.path, f);
      if (gz) return parseDebianChangelog(gunzipSync(gz).toString('utf8'));
    }
    return [];
  }
  const t = (await readRpm(pkg.path)).tags;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
  const names = list(t.changelogname);
  return list(t.changelogtext).map((text, i) => ({
    // "Packager <mail> - 1.2.0-1": the version is the last word.
    version: /\s-\s*(\S+)\s*$/.exec(names[i] ?? '')?.[1] ?? '',
    changes: text.split('\n').map((l) => l.replace(/^\s*[-*]\s*/, '').trim()).filter(Boolean),
  }));
}
