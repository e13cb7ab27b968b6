/** Deploying packages to hosts over SSH: a rolling, health-checked upgrade (`mkpkg deploy`, `deploy({...})`). */
export { deploy, hostSummary } from './output.js';
export { deployPackages, type DeployRun, type DeployRunHooks } from './rollout.js';
export { deployOptionsSchema, type DeployOptions } from './options.js';
export type { DeployReport, HostResult, PackageChange, RollbackResult, RolledBackPackage, ErrorInfo } from './types.js';
export type { ServiceState, HealthResult } from './health.js';
export { parseKnownHosts, judgeHostKey, knownHostName, type KnownHostEntry, type HostKeyVerdict } from './known-hosts.js';
export { KEPT_DIR } from './kept.js';
