/**
 * The upstream version (Debian upstream part / RPM Version) and the release.
 *
 * Rule: a semver version is mapped with `mapSemver` (`1.2.0-rc.1` → `1.2.0~rc.1`). A version that
 * is not semver is accepted verbatim only when it was set explicitly in mkpkg config, an override
 * or on the command line, and is valid for the target format (warning `W_VERSION_NOT_SEMVER`);
 * package.json's `version` must be semver (npm requires it), otherwise `E_VERSION_INVALID`.
 */
import semver from 'semver';
import type { Warning } from '../errors.js';
import { mapSemver } from '../versions/semver.js';
import { formatDebianVersion } from '../versions/debian.js';
import { validateRpmVersionPart } from '../versions/rpm.js';

/** The release when none is configured. */
export const DEFAULT_RELEASE = '1';

/** Map a configured version to the upstream version string for `format`. */
export function resolveUpstream(raw: string, opts: { explicit: boolean; format: 'deb' | 'rpm'; field: string }): { upstream: string; warnings: Warning[] } {
  if (!opts.explicit || semver.valid(raw) !== null) {
    const m = mapSemver(raw, opts.field);
    return { upstream: m.upstream, warnings: m.warnings };
  }
  if (opts.format === 'deb') formatDebianVersion({ upstream: raw, revision: DEFAULT_RELEASE }, opts.field);
  else validateRpmVersionPart(raw, opts.field);
  return {
    upstream: raw,
    warnings: [{ code: 'W_VERSION_NOT_SEMVER', message: `${opts.field} ${JSON.stringify(raw)} is not semver; used verbatim as the ${opts.format === 'deb' ? 'Debian upstream version' : 'RPM Version'}` }],
  };
}

/** The release as a string (default {@link DEFAULT_RELEASE}); validation is per format by the caller. */
export function releaseString(release: string | number | undefined): string {
  return release === undefined ? DEFAULT_RELEASE : String(release);
}
