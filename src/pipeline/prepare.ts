/**
 * The `verify` step's work: from a loaded project to one complete target per format
 * (resolved metadata, plan with generated files, maintainer scripts). Pure apart from
 * reading the source tree, running npm for the Node app layout, and rendering templates.
 */
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { LoadedProject } from '../config/load.js';
import { normalizeArch } from '../config/arch.js';
import { checkScripts } from '../config/check-metadata.js';
import type { ContentSpec } from '../config/schema.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { Format } from '../formats/format.js';
import { asTarget, formatOf } from '../formats/registry.js';
import type { FormatName, FormatTypes, PackageTarget } from '../formats/types.js';
import { assemblePlan, checkArch, detectArch, extendPlan, parseMode, planItems, planModeUses, scanNative, SourceScan, unsafeModeWarnings, type ContentInput } from '../plan/index.js';
import type { NodeAppLayout } from '../plan/node-app.js';
import { bundledNodePath } from '../plan/node-runtime.js';
import { namedProjectFile } from '../plan/roots.js';
import { findByPath, sortedByPath, type PlanEntry } from '../plan/types.js';
import { generateLifecycle, renderCopyright, renderDebChangelog, type LifecycleOutput } from '../lifecycle/index.js';
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
  /** Shared by the formats of one build (stripped files, dpkg database answers); cleaned up by the caller. */
  distro: DistroSession;
  /** Read once per build by {@link projectLifecycle}. */
  fromProject: ProjectLifecycle;
  /**
   * The build's pass over the source trees (shared by its formats; the package writers read
   * through its open files). Without it, the files are sniffed through a scan that keeps none open.
   */
  scan?: SourceScan;
}

export interface PrepareResult {
  target: Target;
  /** The debug-symbols package (`debugPackage: true`). */
  debugTarget?: Target;
  warnings: Warning[];
}

/** Paths of maintainer-script fragments, read relative to the project. */
async function readUserScripts(project: LoadedProject): Promise<{ deb?: Record<string, string>; rpm?: Record<string, string> }> {
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

/** What the lifecycle generator takes from the project itself, the same for every format. */
export type ProjectLifecycle = Awaited<ReturnType<typeof projectLifecycle>>;

/**
 * What the lifecycle generator takes from the project itself: services, accounts, app, hooks,
 * runtime templates, script fragments. Reads unit files and fragments: call it once per build.
 */
export async function projectLifecycle(project: LoadedProject, appDir: string | undefined) {
  const pj = project.packageJson;
  return {
    // A service whose own unit file names User= (or DynamicUser=) gets no system user created for it.
    services: await withUnitFileRunAs(project.dir, project.config.services ?? []),
    users: project.config.users ?? [],
    groups: project.config.groups ?? [],
    app: appDir !== undefined ? { dir: appDir, main: pj?.main, startScript: pj?.scripts?.start, ...(project.config.runtime?.node !== undefined ? { node: bundledNodePath(appDir) } : {}) } : undefined,
    bootHooks: project.config.bootHooks,
    runtimeTemplates: project.config.runtime?.templates,
    userScripts: await readUserScripts(project),
  };
}

/** The maintainer scripts the lifecycle generated, by format. */
export function lifecycleScripts(lifecycle: Pick<LifecycleOutput, 'debScripts' | 'rpmScripts'>): { [F in FormatName]: FormatTypes[F]['scripts'] } {
  return { deb: lifecycle.debScripts, rpm: lifecycle.rpmScripts };
}

/** Resolve metadata, plan and scripts for one format. */
export async function prepareTarget(input: PrepareInput): Promise<PrepareResult> {
  return prepareFor(formatOf(input.format), input);
}

async function prepareFor<K extends FormatName>(fmt: Format<K>, input: PrepareInput): Promise<PrepareResult> {
  const { project, sourceDateEpoch } = input;
  const format = fmt.name;
  const warnings: Warning[] = [];
  const packager = distroOptions(project.config);
  if (input.app && project.config.runtime?.node !== undefined) packager.bundledNode = bundledNodePath(input.app.appDir);
  const pj = project.packageJson;
  const contents: (ContentSpec | ContentInput)[] = [
    ...(project.config.contents ?? []),
    ...(input.app && pj ? npmManContents(pj, project.dir) : []),
  ];

  // The source tree is walked once, each file opened once and sniffed for ELF as it is planned; the
  // plan is assembled once, then extended by the generated entries and unit files.
  const scan = input.scan ?? new SourceScan({ keepOpen: 0 });
  const base = await planItems({ projectDir: project.dir, contents, format, sourceDateEpoch, app: input.app, scan });
  const firstPass = assemblePlan(base.items, sourceDateEpoch);
  const native = await scanNative(firstPass.entries, firstPass.origins, project.dir, scan);
  const arch = normalizeArch(project.config.arch ?? detectArch(native));
  checkArch(native, arch.deb);

  const resolved = fmt.resolve(project, arch);
  warnings.push(...resolved.warnings);
  const identity = fmt.identity(resolved.meta);
  const { name, version } = identity;

  const ownedPaths = firstPass.entries
    .filter((e) => (e.owner !== 'root' || e.group !== 'root') && (e.kind === 'dir' || e.kind === 'file' || e.kind === 'data'))
    .map((e) => ({ path: e.path, owner: e.owner, group: e.group, mode: e.mode, kind: e.kind === 'dir' ? ('dir' as const) : ('file' as const) }));
  const lifecycle = generateLifecycle({
    ...input.fromProject,
    packageName: name,
    version,
    ownedPaths,
    planPaths: firstPass.entries,
    slots: input.slots,
    lookup: input.lookup,
    format,
    mtime: sourceDateEpoch,
    launcher: placeLauncher(name, project.config.launcher, project.config.services ?? [], (p) => (firstPass.entries.some((e) => e.path === p) ? firstPass.origins.get(p) : undefined)),
  });
  warnings.push(...lifecycle.warnings);
  const scripts = lifecycleScripts(lifecycle)[format];
  checkScripts(scripts, format);

  const generated: PlanEntry[] = [...lifecycle.entries];
  const unitContents: ContentInput[] = lifecycle.unitFiles.map((u) => ({ src: u.source, dst: u.path, mode: u.mode, type: 'file' as const, label: `the unit file ${u.path}` }));
  for (const f of lifecycle.files) unitContents.push({ src: f.source, dst: f.path, mode: f.mode, type: 'file' as const, label: `the file ${f.path} (bootHooks / runtime.templates)` });
  if (fmt.debianDocs) {
    const maintainer = identity.maintainer ?? '';
    generated.push(
      renderCopyright(
        { packageName: name, homepage: identity.homepage, license: project.config.license, copyrightHolder: maintainer, year: new Date(sourceDateEpoch * 1000).getUTCFullYear(), mtime: sourceDateEpoch },
        input.lookup,
      ),
      renderDebChangelog({ packageName: name, version, maintainer, mtime: sourceDateEpoch }, input.lookup),
    );
  }
  const extra = await planItems({ projectDir: project.dir, contents: unitContents, format, sourceDateEpoch, generated });
  const assembled = extendPlan(firstPass, base.items, extra.items, sourceDateEpoch);
  const plan = { entries: assembled.entries };
  warnings.push(...base.warnings, ...extra.warnings, ...unsafeModeWarnings([
    ...planModeUses(plan.entries, assembled.origins),
    ...(project.config.runtime?.templates ?? []).flatMap((t, i) => (t.mode === undefined ? [] : [{ path: t.dst, kind: 'file' as const, mode: parseMode(t.mode, `runtime.templates[${i}].mode`), origin: `runtime.templates[${i}], rendered at start` }])),
  ]));

  warnings.push(...missingMainWarnings(project, input.app, plan.entries));

  const meta = fmt.withScriptDependencies(resolved.meta, { deb: lifecycle.debDepends, rpm: lifecycle.rpmRequires });
  const target: PackageTarget<K> = { format, plan, meta, scripts };
  const done = await applyDistro(asTarget(target), native, packager, input.distro, sourceDateEpoch, input.lookup);
  warnings.push(...done.warnings);
  return { target: done.target, ...(done.debugTarget ? { debugTarget: done.debugTarget } : {}), warnings };
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
  const sorted = sortedByPath(entries);
  if (MAIN_CANDIDATES.some((c) => { const e = findByPath(sorted, base + c); return e !== undefined && e.kind !== 'dir'; })) return [];
  return [{
    code: 'W_SERVICE_MAIN_MISSING',
    message: `service${defaulted.length > 1 ? 's' : ''} ${defaulted.map((s) => JSON.stringify(s.name)).join(', ')} would run "node ${base}", but package.json "main" (${JSON.stringify(main)}) is not in the package: build it first, add it to package.json "files", or set services[].command`,
  }];
}
