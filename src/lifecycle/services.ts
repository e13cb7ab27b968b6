/** Service declarations → resolved services with defaults and unit-file directives. */
import { posix } from 'node:path';
import { invalidValue, MkpkgError, type Warning } from '../errors.js';
import type { ServiceSpec } from '../config/schema.js';
import { isEnvName } from '../templates/shell.js';
import { execLine, systemdEscape, unitQuote } from '../templates/systemd.js';
import { HARDENING_DEFAULTS, SYSTEMD_UNIT_DIR } from './defaults.js';
import { launcherDirectives } from './launcher.js';
import type { ResolvedService, UnitFileSpec } from './types.js';

type Section = [string, string][];

const bad = (where: string, value: unknown, why: string, hint: string) => invalidValue('E_SERVICE_INVALID', where, value, why, hint);

/** A raw directive value written in systemd syntax: only control characters are refused. */
function verbatim(value: string, where: string): string {
  if (/[\x00-\x1f\x7f]/.test(value)) throw bad(where, value, 'contains a newline or control character', 'write the directive value on one line');
  return value;
}

function checkKey(key: string, where: string): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(key)) throw bad(where, key, 'is not a systemd directive name', 'use a directive name such as "LimitNOFILE"');
}

/** Apply `extra` to `base`: an existing key is replaced in place, new keys are appended (sorted). */
function merge(base: Section, extra: Record<string, string> | undefined, where: string): Section {
  const out = base.map(([k, v]) => [k, v] as [string, string]);
  for (const key of Object.keys(extra ?? {}).sort()) {
    checkKey(key, `${where}.${key}`);
    const v = verbatim(extra![key], `${where}.${key}`);
    const at = out.findIndex(([k]) => k === key);
    if (at >= 0) out[at] = [key, v];
    else out.push([key, v]);
  }
  return out;
}

function dirs(value: string | false | undefined, fallback: string, where: string): string[] {
  if (value === false) return [];
  const list = (value ?? fallback).split(/\s+/).filter(Boolean);
  for (const d of list) {
    if (d.startsWith('/') || d.split('/').some((p) => p === '..' || p === '.' || p === '') || !/^[A-Za-z0-9._@+\-/]+$/.test(d)) {
      throw bad(where, d, 'is not a directory name relative to /var/lib, /var/log or /run', 'give a relative name such as "myapp" (systemd creates /var/lib/myapp)');
    }
  }
  return list;
}

function command(spec: ServiceSpec, app: AppInfo | undefined, where: string): string {
  if (spec.command !== undefined) {
    const cmd = verbatim(spec.command, `${where}.command`).trim();
    const first = cmd.split(/\s+/)[0].replace(/^["']/, '');
    if (first.includes('/') && !first.startsWith('/')) {
      throw bad(`${where}.command`, spec.command, 'starts with a relative path, which systemd does not accept', 'use an absolute path, e.g. "/usr/lib/myapp/bin/server", or a program name found on PATH such as "node server.js"');
    }
    return cmd.replace(/%/g, '%%');
  }
  if (app?.main) return execLine(['/usr/bin/node', posix.join(app.dir, app.main)]);
  if (app?.startScript) return execLine(['/bin/sh', '-c', `exec ${app.startScript}`]);
  throw new MkpkgError('E_SERVICE_INVALID', `${where}: service ${JSON.stringify(spec.name)} has no command`, {
    hint: 'set services[].command, or give package.json a "main" or a "scripts.start" for the default Node.js command',
    details: { path: `${where}.command` },
  });
}

/** What the service generator needs to know about the Node.js app. */
export interface AppInfo {
  dir: string;
  main?: string;
  startScript?: string;
}

/** Result of {@link resolveService}. */
export interface ServiceResolution {
  service: ResolvedService;
  unitFiles: UnitFileSpec[];
  warnings: Warning[];
}

/** Resolve one service: defaults, validation, and the directives of its generated unit. */
export function resolveService(
  spec: ServiceSpec,
  index: number,
  app: AppInfo | undefined,
  runAs: { user: string; group: string },
  launcher?: { path: string; renderConfig: boolean },
): ServiceResolution {
  const where = `services[${index}]`;
  const name = spec.name.replace(/\.service$/, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9:_.-]*$/.test(name) || name.length > 200) {
    throw bad(`${where}.name`, spec.name, 'is not a valid systemd service name', 'use letters, digits, ":", "_", "." and "-" (no "@": template units are not generated)');
  }
  const unit = `${name}.service`;
  const warnings: Warning[] = [];
  const unitFiles: UnitFileSpec[] = [];
  const extraUnits = (spec.extraUnits ?? []).map((src, i) => {
    const base = posix.basename(src.replace(/\\/g, '/'));
    if (!/^[A-Za-z0-9][A-Za-z0-9:_.@-]*\.(service|socket|timer|path|target|mount|slice)$/.test(base)) {
      throw bad(`${where}.extraUnits[${i}]`, src, 'is not a systemd unit file name', 'name the file like "myapp.timer" or "myapp.socket"');
    }
    unitFiles.push({ source: src, path: `${SYSTEMD_UNIT_DIR}/${base}`, mode: 0o644 });
    return base;
  });
  if (spec.unitFile !== undefined) unitFiles.unshift({ source: spec.unitFile, path: `${SYSTEMD_UNIT_DIR}/${unit}`, mode: 0o644 });
  const activatable = extraUnits.filter((u) => !u.includes('@.'));
  const units = [unit, ...activatable];

  const enable = spec.enable ?? true;
  let start = spec.start ?? enable;
  if (start && !enable) {
    warnings.push({ code: 'W_SERVICE_START_DISABLED', message: `${where} (${name}): start is ignored because enable is false (deb-systemd-invoke only starts enabled units; mkpkg keeps .deb and .rpm alike)` });
    start = false;
  }
  // Sockets, timers and paths are started; NAME.service behind a NAME.socket/.timer/.path of its
  // own is left to it (as deb-systemd-invoke leaves a static unit), so a timer's job does not run
  // at install time and a socket-activated service is not started without its socket.
  const activators = activatable.filter((u) => /\.(socket|timer|path)$/.test(u));
  const activated = activators.some((u) => u.slice(0, u.lastIndexOf('.')) === name);
  const startUnits = start ? [...(activated ? [] : [unit]), ...activators] : [];

  const environment = Object.entries(spec.environment ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k] of environment) if (!isEnvName(k)) throw bad(`${where}.environment`, k, 'is not a valid environment variable name', 'use letters, digits and "_", not starting with a digit');
  const environmentFile = spec.environmentFile === false ? undefined : (spec.environmentFile ?? `/etc/default/${name}`);
  if (environmentFile !== undefined && (!environmentFile.startsWith('/') || /[\x00-\x1f\s]/.test(environmentFile))) {
    throw bad(`${where}.environmentFile`, environmentFile, 'is not an absolute path without spaces', 'use a path such as /etc/default/myapp');
  }
  const workingDirectory = spec.workingDirectory ?? app?.dir;
  if (workingDirectory !== undefined && !workingDirectory.startsWith('/')) {
    throw bad(`${where}.workingDirectory`, workingDirectory, 'is not an absolute path', 'use an absolute path such as /usr/lib/myapp');
  }
  const stateDirectories = dirs(spec.stateDirectory, name, `${where}.stateDirectory`);
  const logsDirectories = dirs(spec.logsDirectory, name, `${where}.logsDirectory`);
  const runtimeDirectories = dirs(spec.runtimeDirectory, name, `${where}.runtimeDirectory`);

  const unitSec: Section = [['Description', systemdEscape(spec.description ?? name)], ['After', 'network.target']];
  const svcSec: Section = [['Type', spec.type ?? 'exec']];
  if (runAs.user !== 'root') svcSec.push(['User', runAs.user], ['Group', runAs.group]);
  if (workingDirectory) svcSec.push(['WorkingDirectory', systemdEscape(workingDirectory)]);
  if (environmentFile) svcSec.push(['EnvironmentFile', `-${systemdEscape(environmentFile)}`]);
  else if (environment.length > 0) svcSec.push(['Environment', environment.map(([k, v]) => unitQuote(`${k}=${v}`)).join(' ')]);
  const cmd = spec.unitFile === undefined ? command(spec, app, where) : undefined;
  if (cmd !== undefined && launcher) svcSec.push(...launcherDirectives(launcher.path, name, cmd, launcher.renderConfig, where));
  else if (cmd !== undefined) svcSec.push(['ExecStart', cmd]);
  svcSec.push(['Restart', spec.restart ?? 'on-failure']);
  if (spec.restartSec !== undefined) svcSec.push(['RestartSec', String(spec.restartSec)]);
  if (stateDirectories.length) svcSec.push(['StateDirectory', stateDirectories.join(' ')]);
  if (logsDirectories.length) svcSec.push(['LogsDirectory', logsDirectories.join(' ')]);
  if (runtimeDirectories.length) svcSec.push(['RuntimeDirectory', runtimeDirectories.join(' ')]);
  if (spec.hardening !== false) {
    const h = new Map<string, string | false>(HARDENING_DEFAULTS);
    for (const key of Object.keys(spec.hardening ?? {}).sort()) {
      checkKey(key, `${where}.hardening.${key}`);
      const v = spec.hardening![key];
      h.set(key, v === true ? 'yes' : v === false ? false : verbatim(v, `${where}.hardening.${key}`));
    }
    for (const [k, v] of h) if (v !== false) svcSec.push([k, v]);
  }
  const directives = {
    unit: merge(unitSec, spec.unit, `${where}.unit`),
    service: merge(svcSec, spec.service, `${where}.service`),
    install: merge([['WantedBy', 'multi-user.target']], spec.install, `${where}.install`),
  };
  const service: ResolvedService = {
    name,
    unit,
    units,
    startUnits,
    generated: spec.unitFile === undefined,
    user: runAs.user,
    group: runAs.group,
    environmentFile,
    environment,
    stateDirectories,
    logsDirectories,
    runtimeDirectories,
    directives,
    enable,
    start,
    onUpgrade: spec.onUpgrade ?? 'restart',
    failOnStartError: spec.failOnStartError ?? false,
    ...(cmd !== undefined ? { command: cmd } : {}),
  };
  return { service, unitFiles, warnings };
}
