/**
 * Scratch projects written by a test and built with the real CLI (`node bin/mkpkg.js build`), for
 * lifecycle flows that need something other than the hello-service fixture.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scratch } from '../../support/tmp.js';
import { buildFormats, type Built } from './packages.js';

/** Write `files` (path relative to the project → text) into a fresh directory; returns it. */
export function writeProject(files: Record<string, string>, prefix = 'mkpkg-e2e-project-'): string {
  const dir = scratch(prefix);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** Build `dir` as .deb and .rpm with the real CLI into `out`; throws with the CLI's output on failure. */
export function buildProject(dir: string, out: string): Built {
  const by = buildFormats(dir, out, 'deb,rpm');
  return { deb: by.deb!, rpm: by.rpm! };
}

/** package.json text of a small non-Node project. */
export function packageJson(name: string, version: string): string {
  return `${JSON.stringify({ name, version, description: `${name} test package`, license: 'MIT', author: 'Acme Ops <ops@acme.example>' }, null, 2)}\n`;
}
