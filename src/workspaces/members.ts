/**
 * Loading a monorepo for a workspaces build. Precedence of a member's config, highest first:
 * the member's own config (mkpkg.config.* > its package.json `mkpkg` key) > the root config's
 * shared keys ({@link SHARED_KEYS}) > the member's package.json fields > defaults. The CLI flags
 * that make sense for every member (--release, --arch, --compression, --level) stay on top.
 */
import { loadProject, type CliOverrides, type LoadedProject } from '../config/load.js';
import type { ConfigLayer } from '../config/merge.js';
import { packageName } from '../config/names.js';
import { formatView, resolveVersion } from '../config/resolve-common.js';
import type { ValidConfig, WorkspacesSpec } from '../config/schema.js';
import { releaseString } from '../config/version.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { FormatName } from '../formats/types.js';
import { formatDebianVersion } from '../versions/debian.js';
import { formatEVR } from '../versions/rpm.js';
import { dependencyRelations, type DependencyTarget } from './constraints.js';
import type { Workspace } from './discover.js';

/** Root config keys every member inherits (unless its own config sets them). */
export const SHARED_KEYS = [
  'maintainer', 'vendor', 'homepage', 'license', 'release', 'epoch', 'section', 'priority', 'group', 'arch',
  'compression', 'level', 'shlibDeps', 'compressMan', 'strip', 'debugPackage', 'mangleShebangs', 'outputs',
] as const satisfies readonly (keyof ValidConfig)[];

/** The root's config as a workspaces build reads it. */
export interface RootConfig {
  project: LoadedProject;
  /** The shared keys set in the root's config file or package.json `mkpkg` key. */
  shared: ValidConfig;
  spec?: WorkspacesSpec;
  warnings: Warning[];
}

/** Load the root and split its config into the shared layer, the `workspaces` key and ignored keys (warned). */
export async function loadRoot(dir: string, configFile?: string): Promise<RootConfig> {
  const project = await loadProject(dir, { configFile });
  const own = (k: string) => project.origins[k as keyof ValidConfig] === 'config' || project.origins[k as keyof ValidConfig] === 'package.json#mkpkg';
  const shared = Object.fromEntries(SHARED_KEYS.filter(own).map((k) => [k, project.config[k]])) as ValidConfig;
  const ignored = Object.keys(project.config).filter((k) => own(k) && !(SHARED_KEYS as readonly string[]).includes(k) && k !== 'workspaces' && k !== '$schema');
  const warnings: Warning[] = [];
  if (ignored.length) {
    warnings.push({ code: 'W_WORKSPACE_ROOT_KEY', message: `the root config's ${ignored.sort().join(', ')} ${ignored.length > 1 ? 'are' : 'is'} not shared with workspaces and not used by a workspaces build (shared: ${SHARED_KEYS.join(', ')})` });
  }
  return { project, shared, spec: project.config.workspaces, warnings };
}

/** A loaded member with what other packages need to know about it, per format. */
export interface Member {
  workspace: Workspace;
  project: LoadedProject;
  /** Package name, upstream version and full version (`[E:]upstream-release`) per format. */
  formats: Record<FormatName, { name: string; upstream: string; full: string }>;
}

/** Load one member with the root's shared layer (its own `workspaces` key is refused). */
export async function loadMember(ws: Workspace, shared: ValidConfig, cli: CliOverrides): Promise<Member> {
  const project = await loadProject(ws.dir, { cli, layers: [{ name: 'workspace-root', config: shared }] });
  if (project.config.workspaces !== undefined) {
    throw new MkpkgError('E_CONFIG_INVALID', `${ws.rel}: workspaces: only the monorepo root's config may set workspaces`, { hint: `remove the workspaces key from ${ws.rel}'s config`, details: { workspace: ws.rel } });
  }
  const formats = {} as Member['formats'];
  for (const f of ['deb', 'rpm'] as const) {
    const v = formatView(project, f);
    const upstream = resolveVersion(v).upstream;
    const release = releaseString(v.config.release);
    const full = f === 'deb'
      ? formatDebianVersion({ epoch: v.config.epoch, upstream, revision: release }, v.fieldOf('release'))
      : formatEVR({ epoch: v.config.epoch, version: upstream, release });
    formats[f] = { name: packageName(project, f).name, upstream, full };
  }
  return { workspace: ws, project, formats };
}

/**
 * The top config layer of a member: per format, its own depends plus one relation set per
 * runtime dependency on another workspace (see constraints.ts).
 */
export function generatedDependsLayer(member: Member, all: ReadonlyMap<string, Member>): ConfigLayer {
  const overrides: Record<string, { depends: string[] }> = {};
  for (const f of ['deb', 'rpm'] as const) {
    const own = member.project.config.overrides?.[f]?.depends ?? member.project.config.depends ?? [];
    const generated = Object.entries(member.workspace.workspaceDeps).sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([dep, spec]) => {
      const target = all.get(dep)!;
      const t: DependencyTarget = { npmName: dep, npmVersion: target.workspace.version, packageName: target.formats[f].name, upstream: target.formats[f].upstream, full: target.formats[f].full };
      return dependencyRelations(member.workspace.name, spec, t);
    });
    overrides[f] = { depends: [...own, ...generated] };
  }
  return { name: 'workspace-generated', config: { overrides } as ValidConfig };
}
