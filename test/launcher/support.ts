/**
 * Test support for the launcher: render it for a sample package with every target path under a
 * scratch root (the real resolve → model → template path), and run it under several POSIX shells.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeTemplateSpec, ServiceSpec } from '../../src/config/schema.js';
import { buildLauncherModel, renderLauncher, resolveRuntimeTemplates, resolveService } from '../../src/lifecycle/index.js';
import { createTemplateLookup } from '../../src/templates/index.js';
import { hasTool, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

export const PKG = 'demo-app';

/** What {@link renderSample} made. */
export interface Sample {
  root: string;
  launcher: string;
  text: string;
}

/** The service user of the sample (nobody:nogroup) as numeric ids. */
export function serviceIds(): { uid: number; gid: number } {
  const id = (args: string[]) => Number(spawnSync('id', args, { encoding: 'utf8' }).stdout.trim());
  return { uid: id(['-u', 'nobody']), gid: id(['-g', 'nobody']) };
}

/**
 * Render the launcher of a one-service package (`demo-app`, user nobody:nogroup) into `root`.
 * The root is readable by everyone, and (when the tests run as root) `/run/demo-app` belongs to
 * the service user, as systemd's RuntimeDirectory= would.
 */
export function renderSample(opts: { templates?: RuntimeTemplateSpec[]; service?: Partial<ServiceSpec>; root?: string } = {}): Sample {
  const root = opts.root ?? scratch('mkpkg-launcher-');
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'run', PKG), { recursive: true });
  if (process.getuid?.() === 0) {
    const { uid, gid } = serviceIds();
    chownSync(join(root, 'run', PKG), uid, gid);
  }
  const spec: ServiceSpec = { name: PKG, command: '/bin/true', ...opts.service };
  const templates = opts.templates ?? [];
  const { service } = resolveService(spec, 0, undefined, { user: 'nobody', group: 'nogroup' }, { path: '/usr/bin/demo-app', renders: templates.map((t) => t.dst) });
  const runtime = resolveRuntimeTemplates(PKG, templates, [service], root);
  const model = buildLauncherModel({ pkg: PKG, version: '2.3.4-1', path: `${root}/usr/bin/${PKG}`, app: { dir: '/usr/lib/demo-app' }, services: [service], runtime, root });
  const text = renderLauncher(model, createTemplateLookup());
  const launcher = join(root, 'usr/bin', PKG);
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(launcher, text, { mode: 0o755 });
  for (const f of runtime.files) mkdirSync(join(root, f.path, '..'), { recursive: true });
  return { root, launcher, text };
}

/** A POSIX shell to run the launcher with: argv prefix and the PATH it gets. */
export interface Shell {
  name: string;
  argv: string[];
  path: string;
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
let busyboxBin: string | undefined;

/** A directory holding only busybox applets, so `awk`, `sort`, `mktemp`… are busybox's too. */
function busyboxPath(): string {
  if (busyboxBin) return busyboxBin;
  const top = scratch('mkpkg-busybox-');
  chmodSync(top, 0o755);
  const dir = join(top, 'bin');
  mkdirSync(dir);
  const list = spawnSync('busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  for (const applet of list) symlinkSync(busybox, join(dir, applet));
  return (busyboxBin = dir);
}

/** The programs of the shells the launcher is tested with (.ci/run installs them). */
export const SHELL_TOOLS = ['dash', 'busybox', 'bash'] as const;

/**
 * Call in a `before` of every suite that runs the launcher under {@link shells}: without all of
 * them the suite skips with the reason printed, and under CI=true it fails (never a silent drop).
 */
export function requireShells(ctx: Mocha.Context): void {
  requireTools(ctx, ...SHELL_TOOLS);
}

/**
 * The shells present here: dash (with mawk, Debian's /bin/sh), busybox sh with nothing but
 * busybox applets on PATH, and bash --posix. Suites using them call {@link requireShells}.
 */
export function shells(): Shell[] {
  const out: Shell[] = [];
  if (hasTool('dash')) out.push({ name: 'dash', argv: ['dash'], path: SYSTEM_PATH });
  if (hasTool('busybox')) out.push({ name: 'busybox sh (busybox applets only)', argv: [join(busyboxPath(), 'sh')], path: busyboxPath() });
  if (hasTool('bash')) out.push({ name: 'bash --posix', argv: ['bash', '--norc', '--noprofile', '--posix'], path: SYSTEM_PATH });
  return out;
}

/**
 * Run `launcher args…` with `shell`, a clean environment (no INVOCATION_ID) plus `env`. `as:
 * 'service'` runs it as the service user (nobody:nogroup) when the tests run as root, as the unit's
 * ExecStartPre without "+" does.
 */
export function runLauncher(shell: Shell, launcher: string, args: string[], env: Record<string, string> = {}, opts: { as?: 'service' } = {}): SpawnSyncReturns<string> {
  const ids = opts.as === 'service' && process.getuid?.() === 0 ? serviceIds() : {};
  return spawnSync(shell.argv[0], [...shell.argv.slice(1), launcher, ...args], {
    encoding: 'utf8',
    env: { PATH: shell.path, LANG: 'C', ...env },
    timeout: 30_000,
    ...ids,
  });
}

/** Write an executable hook script. */
export function writeHook(path: string, body: string, mode = 0o755): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode });
}
