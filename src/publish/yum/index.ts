/** The yum/dnf repository publisher: repodata model and XML writer, incremental publish, listing, config output. */
export { publishYum, type YumPublishOptions } from './publish.js';
export { yumRepository, publishYumRepository, type YumRepositoryOptions } from './output.js';
export { listYum, type YumListing } from './list.js';
export { packageChunks, type PackageChunks } from './chunks.js';
export { renderRepomd, parseRepomd, renderDocument, splitPackages, type DataFile, type RepomdData } from './repodata.js';
