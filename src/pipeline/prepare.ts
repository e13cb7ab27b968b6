/**
 * The `verify` step's work: from a loaded project to one complete target per format
 * (resolved metadata, plan with generated files, maintainer scripts). Pure apart from
 * reading the source tree, running npm for the Node app layout, and rendering templates.
 */
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { LoadedProject } from '../config/load.js';
import { normalizeArch } from '../config/arch.js';
import { resolveDeb } from '../config/resolve-deb.js';
import { resolveRpm } from '../config/resolve-rpm.js';
import { checkScripts } from '../config/check-metadata.js';
import type { DebMetadata, RpmMetadata } from '../config/resolved.js';
import type { ContentSpec } from '../config/schema.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { FormatName } from '../formats/types.js';
import { assemblePlan, checkArch, detectArch, parseMode, planItems, planModeUses, scanNative, unsafeModeWarnings, type ContentInput } from '../plan/index.js';
import type { NodeAppLayout } from '../plan/node-app.js';
import { namedProjectFile } from '../plan/roots.js';
import type { PlanEntry } from '../plan/types.js';
import { generateLifecycle, renderCopyright, renderDebChangelog } from '../lifecycle/index.js';
import type { TemplateLookup } from '../templates/index.js';
import { placeLauncher } from './launcher-place.js';
import { withUnitFileRunAs } from '../lifecycle/unit-file-user.js';
import { applyDistro, distroOptions, npmManContents, type DistroSession } from '../distro/index.js';
import type { Target } from './types.js';

/** Inputs shared by every format of one build. */
export interface PrepareInput {
  project: LoadedProject;
  format: FormatName;
  sourceDateEpoch: number;
  app?: NodeAppLayout;
  lookup: TemplateLookup;
  slots: Record<string, string[]>;
  /** Explicit architecture from CLI or config, any spelling. */
  arch?: string;
  /** Shared by the formats of one build (stripped files, dpkg database answers); cleaned up by the caller. */
  distro: DistroSession;
}

export interface PrepareResult {
  target: Target;
  /** The debug-symbols package (`debugPackage: true`). */
  debugTarget?: Target;
  warnings: Warning[];
}

/** Paths of maintainer-script fragments, read relative to the project. */
export async function readUserScripts(project: LoadedProject): Promise<{ deb?: Record<string, string>; rpm?: Record<string, string> }> {
  const out: { deb?: Record<string, string>; rpm?: Record<string, string> } = {};
  for (const fmt of ['deb', 'rpm'] as const) {
    const specs = project.config.scripts?.[fmt];
    if (!specs) continue;
    const bodies: Record<string, string> = {};
    for (const [name, rel] of Object.entries(specs)) {
      if (!rel) continue;
      const path = namedProjectFile(project.dir, rel, `scripts.${fmt}.${name}`);
      try {
        bodies[name] = await readFile(path, 'utf8');
      } catch (e) {
        throw new MkpkgError('E_SOURCE_MISSING', `scripts.${fmt}.${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code})`, {
          hint: 'the path is relative to the project directory',
        });
      }
    }
    out[fmt] = bodies;
  }
  return out;
}

/** What the lifecycle generator takes from the project itself: services, accounts, app, hooks, runtime templates. */
export async function projectLifecycle(project: LoadedProject, appDir: string | undefined) {
  const pj = project.packageJson;
  return {
    // A service whose own unit file names User= (or DynamicUser=) gets no system user created for it.
    services: await withUnitFileRunAs(project.dir, project.config.services ?? []),
    users: project.config.users ?? [],
    groups: project.config.groups ?? [],
    app: appDir !== undefined ? { dir: appDir, main: pj?.main, startScript: pj?.scripts?.start } : undefined,
    bootHooks: project.config.bootHooks,
    runtimeTemplates: project.config.runtime?.templates,
  };
}

/** Resolve metadata, plan and scripts for one format. */
export async function prepareTarget(input: PrepareInput): Promise<PrepareResult> {
  const { project, format, sourceDateEpoch } = input;
  const warnings: Warning[] = [];
  const packager = distroOptions(project.config);
  const pj = project.packageJson;
  const contents: (ContentSpec | ContentInput)[] = [
    ...(project.config.contents ?? []),
    ...(input.app && pj ? npmManContents(pj, project.dir) : []),
  ];

  // The source tree is walked and scanned for ELF files once; the second pass only adds the
  // generated entries and unit files to the same expanded items.
  const base = await planItems({ projectDir: project.dir, contents, format, sourceDateEpoch, app: input.app });
  const firstPass = assemblePlan(base.items, sourceDateEpoch);
  const native = await scanNative(firstPass.entries, { get: (path) => firstPass.origins.get(path) }, project.dir);
  const requested = input.arch ?? project.config.arch;
  const arch = requested ? normalizeArch(requested) : normalizeArch(detectArch(native));
  checkArch(native, arch.deb);

  const resolved = format === 'deb' ? resolveDeb(project, { deb: arch.deb }) : resolveRpm(project, { rpm: arch.rpm });
  warnings.push(...resolved.warnings);
  const name = format === 'deb' ? (resolved.meta as DebMetadata).package : (resolved.meta as RpmMetadata).name;
  const version = format === 'deb' ? (resolved.meta as DebMetadata).version : (resolved.meta as RpmMetadata).version;

  const ownedPaths = firstPass.entries
    .filter((e) => (e.owner !== 'root' || e.group !== 'root') && (e.kind === 'dir' || e.kind === 'file' || e.kind === 'data'))
    .map((e) => ({ path: e.path, owner: e.owner, group: e.group, mode: e.mode, kind: e.kind === 'dir' ? ('dir' as const) : ('file' as const) }));
  const userScripts = await readUserScripts(project);
  const lifecycle = generateLifecycle({
    ...(await projectLifecycle(project, input.app?.appDir)),
    packageName: name,
    version,
    ownedPaths,
    planPaths: firstPass.entries.map((e) => ({ path: e.path, dir: e.kind === 'dir' })),
    userScripts,
    slots: input.slots,
    lookup: input.lookup,
    format,
    mtime: sourceDateEpoch,
    launcher: placeLauncher(name, project.config.launcher, project.config.services ?? [], (p) => (firstPass.entries.some((e) => e.path === p) ? firstPass.origins.get(p) : undefined)),
  });
  warnings.push(...lifecycle.warnings);
  checkScripts(format === 'deb' ? lifecycle.debScripts : lifecycle.rpmScripts, format);

  const generated: PlanEntry[] = [...lifecycle.entries];
  const unitContents: ContentInput[] = lifecycle.unitFiles.map((u) => ({ src: u.source, dst: u.path, mode: u.mode, type: 'file' as const, label: `the unit file ${u.path}` }));
  for (const f of lifecycle.files) unitContents.push({ src: f.source, dst: f.path, mode: f.mode, type: 'file' as const, label: `the file ${f.path} (bootHooks / runtime.templates)` });
  if (format === 'deb') {
    const meta = resolved.meta as DebMetadata;
    generated.push(
      renderCopyright(
        { packageName: meta.package, homepage: meta.homepage, license: project.config.license, copyrightHolder: meta.maintainer, year: new Date(sourceDateEpoch * 1000).getUTCFullYear(), mtime: sourceDateEpoch },
        input.lookup,
      ),
      renderDebChangelog({ packageName: meta.package, version: meta.version, maintainer: meta.maintainer, mtime: sourceDateEpoch }, input.lookup),
    );
  }
  const extra = await planItems({ projectDir: project.dir, contents: unitContents, format, sourceDateEpoch, generated });
  const assembled = assemblePlan([...base.items, ...extra.items], sourceDateEpoch);
  const plan = { entries: assembled.entries };
  warnings.push(...base.warnings, ...extra.warnings, ...unsafeModeWarnings([
    ...planModeUses(plan.entries, assembled.origins),
    ...(project.config.runtime?.templates ?? []).flatMap((t, i) => (t.mode === undefined ? [] : [{ path: t.dst, kind: 'file' as const, mode: parseMode(t.mode, `runtime.templates[${i}].mode`), origin: `runtime.templates[${i}], rendered at start` }])),
  ]));

  warnings.push(...missingMainWarnings(project, input.app, plan.entries));

  let target: Target;
  if (format === 'deb') {
    const meta = resolved.meta as DebMetadata;
    if (lifecycle.debDepends.length) meta.relations.Depends = dedupe([...(meta.relations.Depends ?? []), ...lifecycle.debDepends]);
    target = { format, plan, meta, scripts: lifecycle.debScripts };
  } else {
    const meta = resolved.meta as RpmMetadata;
    meta.relations.requires = [...meta.relations.requires, ...lifecycle.rpmRequires];
    target = { format, plan, meta, scripts: lifecycle.rpmScripts };
  }
  const done = await applyDistro(target, native, packager, input.distro, sourceDateEpoch);
  warnings.push(...done.warnings);
  return { target: done.target, ...(done.debugTarget ? { debugTarget: done.debugTarget } : {}), warnings };
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}

/** What `node MAIN` would load: MAIN itself, with an extension added, or a directory's index. */
const MAIN_CANDIDATES = ['', '.js', '.cjs', '.mjs', '.json', '.node', '/index.js', '/index.cjs', '/index.mjs', '/index.json', '/index.node'];

/** A service started with the default `node MAIN` whose package.json `main` is not in the package. */
function missingMainWarnings(project: LoadedProject, app: NodeAppLayout | undefined, entries: readonly PlanEntry[]): Warning[] {
  const main = project.packageJson?.main;
  if (!app || !main) return [];
  const defaulted = (project.config.services ?? []).filter((s) => s.command === undefined && s.unitFile === undefined);
  if (!defaulted.length) return [];
  const base = posix.join(app.appDir, main).replace(/\/$/, '');
  const paths = new Set(entries.filter((e) => e.kind !== 'dir').map((e) => e.path));
  if (MAIN_CANDIDATES.some((c) => paths.has(base + c))) return [];
  return [{
    code: 'W_SERVICE_MAIN_MISSING',
    message: `service${defaulted.length > 1 ? 's' : ''} ${defaulted.map((s) => JSON.stringify(s.name)).join(', ')} would run "node ${base}", but package.json "main" (${JSON.stringify(main)}) is not in the package: build it first, add it to package.json "files", or set services[].command`,
  }];
}
