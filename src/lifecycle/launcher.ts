/**
 * The generated launcher (`/usr/bin/NAME`): a POSIX sh script rendered from
 * `packaging-templates/launcher/launcher.sh.ejs` that runs a service in the foreground, its boot
 * hooks and its runtime templates, and the unit directives that call it.
 */
import { posix } from 'node:path';
import { invalidValue } from '../errors.js';
import type { LauncherSpec } from '../config/schema.js';
import { checkShellSyntax } from '../templates/check.js';
import { renderTemplate, type SlotFragments } from '../templates/render.js';
import type { TemplateLookup } from '../templates/lookup.js';
import { execArg } from '../templates/systemd.js';
import { HOOK_STAGES, hookDirs } from './hooks.js';
import type { RenderTarget, RuntimeResolution } from './runtime.js';
import type { ResolvedService } from './types.js';

/** One service as the launcher knows it. */
export interface LauncherService {
  name: string;
  /** Read by the launcher itself only when systemd did not start it (INVOCATION_ID unset). */
  environmentFile: string | null;
  /** Runtime templates rendered by `render-config SERVICE` (the unit's ExecStartPre). */
  templates: RenderTarget[];
  /** The service's command as declared (shown by `help`). */
  command: string | null;
}

/** The template context of `launcher/launcher.sh.ejs` (also `launcher` in the maintainer-script templates). */
export interface LauncherModel {
  pkg: string;
  version: string;
  /** Where the launcher is installed. */
  path: string;
  /** The Node.js app directory ('' when the package is not a Node.js app). */
  appDir: string;
  /** Shipped hooks: `<hooksDir>/<stage>.d/`. */
  hooksDir: string;
  /** The administrator's hooks: `<adminHooksDir>/<stage>.d/`. */
  adminHooksDir: string;
  /** `foreground` without a command runs this (the Node.js app's main), or nothing. */
  defaultCommand: string[] | null;
  services: LauncherService[];
  /** Every runtime template once, for `render-config` without a service. */
  templates: RenderTarget[];
  /** Environment files of all services (upgrade hooks load them). */
  environmentFiles: string[];
  stages: readonly string[];
  /** Prefix of every target path: '' on a real system (tests run the launcher in a scratch root). */
  root: string;
}

/**
 * Where the launcher goes, or null when there is none. Default: `/usr/bin/PKG` when the package has
 * services; a package without services gets one only with an explicit `launcher: {}` (its package.json
 * `bin` entries are the usual way to put commands on PATH, and often share the package's name).
 */
export function resolveLauncherPath(pkg: string, spec: LauncherSpec | undefined, hasServices: boolean): string | null {
  if (spec === false || (spec === undefined && !hasServices)) return null;
  const path = spec?.path ?? `/usr/bin/${pkg}`;
  if (!/^\/[A-Za-z0-9._+@/-]+$/.test(path) || path.endsWith('/') || path.split('/').some((p) => p === '..' || p === '.')) {
    throw invalidValue('E_LAUNCHER_INVALID', 'launcher.path', path, 'is not an absolute file path of letters, digits and "._+@-"', 'use a path such as "/usr/bin/myapp" or "/usr/sbin/myapp-launcher"');
  }
  return path;
}

/** Inputs of {@link buildLauncherModel}. */
export interface LauncherModelInput {
  pkg: string;
  version: string;
  path: string;
  app?: { dir: string; main?: string; node?: string };
  services: readonly ResolvedService[];
  runtime: RuntimeResolution;
  /** Prefix of every target path (tests run the launcher in a scratch root). Default ''. */
  root?: string;
}

/** The launcher's template context. */
export function buildLauncherModel(input: LauncherModelInput): LauncherModel {
  const root = input.root ?? '';
  const dirs = hookDirs(input.pkg, root);
  const services = input.services.map((s) => ({
    name: s.name,
    environmentFile: s.environmentFile ? root + s.environmentFile : null,
    templates: input.runtime.byService.get(s.name) ?? [],
    command: s.command ?? null,
  }));
  return {
    pkg: input.pkg,
    version: input.version,
    path: input.path,
    appDir: input.app?.dir ?? '',
    hooksDir: dirs.packageDir,
    adminHooksDir: dirs.adminDir,
    defaultCommand: input.app?.main ? [input.app.node ?? '/usr/bin/node', posix.join(input.app.dir, input.app.main)] : null,
    services,
    templates: input.runtime.all,
    environmentFiles: [...new Set(services.flatMap((s) => (s.environmentFile ? [s.environmentFile] : [])))],
    stages: HOOK_STAGES,
    root,
  };
}

/** Render the launcher and check it with `sh -n`. */
export function renderLauncher(model: LauncherModel, lookup: TemplateLookup, slots: SlotFragments = {}): string {
  const { text, source } = renderTemplate('launcher/launcher.sh.ejs', { slots, pkg: model.pkg, version: model.version, launcher: model }, lookup);
  checkShellSyntax(text, `launcher/launcher.sh.ejs (${source})`);
  return text;
}

/**
 * The [Service] directives that run service `name` through the launcher:
 * - `ExecStartPre=+LAUNCHER render-config NAME` (runtime templates root renders): as root and outside
 *   the sandbox, for files outside the service's own directories (owned by root, with the service's
 *   group), only where no other user can write;
 * - `ExecStartPre=LAUNCHER render-config NAME` (templates in the service's own directories): as the
 *   service user, in its sandbox, so root never writes in a directory that user controls;
 * - `ExecStartPre=LAUNCHER hooks pre-start NAME`: as the service user, in its sandbox; a failing hook fails the start;
 * - `ExecStart=LAUNCHER foreground --no-prepare NAME -- COMMAND`: the launcher execs COMMAND, which stays the main PID;
 * - `ExecStartPost=` post-start hooks (a failure fails the start, as any ExecStartPost);
 * - `ExecStop=-` pre-stop hooks, then systemd sends SIGTERM; `ExecStopPost=-` post-stop hooks (failures logged only).
 * `command` is the service's command line in systemd syntax; its prefixes `-`, `:`, `+`, `!` move to the launcher.
 */
export function launcherDirectives(path: string, name: string, command: string, render: { root: boolean; service: boolean }, where: string): [string, string][] {
  const m = /^([-:+!]*)(.*)$/s.exec(command)!;
  if (m[2].startsWith('@')) {
    throw invalidValue('E_LAUNCHER_INVALID', `${where}.command`, command, 'uses the "@" prefix (a custom argv[0]), which cannot pass through the launcher', 'drop the "@" prefix, or set launcher: false');
  }
  const l = execArg(path, true);
  const svc = execArg(name);
  const out: [string, string][] = [];
  if (render.root) out.push(['ExecStartPre', `+${l} render-config ${svc}`]);
  if (render.service) out.push(['ExecStartPre', `${l} render-config ${svc}`]);
  out.push(
    ['ExecStartPre', `${l} hooks pre-start ${svc}`],
    ['ExecStart', `${m[1]}${l} foreground --no-prepare ${svc} -- ${m[2]}`],
    ['ExecStartPost', `${l} hooks post-start ${svc}`],
    ['ExecStop', `-${l} hooks pre-stop ${svc}`],
    ['ExecStopPost', `-${l} hooks post-stop ${svc}`],
  );
  return out;
}
