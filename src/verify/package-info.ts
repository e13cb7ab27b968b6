/** What a .deb or .rpm contains, read on the host with dpkg-deb / rpm (the real readers). */
import { open } from 'node:fs/promises';
import { MkpkgError } from '../errors.js';
import { run, tail } from './proc.js';

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

/** Tell .deb from .rpm by magic bytes (`!<arch>` vs the RPM lead). */
export async function packageKind(path: string): Promise<PackageKind> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try { head = Buffer.alloc(8); await fh.read(head, 0, 8, 0); } finally { await fh.close(); }
  } catch (e) {
    throw new MkpkgError('E_READ_PACKAGE', `cannot read package ${path}: ${(e as Error).message}`, { hint: 'check the path', cause: e });
  }
  if (head.toString('latin1') === '!<arch>\n') return 'deb';
  if (head.readUInt32BE(0) === 0xedabeedb) return 'rpm';
  throw new MkpkgError('E_READ_PACKAGE', `${path} is neither a .deb nor an .rpm (magic ${head.subarray(0, 4).toString('hex')})`, {
    hint: 'pass a package built by mkpkg deb / mkpkg rpm',
  });
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

/** Read name, version and file list of a .deb or .rpm. */
export async function inspectPackage(path: string): Promise<PackageInfo> {
  const kind = await packageKind(path);
  if (kind === 'deb') {
    const name = (await tool('dpkg-deb', ['--showformat=${Package}', '--show', path], path)).trim();
    const version = (await tool('dpkg-deb', ['--showformat=${Version}', '--show', path], path)).trim();
    const { files, dirs } = parseDebContents(await tool('dpkg-deb', ['-c', path], path));
    return { path, kind, name, version, files, dirs };
  }
  const id = (await tool('rpm', ['-qp', '--qf', '%{NAME}\\n%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n', path], path)).split('\n');
  const listing = await tool('rpm', ['-qp', '--qf', '[%{FILEMODES:perms} %{FILENAMES}\\n]', path], path);
  const files: string[] = [];
  const dirs: string[] = [];
  for (const line of listing.split('\n')) {
    const m = /^(\S)\S*\s(\/.*)$/.exec(line);
    if (!m) continue;
    files.push(m[2]!);
    if (m[1] === 'd') dirs.push(m[2]!);
  }
  return { path, kind, name: id[0]!.trim(), version: (id[1] ?? '').replace(/^0:/, '').trim(), files: files.sort(), dirs: dirs.sort() };
}

/** The systemd service units a package ships (templates `foo@.service` excluded: they need an instance). */
export function serviceUnits(files: readonly string[]): string[] {
  const units = files
    .map((f) => /^\/(?:usr\/)?lib\/systemd\/system\/([^/@]+\.service)$/.exec(f)?.[1])
    .filter((u): u is string => Boolean(u));
  return [...new Set(units)].sort();
}
