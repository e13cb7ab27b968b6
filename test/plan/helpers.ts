/** Small helpers for the plan tests: scratch trees and error assertions. */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MkpkgError, type ErrorCode } from '../../src/errors.js';

/** Write `files` (relative path → content) below `root`. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

/** Await `p` and assert it rejects with an MkpkgError of `code` whose message contains every needle. */
export async function rejectsWith(p: Promise<unknown> | (() => unknown), code: ErrorCode, ...needles: string[]): Promise<MkpkgError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof MkpkgError, `expected MkpkgError ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  for (const n of needles) assert.ok(err.message.includes(n), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(n)}`);
  assert.ok(err.hint && err.hint.length > 0, 'a hint is given');
  return err;
}
