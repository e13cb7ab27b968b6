/**
 * Text for a terminal. File names, fields and scripts come from packages and projects that may be
 * hostile; printed raw, an escape sequence in them would drive the terminal (clear it, retitle it,
 * hide text, fake output). Every piece of human output goes through one of these two functions;
 * `--json` output does not (JSON escapes control characters itself, and stays exact).
 */

/** C0 controls, DEL, C1 controls, and the invisible characters that reorder or break lines (bidi overrides and isolates, U+2028/2029). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escape(c: string): string {
  const n = c.charCodeAt(0);
  return NAMED[c] ?? (n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`);
}

/** One line for a terminal: every control character (TAB and LF too) shown as `\t`, `\n`, `\x1b`, `\u202e`, …. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Lines for a terminal: LF and TAB are kept, every other control character is shown escaped (`\r`, `\x1b`, …). */
export function safeText(text: string): string {
  return text.replace(UNSAFE_KEEP_LINES, escape);
}

/** A byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do { v /= 1024; i++; } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}`;
}
