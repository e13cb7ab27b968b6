/** Outputs that act on finished packages: apt and yum repositories (in a directory or on S3), and their building blocks. */
export {
  aptRepository, publishAptRepository, publishApt, listApt, checkAptOptions, renderPackages, parsePackages, renderRelease, parseRelease, rfc1123,
  poolPath, type AptRepositoryOptions, type AptPublishOptions, type AptListing, type IndexEntry, type ReleaseInfo, type ReleaseFile,
} from './apt/index.js';
export {
  yumRepository, publishYumRepository, publishYum, listYum, type YumRepositoryOptions, type YumPublishOptions, type YumListing,
} from './yum/index.js';
export { openStore, LocalStore, S3Store, objectPolicy, type RepoStore, type StoreOptions, type S3Target, type StoredObject, type LockHolder } from './store/index.js';
export { reportLines, type PublishReport } from './report.js';
export { digestBytes, digestFile, type Digests } from './digests.js';
export { deploy, deployPackages, type DeployOptions, type DeployReport, type DeployRun, type HostResult } from './deploy/index.js';
export { notify, sendNotification, type NotifyOptions, type NotifyOutcome, type ReleaseSummary } from './notify/index.js';
export { readPackageFile, type PackageFile } from './package-file.js';
