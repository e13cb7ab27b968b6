/**
 * `buildWorkspaces()`: package the members of an npm workspaces monorepo one package each, plus
 * the metapackage. Members are chosen by `workspaces` (flag, else config key), then narrowed by
 * `since` to those with changed files and their dependents; each member runs the ordinary pipeline
 * with the root's shared config layer, its generated dependencies and an install from the root lock file.
 */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { CliOverrides } from '../config/load.js';
import { releaseString, resolveUpstream } from '../config/version.js';
import type { WorkspacesSpec } from '../config/schema.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { Artifact } from '../formats/types.js';
import { build } from '../pipeline/build.js';
import { DEFAULT_OUT_DIR } from '../pipeline/own-files.js';
import type { BuildOptions } from '../pipeline/types.js';
import { silentReporter } from '../reporter.js';
import { discoverWorkspaces } from './discover.js';
import { changedSince } from './git.js';
import { installWorkspaceDependencies } from './install.js';
import { generatedDependsLayer, loadMember, loadRoot, type Member } from './members.js';
import { metapackageConfig, metapackageProject } from './metapackage.js';
import { selectSince, selectWorkspaces, type SelectedWorkspace } from './select.js';

/** Options of a workspaces build: a build's options (at the root) plus the selection. */
export interface WorkspacesBuildOptions extends Omit<BuildOptions, 'workspace' | 'stageDir' | 'until' | 'version'> {
  /** Names or globs (npm names or directories); `true` or empty: the config's selection, else all. */
  workspaces?: true | string[];
  /** Build only members changed since this git ref, and their dependents. */
  since?: string;
}

/** One package the build makes (or would make under dryRun), and why. */
export interface PlannedPackage {
  /** npm name of the member, or the metapackage's name. */
  name: string;
  kind: 'workspace' | 'metapackage';
  /** Package name and full version per format. */
  packages: { deb: string; rpm: string };
  reason: string;
  artifacts: Artifact[];
  warnings: Warning[];
}

/** What a workspaces build returns. */
export interface WorkspacesBuildResult {
  planned: PlannedPackage[];
  /** Members not built, with the reason (`--since`: unchanged). */
  skipped: { name: string; reason: string }[];
  /** Changed files outside every workspace (`--since`); they select nothing. */
  outside: string[];
  artifacts: Artifact[];
  warnings: Warning[];
}

/** The config's selection: `true`/object without `select` → all, a list → those. */
function configSelection(spec: WorkspacesSpec | undefined): true | string[] {
  if (spec === undefined || typeof spec === 'boolean') return true;
  if (Array.isArray(spec)) return spec;
  return spec.select ?? true;
}

/** Run a workspaces build in the monorepo root `options.dir`. */
export async function buildWorkspaces(options: WorkspacesBuildOptions = {}): Promise<WorkspacesBuildResult> {
  const reporter = options.reporter ?? silentReporter();
  const dir = resolve(options.dir ?? '.');
  const outDir = options.outDir !== undefined ? resolve(options.outDir) : join(dir, DEFAULT_OUT_DIR);
  const root = await loadRoot(dir, options.configFile);
  const warnings: Warning[] = [];
  for (const w of root.warnings) {
    if (options.strict) throw new MkpkgError('E_STRICT', `${w.code}: ${w.message}`, { hint: 'fix the cause, or drop --strict', details: { warning: w } });
    warnings.push(w);
    reporter.warn(w);
  }
  const discovered = await discoverWorkspaces(dir);
  const all = discovered.workspaces;
  if (!all.length) throw new MkpkgError('E_WORKSPACE', `the "workspaces" of ${join(dir, 'package.json')} match no directory with a package.json`, { hint: 'check the globs in package.json "workspaces"' });
  const fromConfig = configSelection(root.spec);
  const members = selectWorkspaces(all, fromConfig, 'workspaces');
  const wanted = options.workspaces === undefined || options.workspaces === true || options.workspaces.length === 0
    ? members : selectWorkspaces(all, options.workspaces);

  const cli: CliOverrides = { release: options.release, arch: options.arch, compression: options.compression, level: options.level };
  const loaded = new Map<string, Member>();
  for (const ws of all) loaded.set(ws.name, await loadMember(ws, root.shared, cli));

  let chosen: SelectedWorkspace[] = wanted.map((w) => ({ workspace: w, reason: options.since ? '' : 'selected' }));
  let outside: string[] = [];
  if (options.since) {
    const since = selectSince(all, wanted, await changedSince(dir, options.since));
    chosen = since.build;
    outside = since.outside;
  }
  const built = new Set(chosen.map((c) => c.workspace.name));
  const skipped = wanted.filter((w) => !built.has(w.name)).map((w) => ({ name: w.name, reason: `unchanged since ${options.since}` }));
  const planned: PlannedPackage[] = chosen.map((c) => {
    const f = loaded.get(c.workspace.name)!.formats;
    return { name: c.workspace.name, kind: 'workspace', packages: { deb: `${f.deb.name} ${f.deb.full}`, rpm: `${f.rpm.name} ${f.rpm.full}` }, reason: c.reason, artifacts: [], warnings: [] };
  });
  const metaSpec = typeof root.spec === 'object' && !Array.isArray(root.spec) ? root.spec.metapackage : undefined;
  const metaMembers = members.map((w) => loaded.get(w.name)!);
  const metaConfig = metaSpec ? metapackageConfig(metaSpec, root, metaMembers) : undefined;
  if (metaConfig && chosen.some((c) => members.includes(c.workspace))) {
    const full = `${resolveUpstream(metaConfig.version!, { explicit: true, format: 'deb', field: 'workspaces.metapackage.version' }).upstream}-${releaseString(metaConfig.release)}`;
    planned.push({
      name: metaConfig.name!, kind: 'metapackage', packages: { deb: `${metaConfig.name} ${full}`, rpm: `${metaConfig.name} ${full}` },
      reason: options.since ? `members changed: ${chosen.filter((c) => members.includes(c.workspace)).map((c) => c.workspace.name).join(', ')}` : 'metapackage of the workspaces', artifacts: [], warnings: [],
    });
  }
  // Every dependency relation is checked before anything is built.
  const layers = new Map(chosen.map((c) => [c.workspace.name, generatedDependsLayer(loaded.get(c.workspace.name)!, loaded)]));
  if (options.dryRun) return { planned, skipped, outside, artifacts: [], warnings };

  const artifacts = await buildPlanned(planned, { ...options, outDir, reporter }, async (p, common) => {
    if (p.kind === 'workspace') {
      const member = loaded.get(p.name)!;
      return build({
        ...common, dir: member.workspace.dir,
        workspace: {
          layers: [{ name: 'workspace-root', config: root.shared }, layers.get(p.name)!],
          installDependencies: (cpu) => installWorkspaceDependencies(discovered, member.workspace, { cpu, signal: options.signal, onPhase: (d) => reporter.phase?.('installing dependencies', d) }),
        },
      });
    }
    const meta = await metapackageProject(metaConfig!);
    try {
      return await build({ ...common, dir: meta.dir, workspace: { layers: [{ name: 'workspace-root', config: root.shared }] } });
    } finally {
      await meta.cleanup();
    }
  });
  for (const p of planned) warnings.push(...p.warnings);
  return { planned, skipped, outside, artifacts, warnings };
}

/**
 * Run one build per planned package into a hidden directory inside the output directory, then move
 * every package into place: a failure anywhere leaves the output directory as it was.
 */
async function buildPlanned(
  planned: PlannedPackage[], options: WorkspacesBuildOptions & { outDir: string },
  run: (p: PlannedPackage, common: BuildOptions) => Promise<{ artifacts: Artifact[]; warnings: Warning[] }>,
): Promise<Artifact[]> {
  if (!planned.length) return [];
  const created = await mkdir(options.outDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new MkpkgError('E_OUTPUT_UNWRITABLE', `cannot create output directory ${options.outDir} (${e.code})`, { hint: 'choose another directory with -o/--out' });
  });
  const staging = await mkdtemp(join(options.outDir, '.mkpkg-ws-'));
  const { workspaces: _w, since: _s, ...rest } = options;
  const common: BuildOptions = { ...rest, outDir: staging, configFile: undefined };
  let done = false;
  try {
    for (const p of planned) {
      options.reporter?.info(`${p.kind} ${p.name}: ${p.reason}`);
      const result = await run(p, common);
      p.artifacts = result.artifacts;
      p.warnings = result.warnings;
    }
    for (const p of planned) {
      p.artifacts = await Promise.all(p.artifacts.map(async (a) => {
        const to = join(options.outDir, basename(a.path));
        await rename(a.path, to);
        return { ...a, path: to };
      }));
    }
    done = true;
    return planned.flatMap((p) => p.artifacts);
  } finally {
    await rm(staging, { recursive: true, force: true });
    if (created && !done) await rm(created, { recursive: true, force: true });
  }
}
