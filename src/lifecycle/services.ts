/** Service declarations → resolved services with defaults and unit-file directives. */
import { posix } from 'node:path';
import { invalidValue, MkpkgError, type Warning } from '../errors.js';
import type { ServiceSpec } from '../config/schema.js';
import { isEnvName } from '../templates/shell.js';
import { execLine, systemdEscape, unitQuote } from '../templates/systemd.js';
import { HARDENING_DEFAULTS, RESTART_POLICY, SYSTEMD_UNIT_DIR } from './defaults.js';
import { serviceDirNames, type DirectoryOwner } from './directories.js';
import { launcherDirectives } from './launcher.js';
import { renderAs } from './runtime.js';
import type { ResolvedService, UnitFileSpec } from './types.js';
import { unitLine, unitSeconds } from './unit-values.js';

type Section = [string, string][];

const bad = (where: string, value: unknown, why: string, hint: string) => invalidValue('E_SERVICE_INVALID', where, value, why, hint);

/** A raw directive value written in systemd syntax: one line, otherwise as given. */
const verbatim = unitLine;

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

/** A command line whose program is a bare `node`, run by the bundled runtime instead. */
function withBundledNode(cmd: string, node: string | undefined): string {
  return node && /^node(\s|$)/.test(cmd) ? execLine([node]) + cmd.slice(4) : cmd;
}

function command(spec: ServiceSpec, app: AppInfo | undefined, where: string): string {
  if (spec.command !== undefined) {
    const cmd = withBundledNode(verbatim(spec.command.trim(), `${where}.command`), app?.node);
    const first = cmd.split(/\s+/)[0].replace(/^["']/, '');
    if (first.includes('/') && !first.startsWith('/')) {
      throw bad(`${where}.command`, spec.command, 'starts with a relative path, which systemd does not accept', 'use an absolute path, e.g. "/usr/lib/myapp/bin/server", or a program name found on PATH such as "node server.js"');
    }
    return cmd.replace(/%/g, '%%');
  }
  if (app?.main) return execLine([app.node ?? '/usr/bin/node', posix.join(app.dir, app.main)]);
  if (app?.startScript) return execLine(['/bin/sh', '-c', `exec ${app.node ? withBundledNode(app.startScript, app.node) : app.startScript}`]);
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
  /** The bundled runtime's node (runtime.node); default /usr/bin/node. */
  node?: string;
}

/** Result of {@link resolveService}. */
export interface ServiceResolution {
  service: ResolvedService;
  unitFiles: UnitFileSpec[];
  warnings: Warning[];
}

/** How a service is wired to the launcher: where it is, and the runtime templates (destinations) the service renders. */
export interface LauncherWiring {
  path: string;
  renders: readonly string[];
}

/** The package a service belongs to: its name and the paths its plan ships (see directories.ts). */
export interface ServicePackage {
  pkg: string;
  shipped?: Pick<ReadonlyMap<string, boolean>, 'get'>;
}

/** `[Service]` Restart=/RestartSec= and `[Unit]` StartLimit*= of a generated unit (defaults: {@link RESTART_POLICY}). */
function restartPolicy(spec: ServiceSpec, where: string): { unit: Section; service: Section } {
  const restart = spec.restart ?? RESTART_POLICY.restart;
  const sec = spec.restartSec ?? RESTART_POLICY.restartSec;
  const interval = spec.startLimitIntervalSec ?? RESTART_POLICY.startLimitIntervalSec;
  const burst = spec.startLimitBurst ?? RESTART_POLICY.startLimitBurst;
  if (restart !== 'no' && burst * sec >= interval) {
    const field = spec.startLimitIntervalSec !== undefined ? 'startLimitIntervalSec' : spec.restartSec !== undefined ? 'restartSec' : 'startLimitBurst';
    throw bad(`${where}.${field}`, spec[field], `lets ${burst} restarts ${sec} s apart take longer than startLimitIntervalSec (${interval} s), so a service that keeps failing would be restarted forever`, 'make startLimitIntervalSec larger than startLimitBurst × restartSec');
  }
  return {
    unit: [['StartLimitIntervalSec', unitSeconds(interval, `${where}.startLimitIntervalSec`)], ['StartLimitBurst', String(burst)]],
    service: [['Restart', restart], ['RestartSec', unitSeconds(sec, `${where}.restartSec`)]],
  };
}

/** Resolve one service: defaults, validation, and the directives of its generated unit. */
export function resolveService(
  spec: ServiceSpec,
  index: number,
  app: AppInfo | undefined,
  runAs: { user: string; group: string },
  launcher?: LauncherWiring,
  pkg?: ServicePackage,
): ServiceResolution {
  const where = `services[${index}]`;
  const name = spec.name;
  if (!/^[A-Za-z0-9][A-Za-z0-9:_.-]*$/.test(name) || name.length > 200) {
    throw bad(`${where}.name`, spec.name, 'is not a valid systemd service name', 'use letters, digits, ":", "_", "." and "-" (no "@": template units are not generated)');
  }
  const owner: DirectoryOwner = { pkg: pkg?.pkg ?? name, service: name, shipped: pkg?.shipped ?? new Map() };
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
  if (spec.environmentFile === false) for (const [k, v] of environment) unitLine(v, `${where}.environment.${k}`);
  const environmentFile = spec.environmentFile === false ? undefined : (spec.environmentFile ?? `/etc/default/${name}`);
  if (environmentFile !== undefined && (!environmentFile.startsWith('/') || /[\x00-\x1f\s]/.test(environmentFile))) {
    throw bad(`${where}.environmentFile`, environmentFile, 'is not an absolute path without spaces', 'use a path such as /etc/default/myapp');
  }
  if (environmentFile !== undefined) unitLine(environmentFile, `${where}.environmentFile`);
  const workingDirectory = spec.workingDirectory ?? app?.dir;
  if (workingDirectory !== undefined && !workingDirectory.startsWith('/')) {
    throw bad(`${where}.workingDirectory`, workingDirectory, 'is not an absolute path', 'use an absolute path such as /usr/lib/myapp');
  }
  if (workingDirectory !== undefined) unitLine(workingDirectory, `${where}.workingDirectory`);
  const dirs = {
    stateDirectories: serviceDirNames('stateDirectory', spec.stateDirectory, name, where, owner),
    logsDirectories: serviceDirNames('logsDirectory', spec.logsDirectory, name, where, owner),
    cacheDirectories: serviceDirNames('cacheDirectory', spec.cacheDirectory, undefined, where, owner),
    runtimeDirectories: serviceDirNames('runtimeDirectory', spec.runtimeDirectory, name, where, owner),
  };
  const policy = restartPolicy(spec, where);

  const description = unitLine(spec.description ?? name, `${where}.description`);
  const unitSec: Section = [['Description', systemdEscape(description)], ['After', 'network.target'], ...policy.unit];
  const svcSec: Section = [['Type', spec.type ?? 'exec']];
  if (runAs.user !== 'root') svcSec.push(['User', runAs.user], ['Group', runAs.group]);
  if (workingDirectory) svcSec.push(['WorkingDirectory', systemdEscape(workingDirectory)]);
  if (environmentFile) svcSec.push(['EnvironmentFile', `-${systemdEscape(environmentFile)}`]);
  else if (environment.length > 0) svcSec.push(['Environment', environment.map(([k, v]) => unitQuote(`${k}=${v}`)).join(' ')]);
  const cmd = spec.unitFile === undefined ? command(spec, app, where) : undefined;
  if (cmd !== undefined && launcher) {
    const as = new Set(launcher.renders.map((dst) => renderAs(dst, runAs.user, dirs)));
    svcSec.push(...launcherDirectives(launcher.path, name, cmd, { root: as.has('root'), service: as.has('service') }, where));
  } else if (cmd !== undefined) svcSec.push(['ExecStart', cmd]);
  svcSec.push(...policy.service);
  if (dirs.stateDirectories.length) svcSec.push(['StateDirectory', dirs.stateDirectories.join(' ')]);
  if (dirs.logsDirectories.length) svcSec.push(['LogsDirectory', dirs.logsDirectories.join(' ')]);
  if (dirs.cacheDirectories.length) svcSec.push(['CacheDirectory', dirs.cacheDirectories.join(' ')]);
  if (dirs.runtimeDirectories.length) svcSec.push(['RuntimeDirectory', dirs.runtimeDirectories.join(' ')]);
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
    ...dirs,
    directives,
    enable,
    start,
    onUpgrade: spec.onUpgrade ?? 'restart',
    failOnStartError: spec.failOnStartError ?? false,
    ...(cmd !== undefined ? { command: cmd } : {}),
  };
  return { service, unitFiles, warnings };
}
