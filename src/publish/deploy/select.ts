/** Which of the given package files a host gets: one per package name, of its family and architecture. */
import { normalizeArch } from '../../config/arch.js';
import { MkpkgError } from '../../errors.js';
import type { FormatName } from '../../formats/types.js';
import type { PackageFile } from '../package-file.js';

const INDEPENDENT = new Set(['all', 'noarch']);

/** The Debian spelling of an architecture, or the input when it is not one mkpkg knows. */
function canonicalArch(arch: string): string {
  try {
    return normalizeArch(arch).deb;
  } catch {
    return arch;
  }
}

/** True when a package of architecture `pkgArch` runs on a host of architecture `hostArch`. */
export function archFits(pkgArch: string, hostArch: string): boolean {
  return INDEPENDENT.has(pkgArch) || canonicalArch(pkgArch) === canonicalArch(hostArch);
}

/** Refuse two files for the same package, format and architecture (which one would be meant?). */
export function checkPackageSet(packages: readonly PackageFile[], what = 'packages'): void {
  const seen = new Map<string, string>();
  for (const p of packages) {
    const key = `${p.name}/${p.format}/${canonicalArch(p.arch)}`;
    const other = seen.get(key);
    if (other) {
      throw new MkpkgError('E_DEPLOY_INVALID', `${what}: ${other} and ${p.path} are both ${p.name} for ${p.format} ${p.arch}`, {
        hint: 'give one file per package, format and architecture', details: { files: [other, p.path] },
      });
    }
    seen.set(key, p.path);
  }
}

/** The files a host of `family`/`arch` gets; E_DEPLOY_WRONG_PACKAGE naming what was given when one is missing. */
export function pickPackages(packages: readonly PackageFile[], host: { label: string; family: FormatName; arch: string }): PackageFile[] {
  const names = [...new Set(packages.map((p) => p.name))].sort();
  return names.map((name) => {
    const mine = packages.filter((p) => p.name === name);
    const fitting = mine.filter((p) => p.format === host.family && archFits(p.arch, host.arch));
    const exact = fitting.find((p) => !INDEPENDENT.has(p.arch));
    const pick = exact ?? fitting[0];
    if (pick) return pick;
    const given = mine.map((p) => `${p.file} (${p.format} ${p.arch})`).join(', ');
    const sameFamily = mine.some((p) => p.format === host.family);
    return ((): never => {
      throw new MkpkgError('E_DEPLOY_WRONG_PACKAGE', `${host.label}: the host is ${host.family === 'deb' ? 'dpkg' : 'rpm'} ${host.arch}, and no ${name} package given fits it: ${given}`, {
        hint: sameFamily
          ? `build ${name} for the host's architecture (--arch ${host.arch}) or as architecture-independent, and pass that file`
          : `pass the .${host.family} of ${name} too (mkpkg build --formats deb,rpm), or leave this host out`,
        details: { host: host.label, family: host.family, arch: host.arch, given: mine.map((p) => p.path) },
      });
    })();
  });
}
