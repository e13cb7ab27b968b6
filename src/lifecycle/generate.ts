/** The service lifecycle generator: services, users and owned paths → units, env files, scripts. */
import type { Warning } from '../errors.js';
import { MkpkgError } from '../errors.js';
import { RPMSENSE, type RpmDependency } from '../config/resolved.js';
import { comparePaths, findByPath, sortedByPath, type DataEntry } from '../plan/types.js';
import { renderTemplate, type SlotFragments } from '../templates/render.js';
import { START_CHECK_SECONDS, SYSTEMD_UNIT_DIR } from './defaults.js';
import { DEB_SCRIPT_NAMES, RPM_SCRIPT_NAMES, renderDebScripts, renderRpmScripts } from './scripts.js';
import { resolveService } from './services.js';
import type { LifecycleInput, LifecycleOutput, OwnedPath, ResolvedService, ShippedPath, UnitFileSpec } from './types.js';
import { resolveAccounts } from './users.js';
import { resolveBootHooks } from './hooks.js';
import { buildLauncherModel, renderLauncher, resolveLauncherPath } from './launcher.js';
import { resolveRuntimeTemplates, templateDestinations, templateServices } from './runtime.js';
import { scriptPlan, type ScriptFamily } from './script-plan.js';
import { unitSignature, unitSignatureShell } from './unit-signature.js';
import { checkEnvironmentFiles, userWritableDirs } from './directories.js';

function mergeSlots(input: LifecycleInput): SlotFragments {
  const slots: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(input.slots ?? {})) slots[k] = [...v];
  const add = (key: string, text: string | undefined) => {
    if (text !== undefined && text.trim() !== '') slots[key] = [text, ...(slots[key] ?? [])];
  };
  for (const n of DEB_SCRIPT_NAMES) add(`deb/${n}`, input.userScripts.deb?.[n]);
  for (const n of RPM_SCRIPT_NAMES) add(`rpm/${n}`, input.userScripts.rpm?.[n]);
  return slots;
}

function dataEntry(path: string, data: string, mtime: number, config = false): DataEntry {
  return { kind: 'data', path, data, mode: 0o644, owner: 'root', group: 'root', mtime, flags: config ? { config: true, noreplace: true } : {} };
}

function ownerWarnings(paths: readonly OwnedPath[], users: Set<string>, groups: Set<string>): Warning[] {
  const out: Warning[] = [];
  for (const p of paths) {
    if (p.owner !== 'root' && !users.has(p.owner)) out.push({ code: 'W_OWNER_UNDECLARED', message: `${p.path} is owned by user ${JSON.stringify(p.owner)}, which the package does not create; the install fails where it does not exist` });
    if (p.group !== 'root' && !groups.has(p.group)) out.push({ code: 'W_OWNER_UNDECLARED', message: `${p.path} has group ${JSON.stringify(p.group)}, which the package does not create; the install fails where it does not exist` });
  }
  return out;
}

/** Whether the plan ships a path as a directory, as something else, or not at all: looked up in the sorted plan. */
function shippedLookup(paths: readonly ShippedPath[]): Pick<ReadonlyMap<string, boolean>, 'get'> {
  const sorted = sortedByPath(paths);
  return { get: (path) => { const e = findByPath(sorted, path); return e && e.kind === 'dir'; } };
}

/**
 * Generate everything a package needs to run its services: unit files, EnvironmentFile
 * conffiles, the .deb maintainer scripts and .rpm scriptlets, and the dependencies those
 * scripts need. Pure apart from rendering templates and checking each script with `sh -n`.
 */
export function generateLifecycle(input: LifecycleInput): LifecycleOutput {
  const pkg = input.packageName;
  if (!/^[A-Za-z0-9][A-Za-z0-9.+_-]*$/.test(pkg)) {
    throw new MkpkgError('E_METADATA_INVALID', `package name ${JSON.stringify(pkg)} cannot be used in maintainer scripts`, { hint: 'use letters, digits, ".", "+", "_" and "-"' });
  }
  const mtime = input.mtime ?? 0;
  const accounts = resolveAccounts(pkg, input.services, input.users, input.groups);
  const warnings: Warning[] = [...accounts.warnings];
  const unitFiles: UnitFileSpec[] = [];
  // The launcher, boot hooks and runtime templates (see launcher.ts, hooks.ts, runtime.ts).
  const launcherPath = resolveLauncherPath(pkg, input.launcher, input.services.length > 0);
  const runtimeSpecs = input.runtimeTemplates ?? [];
  const hookFiles = resolveBootHooks(pkg, input.bootHooks);
  if (launcherPath === null && runtimeSpecs.length + hookFiles.length > 0) {
    throw new MkpkgError('E_LAUNCHER_INVALID', `${runtimeSpecs.length ? 'runtime.templates' : 'bootHooks'} needs the launcher, which is ${input.launcher === false ? 'turned off (launcher: false)' : 'off for a package without services'}`, {
      hint: 'the launcher renders runtime templates and runs boot hooks: remove "launcher: false", or set "launcher: {}"',
    });
  }
  templateServices(runtimeSpecs, input.services.map((s) => s.name));
  const shipped = shippedLookup(input.planPaths ?? []);
  const services: ResolvedService[] = input.services.map((spec, i) => {
    const wiring = launcherPath === null ? undefined : { path: launcherPath, renders: templateDestinations(runtimeSpecs, spec.name) };
    const r = resolveService(spec, i, input.app, accounts.runAs[i], wiring, { pkg, shipped });
    warnings.push(...r.warnings);
    unitFiles.push(...r.unitFiles);
    return r.service;
  });
  const userDirs = userWritableDirs(services, input.ownedPaths);
  checkEnvironmentFiles(services, userDirs);
  const slots = mergeSlots(input);
  const base = { pkg, version: input.version, slots };

  const entries: DataEntry[] = [];
  for (const service of services) {
    if (service.generated) {
      entries.push(dataEntry(`${SYSTEMD_UNIT_DIR}/${service.unit}`, renderTemplate('systemd/service.ejs', { ...base, service, signature: unitSignature(service.unit, pkg) }, input.lookup).text, mtime));
    }
    if (service.environmentFile) {
      entries.push(dataEntry(service.environmentFile, renderTemplate('systemd/environment.ejs', { ...base, service }, input.lookup).text, mtime, true));
    }
  }
  const runtime = resolveRuntimeTemplates(pkg, runtimeSpecs, services, '', userDirs);
  const launcher = launcherPath === null ? null : buildLauncherModel({ pkg, version: input.version, path: launcherPath, app: input.app, services, runtime });
  if (launcher) entries.push({ ...dataEntry(launcher.path, renderLauncher(launcher, input.lookup, slots), mtime), mode: 0o755 });
  const files = [...hookFiles, ...runtime.files].sort((a, b) => comparePaths(a.path, b.path));
  const paths = [...entries.map((e) => e.path), ...unitFiles.map((u) => u.path)];
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) {
    throw new MkpkgError('E_SERVICE_INVALID', `two services generate ${dup}`, { hint: 'give each service its own name, environmentFile and unit files', details: { path: dup } });
  }
  entries.sort((a, b) => comparePaths(a.path, b.path));

  const ownedPaths = [...input.ownedPaths].sort((a, b) => comparePaths(a.path, b.path));
  const shipsHooks = hookFiles.length > 0;
  // The built-in scripts render `plan`. The values beside it are the context of the scripts before
  // the plan, taken from it, so project templates ejected earlier still render.
  const ctx = (family: ScriptFamily) => {
    const plan = scriptPlan({ family, pkg, services, users: accounts.users, groups: accounts.groups, ownedPaths, launcher, shipsHooks });
    return {
      ...base,
      plan,
      unitSignatureShell,
      startCheckSeconds: START_CHECK_SECONDS,
      services,
      launcher,
      marker: plan.markers.dir,
      users: plan.users,
      groups: plan.groups,
      ownedPaths: plan.ownedPaths,
      allUnits: plan.units,
      allUnitsReversed: plan.remove,
      purgeDirs: plan.purge.dirs,
      unitDir: plan.unitDir,
    };
  };
  const debScripts = input.format === 'rpm' ? {} : renderDebScripts(ctx('deb'), input.lookup);
  const rpmScripts = input.format === 'deb' ? {} : renderRpmScripts(ctx('rpm'), input.lookup);

  warnings.push(...ownerWarnings(ownedPaths, new Set(accounts.users.map((u) => u.name)), new Set(accounts.groups.map((g) => g.name))));
  const makesAccounts = accounts.users.length + accounts.groups.length > 0;
  const rpmRequires: RpmDependency[] = [];
  if (makesAccounts) {
    rpmRequires.push({ name: '/usr/bin/getent', flags: RPMSENSE.SCRIPT_PRE, version: '' });
    rpmRequires.push({ name: '/usr/sbin/groupadd', flags: RPMSENSE.SCRIPT_PRE, version: '' });
    if (accounts.users.length > 0) rpmRequires.push({ name: '/usr/sbin/useradd', flags: RPMSENSE.SCRIPT_PRE, version: '' });
  }
  return {
    entries,
    unitFiles: unitFiles.sort((a, b) => comparePaths(a.path, b.path)),
    files,
    debScripts,
    rpmScripts,
    debDepends: makesAccounts ? ['adduser'] : [],
    rpmRequires,
    warnings,
  };
}
