/** The compiled CLI for end-to-end tests: build dist/ once per test process when it is stale. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedSetup } from './shared-setup.js';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `bin/mkpkg.js`, which runs the bundled CLI dist/bundle/mkpkg.js. */
export const CLI = join(REPO, 'bin', 'mkpkg.js');

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

let built = false;
/** Compile src/ → dist/ (tsc, then the CLI bundle) when the bundle is missing or older than any source file; once per process. */
export function ensureBuilt(): void {
  if (built) return;
  const bundle = join(REPO, 'dist', 'bundle', 'mkpkg.js');
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestMtime(join(REPO, 'src'))) {
    for (const args of [[join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], [join(REPO, 'scripts', 'bundle-cli.mjs')]]) {
      const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 0, `building dist/ failed (${args[0]}):\n${r.stdout}${r.stderr}`);
    }
  }
  built = true;
}

// Run by the root hook before any test when a test file using the CLI is loaded (a tsc build under load takes minutes).
sharedSetup('build dist/ (tsc + CLI bundle) when src/ is newer', ensureBuilt);
