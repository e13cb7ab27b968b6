/**
 * A workspace's dependency on another workspace as package relations. The npm range decides:
 *
 * - an exact version (`1.2.0`, `=1.2.0`) → exactly the package built from it: `name (= 1.2.0-1)`
 *   (deb, with epoch and revision) / `name = 1.2.0-1` (rpm, `[E:]V-R`);
 * - a range with one comparator set (`^1.2.0`, `~1.2`, `>=1 <3`) → its bounds, each mapped like a
 *   version (`^1.2.0` → `name (>= 1.2.0)` and `name (<< 2.0.0~)`: semver's `<2.0.0-0` excludes
 *   2.0.0's prereleases, and `2.0.0~` sorts before all of them in dpkg and rpm);
 * - a union (`1.x || 2.x`) → its lowest version as the lower bound only;
 * - a range allowing any version (`*`, `x`, `""`, `latest`) or a `file:` path → the version in the
 *   tree as the lower bound (npm linked that one).
 *
 * The workspace's version must satisfy the range (else npm would fetch another copy from the
 * registry): otherwise `E_WORKSPACE_DEPENDENCY`. Relations are written in the Debian syntax mkpkg's
 * config accepts; the resolvers render them for each format.
 */
import semver from 'semver';
import { MkpkgError } from '../errors.js';
import { mapSemver } from '../versions/semver.js';

/** What a dependency needs to know about the workspace it points at, for one format. */
export interface DependencyTarget {
  /** npm name, for messages. */
  npmName: string;
  /** npm version (semver). */
  npmVersion: string;
  /** Package name in this format. */
  packageName: string;
  /** Upstream version in this format (`1.2.0~rc.1`). */
  upstream: string;
  /** Full version: deb `[epoch:]upstream-revision`, rpm `[E:]V-R`. */
  full: string;
}

const DEB_OP: Record<string, string> = { '>=': '>=', '>': '>>', '<': '<<', '<=': '<=' };

/** A comparator's version as a package version; semver's "lowest prerelease" `X-0` becomes `X~`. */
function bound(v: semver.SemVer): string {
  if (v.prerelease.length === 1 && String(v.prerelease[0]) === '0') return `${v.major}.${v.minor}.${v.patch}~`;
  return mapSemver(v.version).upstream;
}

/** The relations (Debian syntax) for `from` depending on `target` with the npm range `spec`. */
export function dependencyRelations(from: string, spec: string, target: DependencyTarget): string[] {
  const name = target.packageName;
  const trimmed = spec.trim();
  const anyVersion = trimmed === '' || trimmed === 'latest' || trimmed.startsWith('file:') || /^[*xX]$/.test(trimmed);
  if (anyVersion) return [`${name} (>= ${target.upstream})`];
  const range = semver.validRange(trimmed) === null ? null : new semver.Range(trimmed);
  if (!range || !semver.satisfies(target.npmVersion, range, { includePrerelease: true })) {
    throw new MkpkgError('E_WORKSPACE_DEPENDENCY', `${from} depends on ${target.npmName}@${JSON.stringify(spec)}, which the workspace ${target.npmName} (version ${target.npmVersion}) does not satisfy`, {
      hint: `change the range in ${from}'s package.json to one that ${target.npmVersion} satisfies (e.g. "^${target.npmVersion}"), or bump ${target.npmName}'s version`,
      details: { workspace: from, dependency: target.npmName, range: spec, version: target.npmVersion },
    });
  }
  const exact = range.set.length === 1 && range.set[0]!.length === 1 && (range.set[0]![0]!.operator === '' || range.set[0]![0]!.operator === '=') && range.set[0]![0]!.value !== '';
  if (exact) return [`${name} (= ${target.full})`];
  if (range.set.length > 1) {
    const min = semver.minVersion(range);
    return min ? [`${name} (>= ${bound(min)})`] : [name];
  }
  const rels = range.set[0]!.filter((c) => c.operator !== '').map((c) => `${name} (${DEB_OP[c.operator]} ${bound(c.semver)})`);
  return rels.length ? rels : [`${name} (>= ${target.upstream})`];
}
