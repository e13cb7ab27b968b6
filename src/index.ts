/** mkpkg's public API. */
import { fileURLToPath } from 'node:url';
import { providePublicApi } from './config/user-modules.js';

// Config files and plugins loaded by this library's build() import this very module as 'mkpkg'.
providePublicApi({ entry: fileURLToPath(import.meta.url), load: () => import(import.meta.url) });

export { defineConfig, definePlugin, type UserConfig, type PipelineConfig, type HookConfig, type PipelineFn, type PluginRef } from './pipeline/define.js';
export type { MkpkgConfig, ValidConfig, ServiceSpec, ContentSpec, UserSpec, GroupSpec, MetadataOverride, AppSpec } from './config/schema.js';
export type { DebMetadata, RpmMetadata, RpmDependency } from './config/resolved.js';
export { MkpkgError, isMkpkgError, ERROR_CODES, type ErrorCode, type Warning } from './errors.js';
export { loadProject, type LoadedProject, type CliOverrides } from './config/load.js';
export { resolveDeb } from './config/resolve-deb.js';
export { resolveRpm } from './config/resolve-rpm.js';
export { normalizeArch, type Arch } from './config/arch.js';
export { build, sourceDateEpoch, type BuildResult } from './pipeline/build.js';
export { buildWorkspaces, type WorkspacesBuildOptions, type WorkspacesBuildResult, type PlannedPackage } from './workspaces/index.js';
export { stepEditing, type StepEditing } from './pipeline/runner.js';
export { withFiles, type AddedFile } from './pipeline/plan-edit.js';
export { shQuote, shQuoteList } from './templates/shell.js';
export { planLines } from './pipeline/print-plan.js';
export type {
  BuildContext, BuildOptions, DebTarget, RpmTarget, Target, Hooks, HookName, Output, Plugin, PublishResult, Step, StepInsertion,
} from './pipeline/types.js';
export type { Artifact, FormatName } from './formats/types.js';
export { formatOf } from './formats/registry.js';
export type { Format, BuildOutput, PackageIdentity, ScriptDependencies } from './formats/format.js';
export type { Plan, PlanEntry } from './plan/types.js';
export type { Reporter } from './reporter.js';
export { consoleReporter, silentReporter } from './reporter.js';
export {
  aptRepository, publishAptRepository, publishApt, listApt, yumRepository, publishYumRepository, publishYum, listYum, openStore,
  type AptRepositoryOptions, type AptPublishOptions, type AptListing, type YumRepositoryOptions, type YumPublishOptions, type YumListing,
  type PublishReport, type RepoStore,
} from './publish/index.js';
export { deploy, deployPackages, type DeployOptions, type DeployReport, type DeployRun, type HostResult } from './publish/deploy/index.js';
export { notify, sendNotification, type NotifyOptions, type NotifyOutcome, type ReleaseSummary } from './publish/notify/index.js';
