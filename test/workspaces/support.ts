/** The fixture monorepo copied into a scratch git repository, with helpers to change it and build it. */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/dist.js';
import { mkpkg, mkpkgOk, type CliResult, type JsonArtifact } from '../support/cli.js';
import { scratch } from '../support/tmp.js';

export const MONOREPO = join(REPO, 'fixtures', 'monorepo');

/** Run a command and require exit 0; returns stdout. */
export function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Change a JSON file in place. */
export function editJson(file: string, edit: (v: Record<string, unknown>) => void): void {
  const v = readJson(file);
  edit(v);
  writeJson(file, v);
}

/** The fixture in a fresh git repository (one commit, tagged `v1`); services on the given ports. */
export function monorepoCopy(ports: { api?: number; web?: number } = {}): string {
  const dir = join(scratch('mkpkg-ws-'), 'monorepo');
  cpSync(MONOREPO, dir, { recursive: true, filter: (src) => !/\/(node_modules|mkpkg-out)(\/|$)/.test(src.slice(MONOREPO.length)) });
  for (const app of ['api', 'web'] as const) {
    const port = ports[app];
    if (port) editJson(join(dir, 'packages', app, 'mkpkg.config.json'), (c) => { (c.services as { environment: Record<string, string> }[])[0]!.environment.PORT = String(port); });
  }
  sh('git', ['init', '-q', '-b', 'main'], dir);
  sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A'], dir);
  sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'v1'], dir);
  sh('git', ['tag', 'v1'], dir);
  return dir;
}

/** Bump a workspace's version (and its server's text), the metapackage's version, and the lock file, as a release does. */
export function releaseApp(dir: string, app: string, version: string, metaVersion: string): void {
  editJson(join(dir, 'packages', app, 'package.json'), (p) => { p.version = version; });
  writeFileSync(join(dir, 'packages', app, 'server.js'), `${readFileSync(join(dir, 'packages', app, 'server.js'), 'utf8')}// release ${version}\n`);
  editJson(join(dir, 'mkpkg.config.json'), (c) => { (c.workspaces as { metapackage: { version: string } }).metapackage.version = metaVersion; });
  sh('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
}

/** What `mkpkg build --json` prints for a workspaces build. */
export interface WorkspacesJson {
  planned: { name: string; kind: 'workspace' | 'metapackage'; packages: { deb: string; rpm: string }; reason: string; artifacts: string[] }[];
  skipped: { name: string; reason: string }[];
  outside: string[];
  artifacts: JsonArtifact[];
}

/** `mkpkg build DIR ARGS --json` (exit 0 required). */
export function buildWorkspacesJson(dir: string, args: string[]): WorkspacesJson {
  return JSON.parse(mkpkgOk(['build', dir, ...args, '--json'])) as WorkspacesJson;
}

export { mkpkg, type CliResult };
export { freePort } from '../support/ports.js';
