/** Scratch directories for tests, removed after the run. */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const made: string[] = [];

/** A fresh empty directory, deleted when the test process exits. */
export function scratch(prefix = 'mkpkg-test-'): string {
  mkdirSync(tmpdir(), { recursive: true });
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

process.on('exit', () => {
  if (process.env.MKPKG_KEEP_TMP) return;
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
