/**
 * Values written into repository metadata (Release fields, file names in indexes) are one-line
 * literals of allowed characters, checked before anything is written: a newline in a suite or
 * label would otherwise add fields of its own (`Suite: evil`, `Valid-Until: …`) to a signed Release.
 */
import { oneLine } from '../config/text.js';
import { invalidValue } from '../errors.js';

/** A name apt and reprepro accept for a suite, codename or component. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
/** A Debian architecture name (`amd64`, `arm64`, `armhf`, `ppc64el`, …). */
export const ARCH = /^[a-z0-9][a-z0-9-]*$/;
/** A Release `Version` (`12.4`, `1.0~rc1`). */
export const RELEASE_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+~-]*$/;
const MAX = 512;

/**
 * Check that `value` (the option `option`) matches `pattern`; E_REPO_INVALID naming the option and
 * the value otherwise. `allowed` says in words what the pattern allows.
 */
export function literal(option: string, value: string, pattern: RegExp | undefined, allowed: string): string {
  if (typeof value !== 'string' || value.length > MAX) {
    throw invalidValue('E_REPO_INVALID', option, value, `is not allowed here (${allowed}, at most ${MAX} characters)`, `use ${allowed} for ${option}`);
  }
  return oneLine(value, option, { code: 'E_REPO_INVALID', pattern, rule: allowed, hint: `use ${allowed} for ${option}` });
}

/** A name (suite, codename, component). */
export const nameLiteral = (option: string, value: string): string =>
  literal(option, value, NAME, 'a letter or digit, then letters, digits, ".", "_", "+" and "-"');

/** Free text on one line (origin, label, description): no newline or other control character, no leading or trailing space. */
export function textLiteral(option: string, value: string): string {
  literal(option, value, undefined, 'one line of text without control characters');
  if (value !== value.trim()) {
    throw invalidValue('E_REPO_INVALID', option, value, 'has leading or trailing white space', `trim ${option}`);
  }
  return value;
}

/** An architecture name (never `all`: arch-all packages are listed under every architecture). */
export function archLiteral(option: string, value: string): string {
  literal(option, value, ARCH, 'lower-case letters, digits and "-"');
  if (value === 'all') {
    throw invalidValue('E_REPO_INVALID', option, value, 'is not an architecture a suite lists', 'list real architectures (amd64, arm64, …); arch-all packages are listed in each of them');
  }
  return value;
}

/** A point in time: a Date, or a string Date.parse understands. */
export function dateLiteral(option: string, value: Date | string): Date {
  const d = value instanceof Date ? value : typeof value === 'string' && /^[0-9A-Za-z :,.+-]+$/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    throw invalidValue('E_REPO_INVALID', option, String(value), 'is not a valid date', `give ${option} as a Date or an ISO 8601 time such as 2026-01-02T03:04:05Z`);
  }
  return d;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration in seconds from `3600`, `90m`, `12h`, `7d` or `2w`. */
export function durationLiteral(option: string, value: number | string): number {
  const m = typeof value === 'number' ? [String(value), String(value), 's'] : /^([0-9]+)([smhdw]?)$/.exec(value);
  const seconds = m ? Number(m[1]) * UNITS[m[2] || 's']! : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw invalidValue('E_REPO_INVALID', option, value, 'is not a positive duration', `give ${option} as seconds or with a unit: 3600, 90m, 12h, 7d, 2w`);
  }
  return seconds;
}
