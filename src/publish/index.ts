/** Outputs that act on finished packages: repositories (apt), and their building blocks. */
export { aptRepository, publishAptRepository, type AptRepositoryOptions, type AptPublishResult } from './apt-repo.js';
export { packagesIndex, packageStanza, poolDir, releaseText, rfc1123, type PoolPackage, type IndexFile, type ReleaseInput } from './apt-index.js';
export { readRepoKey, signRelease, type ReleaseSignatures } from './apt-sign.js';
export { digestBytes, digestFile, type Digests } from './digests.js';
export { deploy, deployPackages, type DeployOptions, type DeployReport, type DeployRun, type HostResult } from './deploy/index.js';
export { notify, sendNotification, type NotifyOptions, type NotifyOutcome, type ReleaseSummary } from './notify/index.js';
export { readPackageFile, type PackageFile } from './package-file.js';
