/**
 * Values written into generated files (control files, rpm headers, units, Release files, generated
 * code) are validated literals: one line of printable characters, or a block of such lines where
 * the format defines one (a long description). This is the one validator every layer uses.
 */
import { invalidValue, type ErrorCode, type MkpkgError } from '../errors.js';

/** C0 controls (incl. TAB, LF, CR, ESC), DEL, C1 controls, and the Unicode line/paragraph separators. */
const LINE_BAD = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The same, except TAB and LF. */
const BLOCK_BAD = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const NAMES: Record<number, string> = { 0: 'NUL', 9: 'TAB', 10: 'LF, a line break', 13: 'CR, a line break', 27: 'ESC', 127: 'DEL', 0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR' };

/** `U+001B (ESC)` for the character at `i` of `s`. */
function describeAt(s: string, i: number): string {
  const c = s.charCodeAt(i);
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c >= 0xd800 && c <= 0xdfff) return `${hex} (a lone surrogate, not valid UTF-8)`;
  return `${hex} (${NAMES[c] ?? (c < 0x20 ? 'a control character' : 'a C1 control character')})`;
}

/** Options of {@link oneLine} / {@link textBlock}. */
export interface TextRule {
  /** Error code (default `E_METADATA_INVALID`). */
  code?: ErrorCode;
  /** How to fix it (default: remove the character). */
  hint?: string;
  /** A stricter whole-value pattern, with `rule` saying in words what it allows. */
  pattern?: RegExp;
  rule?: string;
}

function check(value: string, where: string, bad: RegExp, what: string, o: TextRule): MkpkgError | undefined {
  const m = bad.exec(value);
  if (m) {
    return invalidValue(o.code ?? 'E_METADATA_INVALID', where, value, `contains ${describeAt(value, m.index)} at offset ${m.index}; it must be ${what}`,
      o.hint ?? 'remove the control character (values are written into control files, rpm headers and generated files as they are)');
  }
  if (o.pattern && !o.pattern.test(value)) {
    return invalidValue(o.code ?? 'E_METADATA_INVALID', where, value, `is not valid: use ${o.rule ?? `a value matching ${String(o.pattern)}`}`, o.hint ?? `use ${o.rule ?? 'an accepted value'}`);
  }
  return undefined;
}

/** Where a block of text (lines joined by LF) first has a character no block may hold, and which: for readers of untrusted text. */
export function blockCharProblem(text: string): { index: number; description: string } | undefined {
  const m = BLOCK_BAD.exec(text);
  return m ? { index: m.index, description: describeAt(text, m.index) } : undefined;
}

/** The problem with a one-line value, or undefined; for callers that collect every problem. */
export function oneLineProblem(value: string, where: string, o: TextRule = {}): MkpkgError | undefined {
  return check(value, where, LINE_BAD, 'one line of printable characters', o);
}

/**
 * A value that must be one line of printable characters: no control character (TAB, LF, CR, ESC,
 * NUL, DEL, C1), no U+2028/U+2029, no lone surrogate; optionally matching `o.pattern`. Returns it.
 */
export function oneLine(value: string, where: string, o: TextRule = {}): string {
  const e = oneLineProblem(value, where, o);
  if (e) throw e;
  return value;
}

/** Like {@link oneLine}, for multi-line text: LF and TAB are allowed, CRLF/CR become LF first. Returns the normalised text. */
export function textBlock(value: string, where: string, o: TextRule = {}): string {
  const text = value.replace(/\r\n?/g, '\n');
  const e = check(text, where, BLOCK_BAD, 'lines of printable characters', o);
  if (e) throw e;
  return text;
}
