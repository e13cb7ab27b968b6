/**
 * Quoting for systemd unit files (systemd.syntax(7), systemd.service(5), systemd.exec(5)).
 * Specifiers (`%`) are expanded in almost every setting; `$` only in Exec*= command lines.
 */
import { MkpkgError } from '../errors.js';

function invalid(value: string, why: string, hint: string): MkpkgError {
  return new MkpkgError('E_CONFIG_INVALID', `unit file value ${JSON.stringify(value)} ${why}`, { hint, details: { value } });
}

/**
 * A plain (unquoted) unit setting value, e.g. for `Description=`: `%` becomes `%%`.
 * Refuses control characters (a newline would start a new directive) and a trailing backslash
 * (a line continuation).
 */
export function systemdEscape(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) throw invalid(value, 'contains a control character (newline, tab, NUL…)', 'put the value on one line without control characters');
  if (value.endsWith('\\')) throw invalid(value, 'ends with a backslash, which systemd reads as a line continuation', 'remove the trailing backslash');
  return value.replace(/%/g, '%%');
}

function cEscape(value: string): string {
  return value.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\n': return '\\n';
      case '\t': return '\\t';
      case '\r': return '\\r';
      default: return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
}

/**
 * One double-quoted word for settings that unquote and C-unescape their words and expand
 * specifiers but not variables: `Environment=` items (`unitQuote('KEY=' + value)`).
 */
export function unitQuote(value: string): string {
  if (value.includes('\0')) throw invalid(value, 'contains a NUL byte', 'remove the NUL byte');
  return `"${cEscape(value).replace(/%/g, '%%')}"`;
}

const EXEC_SAFE = /^[A-Za-z0-9_/.,:=+-][A-Za-z0-9_/.,:=+@-]*$/;

/**
 * One argument of an `ExecStart=` command line: unquoted when it is a plain word, otherwise
 * double-quoted with C escapes; `%` → `%%` and `$` → `$$` so the process receives `value` verbatim.
 * `first`: the word is the program, where a leading `-`, `+`, `@`, `!` or `:` would be a prefix.
 */
export function execArg(value: string, first = false): string {
  if (value.includes('\0')) throw invalid(value, 'contains a NUL byte', 'remove the NUL byte');
  if (value !== '' && EXEC_SAFE.test(value) && !(first && /^[-+@!:]/.test(value))) return value;
  return `"${cEscape(value).replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** A whole command line for `ExecStart=` from an argument vector. */
export function execLine(argv: readonly string[]): string {
  return argv.map((a, i) => execArg(a, i === 0)).join(' ');
}
