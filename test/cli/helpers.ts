/**
 * Helpers for the end-to-end CLI tests: run the built `mkpkg` (bin/mkpkg.js → dist/), copy a
 * fixture into a scratch directory, and judge packages with the real lintian and rpmlint against
 * the single tolerated lists kept beside the writer tests.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/tmp.js';

import { CLI, REPO, ensureBuilt } from '../support/dist.js';
import type { CliResult } from '../support/cli.js';

export { CLI, REPO, ensureBuilt };
export { SDE, mkpkg, mkpkgOk, buildJson, type CliResult, type JsonArtifact } from '../support/cli.js';
export const FIXTURES = join(REPO, 'fixtures');

/** A scratch copy of `fixtures/NAME` (so tests can add or break files freely). */
export function copyFixture(name: string): string {
  const d = join(scratch('mkpkg-cli-fx-'), name);
  cpSync(join(FIXTURES, name), d, { recursive: true, verbatimSymlinks: true });
  return d;
}

/** Assert a run failed with exit 1, `error CODE: …` matching every pattern, and a hint line. */
export function assertError(r: CliResult, code: string, ...patterns: (string | RegExp)[]): void {
  assert.equal(r.status, 1, `expected exit 1, got ${r.status}\n${r.stdout}\n${r.stderr}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith('error '));
  assert.ok(line, `no "error E_CODE:" line on stderr:\n${r.stderr}`);
  assert.ok(line.startsWith(`error ${code}: `), `expected ${code}, got: ${line}`);
  for (const p of patterns) {
    if (typeof p === 'string') assert.ok(line.includes(p), `error line lacks ${JSON.stringify(p)}: ${line}`);
    else assert.match(line, p);
  }
  assert.match(r.stderr, /^ {2}hint: \S/m, `no hint line:\n${r.stderr}`);
}

/** Names in `dir`, including dotfiles (temp files start with a dot). */
export const listDir = (dir: string): string[] => readdirSync(dir).sort();

/** Entries (`name  # reason`) of a tolerated-tags file; comment lines skipped. */
function toleratedList(rel: string): Set<string> {
  const text = readFileSync(join(REPO, rel), 'utf8');
  return new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
}

/** lintian's E: tags and the W: tags not in test/formats/deb/lintian-tolerated.txt (the one list). */
export function lintianProblems(deb: string): { errors: string[]; warnings: string[]; output: string } {
  const r = spawnSync('lintian', ['--fail-on', 'none', deb], { encoding: 'utf8' });
  assert.equal(r.status, 0, `lintian failed to run: ${r.stderr}`);
  const tolerated = toleratedList('test/formats/deb/lintian-tolerated.txt');
  const tags = r.stdout.split('\n').map((l) => /^([EW]): \S+: (\S+)/.exec(l)).filter((m) => m !== null);
  return {
    errors: tags.filter((m) => m[1] === 'E').map((m) => m[0]),
    warnings: tags.filter((m) => m[1] === 'W' && !tolerated.has(m[2]!)).map((m) => m[0]),
    output: r.stdout,
  };
}

/** rpmlint error lines whose check is not in test/formats/rpm/rpmlint-tolerated.txt (the one list). */
export function rpmlintProblems(rpm: string, home: string): string[] {
  const r = spawnSync('rpmlint', [rpm], { encoding: 'utf8', env: { ...process.env, HOME: home, LC_ALL: 'C.UTF-8' } });
  assert.match(r.stdout, /1 packages and 0 specfiles checked/, `rpmlint did not run:\n${r.stdout}${r.stderr}`);
  const tolerated = toleratedList('test/formats/rpm/rpmlint-tolerated.txt');
  return r.stdout.split('\n').filter((l) => {
    const m = /^\S+: E: (\S+)/.exec(l);
    return m !== null && !tolerated.has(m[1]!);
  });
}
