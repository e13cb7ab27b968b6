/**
 * Debian versions: `[epoch:]upstream[-revision]` (Debian Policy §5.6.12, deb-version(7)),
 * parsed, validated, formatted and compared exactly as dpkg does.
 */
import { MkpkgError } from '../errors.js';

/** A parsed Debian version. `revision` is undefined when the version has none. */
export interface DebianVersion {
  epoch: number;
  upstream: string;
  revision?: string;
}

/** Input to {@link formatDebianVersion}; a missing epoch means 0. */
export interface DebianVersionParts {
  epoch?: number;
  upstream: string;
  revision?: string;
}

const INT_MAX = 2 ** 31 - 1;
const UPSTREAM_CHARS = /^[A-Za-z0-9.+~:-]+$/;
const REVISION_CHARS = /^[A-Za-z0-9.+~]+$/;
const HINT =
  'a Debian version is [epoch:]upstream[-revision]: epoch digits, upstream starting with a digit and using only ' +
  'A-Z a-z 0-9 . + ~ (and - only with a revision, : only with an epoch), revision using only A-Z a-z 0-9 . + ~';

function invalid(field: string, value: string, problem: string): MkpkgError {
  return new MkpkgError('E_VERSION_INVALID', `${field} ${JSON.stringify(value)} is not a valid Debian version: ${problem}`, {
    hint: HINT,
    details: { field, value, problem },
  });
}

/**
 * Parse and validate a Debian version. dpkg splits the epoch at the first `:` and the
 * revision at the last `-`. Throws `E_VERSION_INVALID` naming `field` and the value.
 */
export function parseDebianVersion(s: string, field = 'version'): DebianVersion {
  if (s.length === 0) throw invalid(field, s, 'it is empty');
  if (/\s/.test(s)) throw invalid(field, s, 'it contains whitespace');
  let rest = s;
  let epoch = 0;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^[0-9]+$/.test(e)) throw invalid(field, s, `epoch ${JSON.stringify(e)} is not an unsigned integer`);
    epoch = Number(e);
    if (epoch > INT_MAX) throw invalid(field, s, `epoch ${e} is larger than ${INT_MAX}`);
    rest = s.slice(colon + 1);
    if (rest.length === 0) throw invalid(field, s, 'nothing follows the epoch colon');
  }
  let upstream = rest;
  let revision: string | undefined;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision.length === 0) throw invalid(field, s, 'the revision after the last "-" is empty');
    const bad = firstInvalidChar(revision, REVISION_CHARS);
    if (bad !== undefined) throw invalid(field, s, `the revision contains the character ${JSON.stringify(bad)}`);
  }
  if (upstream.length === 0) throw invalid(field, s, 'the upstream version is empty');
  if (!/^[0-9]/.test(upstream)) throw invalid(field, s, 'the upstream version does not start with a digit');
  const bad = firstInvalidChar(upstream, UPSTREAM_CHARS);
  if (bad !== undefined) throw invalid(field, s, `the upstream version contains the character ${JSON.stringify(bad)}`);
  return revision === undefined ? { epoch, upstream } : { epoch, upstream, revision };
}

function firstInvalidChar(s: string, allowed: RegExp): string | undefined {
  return [...s].find((c) => !allowed.test(c));
}

/**
 * Format a Debian version, validating the result. The epoch is written when non-zero or when
 * the upstream part contains a `:`; an upstream part with a `-` needs a revision.
 */
export function formatDebianVersion(v: DebianVersionParts, field = 'version'): string {
  const epoch = v.epoch ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > INT_MAX) {
    throw invalid(field, String(epoch), 'the epoch is not an unsigned integer');
  }
  const withEpoch = epoch !== 0 || v.upstream.includes(':') ? `${epoch}:${v.upstream}` : v.upstream;
  const s = v.revision === undefined ? withEpoch : `${withEpoch}-${v.revision}`;
  const parsed = parseDebianVersion(s, field);
  if (parsed.upstream !== v.upstream || parsed.revision !== v.revision) {
    throw invalid(field, v.upstream, 'an upstream version containing "-" needs a revision');
  }
  return s;
}

/** dpkg's character weight: `~` first, then end/digit, letters, then everything else. */
function order(c: string | undefined): number {
  if (c === undefined || (c >= '0' && c <= '9')) return 0;
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** dpkg's verrevcmp: alternate non-digit runs (by {@link order}) and digit runs (numerically). */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const d = order(a[i]) - order(b[j]);
      if (d !== 0) return d;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let first = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (first === 0) first = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (first !== 0) return first;
  }
  return 0;
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

/**
 * Compare two Debian versions like `dpkg --compare-versions`: epoch numerically, then upstream,
 * then revision (a missing revision compares like `0`). Strings are parsed (and validated) first.
 */
export function compareDebianVersions(a: string | DebianVersion, b: string | DebianVersion): -1 | 0 | 1 {
  const x = typeof a === 'string' ? parseDebianVersion(a) : a;
  const y = typeof b === 'string' ? parseDebianVersion(b) : b;
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return sign(verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision ?? '', y.revision ?? ''));
}
