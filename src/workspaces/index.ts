/** npm workspaces: one package per member, a metapackage, `--since`. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadProject } from '../config/load.js';
import { workspaceGlobs } from './discover.js';

export { buildWorkspaces, type WorkspacesBuildOptions, type WorkspacesBuildResult, type PlannedPackage } from './build.js';
export { dependencyRelations, type DependencyTarget } from './constraints.js';
export { discoverWorkspaces, type Workspace, type WorkspaceRoot } from './discover.js';
export { changedSince } from './git.js';
export { selectSince, selectWorkspaces, type SelectedWorkspace, type SinceSelection } from './select.js';
export { SHARED_KEYS } from './members.js';

/** True when `dir` is an npm workspaces root whose config sets `workspaces` (a build there is a workspaces build). */
export async function configuresWorkspaces(dir: string, configFile?: string): Promise<boolean> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(await readFile(join(resolve(dir), 'package.json'), 'utf8'));
  } catch {
    return false;
  }
  if (!pkg || typeof pkg !== 'object' || !workspaceGlobs(pkg as Record<string, unknown>)?.length) return false;
  const project = await loadProject(dir, { configFile });
  return project.config.workspaces !== undefined && project.config.workspaces !== false;
}
