/**
 * Helpers for the pipeline, publish and templates-CLI tests: tiny config-only projects written
 * into scratch directories, the built CLI (`node bin/mkpkg.js`), and the real dpkg-deb.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { scratch } from '../support/tmp.js';
import { REPO, ensureBuilt } from '../support/dist.js';
import { mkpkg, type CliResult } from '../support/cli.js';

export { REPO };
export const FIXTURES = join(REPO, 'fixtures');

/** A config-only project: mkpkg.config.ts with `body` spliced into defineConfig({...}), plus `files`. */
export function tinyProject(body = '', files: Record<string, string> = {}, imports = 'defineConfig'): string {
  const dir = scratch('mkpkg-pipe-');
  const config = `import { ${imports} } from 'mkpkg';
export default defineConfig({
  name: 'tiny', version: '1.2.3', maintainer: 'Acme Ops <ops@acme.example>', license: 'MIT', arch: 'all',
  description: 'Tiny test package\\nUsed by the pipeline tests.',
  contents: [{ src: 'hello.txt', dst: '/usr/share/tiny/hello.txt' }],
  ${body}
});
`;
  writeFile(dir, 'mkpkg.config.ts', config);
  writeFile(dir, 'hello.txt', 'hello\n');
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): void {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
}

/** Copy a fixture into a scratch directory (tests never write into fixtures/). */
export function copyFixture(name: string): string {
  const dir = join(scratch('mkpkg-fx-'), name);
  cpSync(join(FIXTURES, name), dir, { recursive: true, filter: (src) => !/\/(node_modules|dist|out)$/.test(src) });
  return dir;
}

/** Run a real tool; throws with its output on a non-zero exit. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Unpack a .deb with the real dpkg-deb -x and return the directory. */
export function unpackDeb(deb: string): string {
  const dir = scratch('mkpkg-x-');
  run('dpkg-deb', ['-x', deb, dir]);
  return dir;
}

/** A control-area file (postinst, …) of a .deb, read with the real dpkg-deb. */
export function debControlFile(deb: string, name: string): string {
  const dir = scratch('mkpkg-e-');
  run('dpkg-deb', ['-e', deb, dir]);
  return readFileSync(join(dir, name), 'utf8');
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Assert that `fn` rejects with an MkpkgError of `code`; returns it. */
export async function rejectsWith(fn: () => Promise<unknown>, code: string): Promise<MkpkgError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof MkpkgError, `expected MkpkgError ${code}, got ${(e as Error)?.stack ?? String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  return assert.fail(`expected ${code}, nothing was thrown`);
}

export { ensureBuilt };
export type { CliResult };

/** {@link mkpkg} with extra environment and a working directory (default: the repository). */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): CliResult {
  return mkpkg(args, { env, cwd });
}

/** Like {@link cli}, but requires exit 0. */
export function cliOk(args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): CliResult {
  const r = cli(args, env, cwd);
  assert.equal(r.status, 0, `mkpkg ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}
