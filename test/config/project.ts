/** Write a small project into a scratch directory. Objects are written as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { strict as assert } from 'node:assert';
import { scratch } from '../support/tmp.js';
import { MkpkgError } from '../../src/errors.js';

export function writeProject(files: Record<string, string | object>): string {
  const dir = scratch('mkpkg-config-');
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Assert that `fn` throws (or rejects with) an MkpkgError with `code`, and return it. */
export async function expectCode(fn: () => unknown, code: string): Promise<MkpkgError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof MkpkgError, `expected MkpkgError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${code}, but nothing was thrown`);
}
