/**
 * Shell quoting: the one helper every value that goes into a shell script passes through.
 * Values from package.json and the config are untrusted; maintainer scripts run as root.
 */
import { MkpkgError } from '../errors.js';

const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

function refuseNul(value: string, what: string): void {
  if (value.includes('\0')) {
    throw new MkpkgError('E_SCRIPT_SYNTAX', `${what} contains a NUL byte: ${JSON.stringify(value)}`, {
      hint: 'NUL cannot appear in a shell word or a unit file; remove it from the value',
      details: { value },
    });
  }
}

/**
 * POSIX single-quote quoting: the result is one shell word whose value is exactly `value`.
 * Plain words (`[A-Za-z0-9_@%+:,./-]`) are returned as they are; `''` for the empty string.
 */
export function shQuote(value: string): string {
  refuseNul(value, 'a shell value');
  if (value === '') return "''";
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Quote each value and join them with spaces (an argument list). */
export function shQuoteList(values: readonly string[]): string {
  return values.map(shQuote).join(' ');
}

/**
 * A double-quoted value that POSIX sh and systemd's EnvironmentFile= parser both read back as
 * `value`: `\`, `"`, `` ` `` and `$` are backslash-escaped, nothing is expanded.
 * (systemd's parser does not join `'a'\''b'` the way sh does, so single quotes are not used here.)
 */
export function envFileValue(value: string): string {
  refuseNul(value, 'an environment value');
  if (value.includes('\r')) {
    throw new MkpkgError('E_CONFIG_INVALID', `environment value ${JSON.stringify(value)} contains a carriage return`, {
      hint: 'systemd treats CR as a line end in environment files; remove it',
    });
  }
  return `"${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** True when `name` is a valid environment variable name. */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
