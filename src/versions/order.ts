/**
 * Where the order of mapped versions (see ./semver.ts) departs from semver's order.
 * Both predicates are exact for versions accepted by `isPortableSemver` (every prerelease
 * identifier numeric or letters only); for other versions they report only their named class.
 */
import { parseSemver } from './semver.js';

const NUMERIC = /^[0-9]+$/;

interface FirstDifference {
  x: string;
  y: string;
  /** Identifiers after the differing one, in a and b. */
  afterA: number;
  afterB: number;
}

/** The first prerelease identifier where two versions with equal cores differ, if any. */
function firstDifference(a: string, b: string): FirstDifference | undefined {
  const va = parseSemver(a);
  const vb = parseSemver(b);
  if (va.major !== vb.major || va.minor !== vb.minor || va.patch !== vb.patch) return undefined;
  const pa = va.prerelease.map(String);
  const pb = vb.prerelease.map(String);
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    if (pa[i] !== pb[i]) return { x: pa[i]!, y: pb[i]!, afterA: pa.length - i - 1, afterB: pb.length - i - 1 };
  }
  return undefined;
}

/**
 * True when rpm orders the mapped versions of `a` and `b` opposite to semver because, at the
 * first prerelease identifier where they differ, one is numeric and the other is not
 * (`1.0.0-alpha.1` vs `1.0.0-alpha.beta`): semver sorts numeric identifiers first, rpm's
 * `rpmvercmp` sorts a digit segment after a letter segment.
 */
export function rpmOrderDiffersFromSemver(a: string, b: string): boolean {
  const d = firstDifference(a, b);
  return d !== undefined && NUMERIC.test(d.x) !== NUMERIC.test(d.y);
}

/**
 * True when dpkg orders the mapped versions of `a` and `b` opposite to semver because, at the
 * first prerelease identifier where they differ, both are non-numeric, one is a proper prefix of
 * the other, and the version with the shorter one continues with more identifiers
 * (`1.0.0-alpha.1` vs `1.0.0-alphabeta`): semver sorts the shorter identifier first, dpkg
 * compares the `.` that follows it with a letter and sorts `.` after letters.
 */
export function debianOrderDiffersFromSemver(a: string, b: string): boolean {
  const d = firstDifference(a, b);
  if (d === undefined || NUMERIC.test(d.x) || NUMERIC.test(d.y)) return false;
  if (d.x.length < d.y.length) return d.y.startsWith(d.x) && d.afterA > 0;
  return d.x.startsWith(d.y) && d.afterB > 0;
}
