/**
 * Golden files: generated text compared byte for byte with a committed copy. `UPDATE_GOLDEN=1`
 * rewrites the copies instead (`npm run golden:update`); review the diff before committing it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Assert `actual` equals the golden file `dir/name` (or write it under UPDATE_GOLDEN=1). */
export function assertGolden(dir: string, name: string, actual: string): void {
  const file = join(dir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden file ${file} is missing: run npm run golden:update and review it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (npm run golden:update refreshes it deliberately)`);
}
