/** What a .deb or .rpm contains, read on the host with dpkg-deb / rpm (the real readers). */
import { MkpkgError } from '../errors.js';
import { inspectDeb } from '../formats/deb/reader.js';
import { packageKind } from '../formats/package-file.js';
import { readRpm } from '../formats/rpm/reader.js';
import { run, tail } from './proc.js';

export { packageKind };

/** The package family of a file. */
export type PackageKind = 'deb' | 'rpm';

/** A package's identity and file list (absolute paths, no trailing slash). */
export interface PackageInfo {
  path: string;
  kind: PackageKind;
  name: string;
  version: string;
  /** Every path the package ships, including directories. */
  files: string[];
  /** The subset of {@link files} that are directories. */
  dirs: string[];
}

async function tool(cmd: string, args: string[], pkg: string): Promise<string> {
  const r = await run(cmd, args).catch((e: NodeJS.ErrnoException) => {
    throw new MkpkgError('E_VERIFY_UNAVAILABLE', `${cmd} is needed to read ${pkg} (${e.code ?? e.message})`, {
      hint: cmd === 'rpm' ? 'apt-get install rpm' : 'apt-get install dpkg',
    });
  });
  if (r.code !== 0) throw new MkpkgError('E_READ_PACKAGE', `${cmd} ${args.join(' ')} failed: ${tail(r.stderr, 600)}`, { hint: 'the package is malformed' });
  return r.stdout;
}

/** Parse `dpkg-deb -c` output into absolute paths and directories. */
export function parseDebContents(listing: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const line of listing.split('\n')) {
    const m = /^(\S)\S*\s+\S+\s+\d+\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (!m) continue;
    let name = m[2]!;
    if (m[1] === 'l') name = name.replace(/ -> .*$/, '');
    if (m[1] === 'h') name = name.replace(/ link to .*$/, '');
    const path = name.replace(/^\.?\/*/, '/').replace(/\/+$/, '');
    if (path === '' || path === '/') continue;
    files.push(path);
    if (m[1] === 'd') dirs.push(path);
  }
  return { files: files.sort(), dirs: dirs.sort() };
}

/**
 * Read name, version and file list of a .deb or .rpm. Our own bounded reader checks the file first
 * (type, sizes, control area, data.tar's expansion, headers; READ_LIMITS), so a hostile file ends in
 * E_READ_PACKAGE before dpkg-deb or rpm spend unbounded time on it or it fills the container's disk.
 */
export async function inspectPackage(path: string): Promise<PackageInfo> {
  const kind = await packageKind(path);
  await (kind === 'deb' ? inspectDeb(path) : readRpm(path));
  if (kind === 'deb') {
    const [name = '', version = ''] = (await tool('dpkg-deb', ['--showformat=${Package}\\n${Version}\\n', '--show', path], path)).split('\n');
    const { files, dirs } = parseDebContents(await tool('dpkg-deb', ['-c', path], path));
    return { path, kind, name: name.trim(), version: version.trim(), files, dirs };
  }
  // One rpm run: the name, the [epoch:]version-release, then one line per file.
  const [name = '', evr = '', ...listing] = (await tool('rpm', ['-qp', '--qf', '%{NAME}\\n%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n[%{FILEMODES:perms} %{FILENAMES}\\n]', path], path)).split('\n');
  const files: string[] = [];
  const dirs: string[] = [];
  for (const line of listing) {
    const m = /^(\S)\S*\s(\/.*)$/.exec(line);
    if (!m) continue;
    files.push(m[2]!);
    if (m[1] === 'd') dirs.push(m[2]!);
  }
  return { path, kind, name: name.trim(), version: evr.replace(/^0:/, '').trim(), files: files.sort(), dirs: dirs.sort() };
}

/** The systemd service units a package ships (templates `foo@.service` excluded: they need an instance). */
export function serviceUnits(files: readonly string[]): string[] {
  const units = files
    .map((f) => /^\/(?:usr\/)?lib\/systemd\/system\/([^/@]+\.service)$/.exec(f)?.[1])
    .filter((u): u is string => Boolean(u));
  return [...new Set(units)].sort();
}
