/** npm workspaces: one package per member, a metapackage, `--since`. */
export { buildWorkspaces, type WorkspacesBuildOptions, type WorkspacesBuildResult, type PlannedPackage } from './build.js';
export { dependencyRelations, type DependencyTarget } from './constraints.js';
export { discoverWorkspaces, type Workspace, type WorkspaceRoot } from './discover.js';
export { changedSince } from './git.js';
export { selectSince, selectWorkspaces, type SelectedWorkspace, type SinceSelection } from './select.js';
export { SHARED_KEYS } from './members.js';
export { configuresWorkspaces } from './configured.js';
