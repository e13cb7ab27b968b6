/** The native RPM v4 format: writer, reader and their building blocks. */
export { writeRpm, rpmFileName, type RpmWriteOptions } from './writer.js';
export { readRpm, inspectRpm, parseHeader, type RpmInspection, type InspectedFile, type InspectedDependency, type TagValue } from './reader.js';
export { readSignKey, loadSigningKey, signHeader, type SignKey } from './sign.js';
export { encodeHeader, type HeaderEntry, type HeaderKind } from './header.js';
export { planToRpmFiles, isDistroOwnedDir, type RpmFile } from './files.js';
export { DISTRO_OWNED_DIRS } from './distro-dirs.js';
export { buildRelations, validateDependency, validateRpmIdentity, packageEvr, type RpmFeatures } from './deps.js';
export { TAG, SIGTAG, TYPE } from './tags.js';
