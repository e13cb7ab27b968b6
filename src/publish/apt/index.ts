/** The apt repository publisher: Packages/Release model, incremental publish, listing, config output. */
export { publishApt } from './publish.js';
export { aptRepository, publishAptRepository, type AptRepositoryOptions } from './output.js';
export { checkAptOptions, type AptPublishOptions } from './options.js';
export { listApt, type AptListing } from './list.js';
export { renderPackages, parsePackages, stanzaOf, type IndexEntry } from './packages.js';
export { renderRelease, parseRelease, rfc1123, type ReleaseInfo, type ReleaseFile, type ParsedRelease } from './release.js';
export { readDebInput, poolPath, checkControlText, type DebInput } from './deb-input.js';
