/**
 * RPM versions: the `rpmvercmp` segment comparison, epoch:version-release ordering, and the
 * character rules rpmbuild applies to Version and Release.
 */
import { MkpkgError } from '../errors.js';

/** An RPM epoch/version/release triple. A missing epoch counts as 0. */
export interface RpmEVR {
  epoch?: number;
  version: string;
  release?: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/**
 * Compare two version (or release) strings like rpm's `rpmvercmp`: the strings are split into
 * maximal letter and digit segments, everything else separates them and is ignored; `~` sorts
 * before anything (even the end of the string); `^` sorts after the end of the string but before
 * any further segment; a digit segment beats a letter segment; digit segments compare
 * numerically (leading zeros dropped), letter segments by ASCII; when all segments tie, the
 * string with segments left over is newer.
 */
export function compareRpmVersions(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;

    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a[i]);
    const inSegment = numeric ? isDigit : isAlpha;
    let ie = i;
    let je = j;
    while (ie < a.length && inSegment(a[ie])) ie++;
    while (je < b.length && inSegment(b[je])) je++;
    if (je === j) return numeric ? 1 : -1;

    let x = a.slice(i, ie);
    let y = b.slice(j, je);
    if (numeric) {
      x = x.replace(/^0+/, '');
      y = y.replace(/^0+/, '');
      if (x.length !== y.length) return x.length > y.length ? 1 : -1;
    }
    if (x !== y) return x < y ? -1 : 1;
    i = ie;
    j = je;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/**
 * Compare two epoch/version/release triples the way rpm orders packages: epoch numerically,
 * then version, then release, each with {@link compareRpmVersions}. A missing release compares
 * like an empty one (older than any release), as `rpm.vercmp` does in rpm 4.18.
 */
export function compareEVR(a: RpmEVR, b: RpmEVR): -1 | 0 | 1 {
  const ea = a.epoch ?? 0;
  const eb = b.epoch ?? 0;
  if (ea !== eb) return ea < eb ? -1 : 1;
  return compareRpmVersions(a.version, b.version) || compareRpmVersions(a.release ?? '', b.release ?? '');
}

/**
 * Parse an `[epoch:]version[-release]` string as rpm does (epoch: leading digits before `:`;
 * release: after the last `-`), validating each part. Throws `E_VERSION_INVALID` naming `field`.
 */
export function parseEVR(s: string, field = 'version'): RpmEVR {
  const m = /^(?:([0-9]*):)?(.*)$/s.exec(s)!;
  const epoch = m[1] === undefined ? undefined : m[1] === '' ? 0 : Number(m[1]);
  if (epoch !== undefined && epoch > 2 ** 32 - 1) {
    throw new MkpkgError('E_VERSION_INVALID', `${field} ${JSON.stringify(s)} has an epoch larger than 4294967295`, {
      hint: 'an RPM epoch is an unsigned 32-bit integer; keep it small (0, 1, 2, …)',
      details: { field, value: s },
    });
  }
  const rest = m[2]!;
  const dash = rest.lastIndexOf('-');
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  const release = dash >= 0 ? rest.slice(dash + 1) : undefined;
  validateRpmVersionPart(version, `${field} (version part of ${JSON.stringify(s)})`);
  if (release !== undefined) validateRpmVersionPart(release, `${field} (release part of ${JSON.stringify(s)})`);
  return { ...(epoch === undefined ? {} : { epoch }), version, ...(release === undefined ? {} : { release }) };
}

/** Format an EVR as `[epoch:]version[-release]`; the epoch is written when given. */
export function formatEVR(v: RpmEVR): string {
  return `${v.epoch === undefined ? '' : `${v.epoch}:`}${v.version}${v.release === undefined ? '' : `-${v.release}`}`;
}

/**
 * Check a Version or Release value the way rpmbuild does: non-empty, only ASCII letters,
 * digits and `. _ + ~ ^`, and no `..`. `-` is rejected (it separates version from release),
 * as is whitespace. Throws `E_VERSION_INVALID` naming `field` and the value.
 * Note that `~` needs rpmlib(TildeInVersions) (rpm ≥ 4.10) and `^` needs
 * rpmlib(CaretInVersions) (rpm ≥ 4.15).
 */
export function validateRpmVersionPart(value: string, field: string): void {
  const fail = (problem: string): never => {
    throw new MkpkgError('E_VERSION_INVALID', `${field} ${JSON.stringify(value)} is not a valid RPM version part: ${problem}`, {
      hint: 'RPM Version and Release values may contain only ASCII letters, digits and . _ + ~ ^ (no "-", no spaces, no ".."); the release goes in its own Release field',
      details: { field, value, problem },
    });
  };
  if (value.length === 0) fail('it is empty');
  const bad = [...value].find((c) => !isAlnum(c) && !'._+~^'.includes(c));
  if (bad !== undefined) {
    if (bad === '-') fail('it contains "-", which separates version from release');
    if (/\s/.test(bad)) fail('it contains whitespace');
    fail(`it contains the character ${JSON.stringify(bad)}`);
  }
  if (value.includes('..')) fail('it contains ".."');
}
