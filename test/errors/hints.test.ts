/**
 * Every coded error has its `hint:` line (issue 10 item 10): the catalogue gives each code a
 * default hint, and every place in src/ that builds an MkpkgError gives its own.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_HINTS, ERROR_CODES, MkpkgError, type ErrorCode } from '../../src/errors.js';
import { REPO } from '../support/dist.js';

/**
 * Files owned by other work streams that still build errors without a hint of their own; their
 * errors get the catalogue's default hint meanwhile. Shrink this list, never grow it.
 */
const PENDING = new Set(['src/archive/compress.ts', 'src/verify/container.ts', 'src/verify/http-get.ts', 'src/verify/install.ts', 'src/verify/rootfs.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

/** The text of each `new MkpkgError(…)` call (balanced parentheses) in `text`. */
function calls(text: string): { line: number; call: string }[] {
  const out: { line: number; call: string }[] = [];
  for (let i = text.indexOf('new MkpkgError('); i >= 0; i = text.indexOf('new MkpkgError(', i + 1)) {
    let depth = 0;
    let j = i + 'new MkpkgError'.length;
    do {
      if (text[j] === '(') depth++;
      else if (text[j] === ')') depth--;
      j++;
    } while (depth > 0 && j < text.length);
    out.push({ line: text.slice(0, i).split('\n').length, call: text.slice(i, j) });
  }
  return out;
}

describe('errors: every coded error carries a hint', () => {
  it('the catalogue has a default hint for every code, and an error without its own hint gets it', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      assert.ok(DEFAULT_HINTS[code] && DEFAULT_HINTS[code]!.length > 10, `${code} has no default hint`);
      assert.equal(new MkpkgError(code, 'message').hint, DEFAULT_HINTS[code]);
    }
    assert.equal(new MkpkgError('E_STEP', 'm', { hint: 'do this' }).hint, 'do this');
  });

  it('every place in src/ that builds an MkpkgError gives a hint of its own', () => {
    const missing: string[] = [];
    for (const file of sources(join(REPO, 'src'))) {
      const rel = relative(REPO, file);
      if (rel === 'src/errors.ts') continue;
      for (const { line, call } of calls(readFileSync(file, 'utf8'))) {
        if (!/\bhint\b/.test(call) && !PENDING.has(rel)) missing.push(`${rel}:${line}: ${call.slice(0, 100)}`);
      }
    }
    assert.deepEqual(missing, [], `MkpkgError without a hint:\n${missing.join('\n')}`);
  });
});
