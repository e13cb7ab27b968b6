/**
 * Mapping npm (semver) versions to the one upstream string used as Debian's upstream version
 * and RPM's Version.
 *
 * Decisions:
 * - A prerelease becomes a `~` suffix: `1.2.0-rc.1` → `1.2.0~rc.1`. `~` sorts before the end of
 *   the string in dpkg and rpm, so a prerelease sorts before its release, as in semver.
 * - RPM gets the same `~` form as Debian. `^` is never produced: it needs
 *   rpmlib(CaretInVersions), which rpm < 4.15 (RHEL 8) cannot install. `~` needs
 *   rpmlib(TildeInVersions) (rpm ≥ 4.10), which the RPM writer must declare.
 * - A `-` inside the prerelease (`1.0.0-rc-1`) becomes `+` (`1.0.0~rc+1`): dpkg splits the revision
 *   at the last `-` and RPM forbids `-` in Version. `+` cannot otherwise occur in the mapped string
 *   (build metadata is dropped), so for dpkg the mapping stays one-to-one (`.` would make `x-y` and
 *   `x.y` the same version). rpm ignores `+` as a separator, so there `x-y` and `x.y` tie.
 * - Build metadata (`+build.5`) is dropped with warning `W_VERSION_BUILD_METADATA`: semver ignores
 *   it for ordering, but dpkg would sort `1.0.0+x` after `1.0.0`, and rpm would compare it as more
 *   version segments.
 *
 * Order preservation. For versions whose prerelease identifiers are each numeric (`1`, `10`) or
 * letters only (`alpha`, `RC`) — see {@link isPortableSemver} — the mapped versions order exactly
 * as semver orders the originals, except in two classes, found by
 * {@link rpmOrderDiffersFromSemver} and {@link debianOrderDiffersFromSemver} (./order.ts):
 * - RPM: at the first prerelease identifier where the two versions differ, one identifier is
 *   numeric and the other alphabetic (`1.0.0-alpha.1` vs `1.0.0-alpha.beta`, `1.0.0-1` vs
 *   `1.0.0-rc`). Semver puts the numeric one first, rpm puts it last.
 * - Debian: at the first differing identifier both are alphabetic, one is a proper prefix of the
 *   other, and the version with the shorter one has more identifiers after it
 *   (`1.0.0-alpha.1` vs `1.0.0-alphabeta`): dpkg sorts `.` after letters.
 * Identifiers that mix letters and digits or contain `-` (`beta2`, `rc-1`, `0a`) have no such
 * guarantee (dpkg and rpm compare digit runs numerically, so `beta2 < beta10`, while semver
 * compares them as text; rpm ties `rc1` with `rc.1`), and {@link mapSemver} warns with
 * `W_VERSION_PRERELEASE_ORDER`.
 */
import semver from 'semver';
import { MkpkgError, type Warning } from '../errors.js';

/** The result of {@link mapSemver}. */
export interface MappedVersion {
  /** Debian upstream version and RPM Version, e.g. `1.2.0~rc.1`. */
  upstream: string;
  /** True when the semver version had a prerelease part. */
  prerelease: boolean;
  warnings: Warning[];
}

const PORTABLE_IDENTIFIER = /^(?:0|[1-9][0-9]*|[A-Za-z]+)$/;

/** Parse a semver version strictly or throw `E_VERSION_INVALID` naming `field`. */
export function parseSemver(version: string, field = 'version'): semver.SemVer {
  const parsed = typeof version === 'string' ? semver.parse(version, { loose: false }) : null;
  if (parsed === null) {
    throw new MkpkgError('E_VERSION_INVALID', `${field} ${JSON.stringify(version)} is not a valid semver version`, {
      hint:
        'use MAJOR.MINOR.PATCH, optionally -prerelease, e.g. 1.2.0 or 1.2.0-rc.1; ' +
        'or set an explicit version in mkpkg.config',
      details: { field, value: version },
    });
  }
  return parsed;
}

/**
 * True when every prerelease identifier of `version` is numeric or letters only; for such
 * versions the mapped order is exactly semver's outside the classes described above.
 */
export function isPortableSemver(version: string): boolean {
  return parseSemver(version).prerelease.every((id) => PORTABLE_IDENTIFIER.test(String(id)));
}

/**
 * Map a semver version to the upstream string for Debian (before `-revision`) and RPM Version:
 * `1.2.0-rc.1` → `1.2.0~rc.1`. Throws `E_VERSION_INVALID` (naming `field`) for non-semver input.
 */
export function mapSemver(version: string, field = 'version'): MappedVersion {
  const v = parseSemver(version, field);
  const warnings: Warning[] = [];
  const canonical = v.format();
  const withBuild = v.build.length > 0 ? `${canonical}+${v.build.join('.')}` : canonical;
  if (withBuild !== version) {
    warnings.push({
      code: 'W_VERSION_NORMALIZED',
      message: `${field} ${JSON.stringify(version)} was read as ${JSON.stringify(withBuild)}`,
    });
  }
  if (v.build.length > 0) {
    warnings.push({
      code: 'W_VERSION_BUILD_METADATA',
      message:
        `${field} ${JSON.stringify(version)}: build metadata "+${v.build.join('.')}" was dropped; ` +
        'semver ignores it for ordering, but dpkg and rpm would sort it as part of the version',
    });
  }
  const ids = v.prerelease.map(String);
  const core = `${v.major}.${v.minor}.${v.patch}`;
  if (ids.length === 0) return { upstream: core, prerelease: false, warnings };
  const odd = ids.filter((id) => !PORTABLE_IDENTIFIER.test(id));
  if (odd.length > 0) {
    warnings.push({
      code: 'W_VERSION_PRERELEASE_ORDER',
      message:
        `${field} ${JSON.stringify(version)}: prerelease identifier(s) ${odd.map((s) => JSON.stringify(s)).join(', ')} ` +
        'mix letters with digits or contain "-"; dpkg and rpm may order such versions differently from semver ' +
        '(they compare digit runs as numbers: beta2 < beta10); prefer dot-separated identifiers like beta.2',
    });
  }
  return { upstream: `${core}~${ids.map((id) => id.replaceAll('-', '+')).join('.')}`, prerelease: true, warnings };
}
