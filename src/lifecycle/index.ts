/** The service lifecycle: units, env files, users and maintainer scripts for .deb and .rpm. */
export { generateLifecycle } from './generate.js';
export { renderCopyright, type CopyrightInput } from './copyright.js';
export { renderDebChangelog, changelogDate, type DebChangelogInput } from './changelog.js';
export { licenseStanza, type LicenseStanza } from './licenses.js';
export { defaultServiceUser, resolveAccounts, type Accounts } from './users.js';
export { resolveService, type AppInfo, type ServiceResolution } from './services.js';
export { hasCommands, DEB_SCRIPT_NAMES, RPM_SCRIPT_NAMES } from './scripts.js';
export { HARDENING_DEFAULTS, MARKER_ROOT, SYSTEMD_UNIT_DIR } from './defaults.js';
export type { LifecycleInput, LifecycleOutput, OwnedPath, ResolvedGroup, ResolvedService, ResolvedUser, UnitFileSpec } from './types.js';
export { HOOK_STAGES, hookDirs, resolveBootHooks, type HookStage } from './hooks.js';
export { resolveRuntimeTemplates, templateServices, RUNTIME_DEFAULT_MODE, type RenderTarget, type RuntimeResolution } from './runtime.js';
export {
  buildLauncherModel, launcherDirectives, renderLauncher, resolveLauncherPath,
  type LauncherModel, type LauncherModelInput, type LauncherService,
} from './launcher.js';
export type { ProjectFileSpec } from './types.js';
