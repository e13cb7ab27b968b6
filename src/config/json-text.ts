/**
 * JSON parsing with precise error positions. Node 20's `JSON.parse` messages do not always carry
 * an offset, so a small scanner locates the first syntax error itself.
 */

/** Where a JSON syntax error is: 0-based offset, 1-based line and column. */
export interface JsonErrorLocation {
  offset: number;
  line: number;
  column: number;
  reason: string;
  /** The text is JSON, but nested deeper than {@link MAX_NESTING}. */
  tooDeep?: true;
}

/** Deepest nesting of arrays and objects accepted (far above any real package.json or config). */
export const MAX_NESTING = 100;

/** Offset of the first `[` or `{` nested deeper than {@link MAX_NESTING}, outside strings. */
function tooDeep(s: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return undefined;
}

/**
 * Parse JSON text (a leading BOM is ignored); returns the value or the location of the first error.
 * Nesting deeper than {@link MAX_NESTING} is an error (deeper values overflowed the stack later on).
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: JsonErrorLocation } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const deep = tooDeep(src);
  if (deep !== undefined) return { ok: false, error: { offset: deep, reason: `arrays and objects are nested more than ${MAX_NESTING} levels deep here (mkpkg's limit)`, tooDeep: true, ...lineColumn(src, deep) } };
  try {
    return { ok: true, value: JSON.parse(src) };
  } catch (e) {
    const found = scan(src);
    const offset = found?.offset ?? messageOffset(e) ?? src.length;
    const reason = found?.reason ?? (e instanceof Error ? e.message : String(e));
    return { ok: false, error: { offset, reason, ...lineColumn(src, offset) } };
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function messageOffset(e: unknown): number | undefined {
  const m = e instanceof Error ? /at position (\d+)/.exec(e.message) : null;
  return m ? Number(m[1]) : undefined;
}

class ScanError extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

/** A strict recursive-descent JSON scanner that only reports where the text stops being JSON. */
function scan(s: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const fail = (reason: string): never => {
    throw new ScanError(i, i >= s.length ? 'unexpected end of input' : `${reason}, found ${JSON.stringify(s[i])}`);
  };
  const literal = (word: string): void => {
    if (s.startsWith(word, i)) i += word.length;
    else fail('expected a value');
  };
  const string = (): void => {
    i++;
    while (i < s.length && s[i] !== '"') {
      const c = s.charCodeAt(i);
      if (c < 0x20) fail('control character in string');
      if (s[i] === '\\') {
        const next = s[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) fail('bad escape');
        i++;
      }
      i++;
    }
    if (i >= s.length) fail('unterminated string');
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i));
    if (!m) fail('expected a value');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail('expected a double-quoted property name');
        string();
        ws();
        if (s[i] !== ':') fail("expected ':' after property name");
        i++;
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail('expected a value');
  };
  try {
    value();
    ws();
    if (i < s.length) fail('unexpected text after the JSON value');
    return undefined;
  } catch (e) {
    if (e instanceof ScanError) return { offset: e.offset, reason: e.reason };
    throw e;
  }
}
