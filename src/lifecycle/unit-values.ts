/**
 * Values written into a generated systemd unit: each is one line of text (src/config/text.ts
 * oneLine: a newline would start a new directive) that does not end with a backslash (systemd
 * would continue the line into the next directive). Errors name the config field.
 */
import { invalidValue } from '../errors.js';
import { oneLine } from '../config/text.js';

/** `value` when it can be written as (part of) one unit directive; else E_SERVICE_INVALID naming `where`. */
export function unitLine(value: string, where: string): string {
  oneLine(value, where, { code: 'E_SERVICE_INVALID', hint: 'write the value on one line without control characters' });
  if (value.endsWith('\\')) {
    throw invalidValue('E_SERVICE_INVALID', where, value, 'ends with a backslash, which systemd reads as a line continuation into the next directive', 'remove the trailing backslash');
  }
  return value;
}

/** A number of seconds in unit syntax (`1`, `0.5`); refuses what systemd cannot parse (`1e-7`, `Infinity`). */
export function unitSeconds(value: number, where: string): string {
  const text = String(value);
  if (!Number.isFinite(value) || value < 0 || !/^\d+(\.\d+)?$/.test(text)) {
    throw invalidValue('E_SERVICE_INVALID', where, value, 'is not a plain number of seconds', 'give seconds as a number such as 1 or 0.5');
  }
  return text;
}
