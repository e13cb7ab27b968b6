/** The lifecycle harness (a booted systemd in a container) and the `mkpkg verify` scenario engine. */
export { ensureRootfs, defaultCacheDir, rootfsKey, rootfsPackages, ROOTFS_PACKAGES, type RootfsOptions } from './rootfs.js';
export { bootContainer, Container, type BootOptions, type ExecOptions, type UnitState } from './container.js';
export { serveDirectory, type ServedDirectory } from './repo-server.js';
export {
  copyPackageIn, installDeb, removeDeb, purgeDeb, installRpm, eraseRpm, aptInstallFromRepo, aptSourceLine,
  dnfInstallFromRepo, dnfRemove, type RpmInstallOptions, type AptRepoOptions, type DnfRepoOptions,
} from './install.js';
export { inspectPackage, packageKind, serviceUnits, parseDebContents, type PackageInfo, type PackageKind } from './package-info.js';
export { CheckFailure, checkUnitsRunning, checkUnitsStopped, checkRestarted, leftovers, unitTraces } from './checks.js';
export { runScenario, formatTable, DEFAULT_SETTLE_MS, type StepResult, type ScenarioOptions, type ScenarioResult } from './scenario.js';
export { checkSettled, unitRun, parseHealthUrl, type SettleOptions, type UnitRun } from './settle.js';
export { assertVerifyHost, verifyHostProblems, type HostCheckOptions } from './host.js';
export { hostDebianMirror, pickDebianMirror, DEFAULT_DEBIAN_MIRROR } from './mirror.js';
export type { RunResult } from './proc.js';
