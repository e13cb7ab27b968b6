/** The native RPM v4 format: the Format adaptor, and the writer, reader and their building blocks. */
import { resolveRpm } from '../../config/resolve-rpm.js';
import type { Format } from '../format.js';
import { readRpm } from './reader.js';
import { rpmFileName, writeRpm } from './writer.js';

export { writeRpm, rpmFileName, type RpmWriteOptions } from './writer.js';
export { readRpm, inspectRpm, parseHeader, type RpmInspection, type InspectedFile, type InspectedDependency, type TagValue } from './reader.js';
export { signHeader } from './sign.js';
export { encodeHeader, type HeaderEntry, type HeaderKind } from './header.js';
export { planToRpmFiles, isDistroOwnedDir, type RpmFile } from './files.js';
export { DISTRO_OWNED_DIRS } from './distro-dirs.js';
export { buildRelations, validateDependency, validateRpmIdentity, packageEvr, type RpmFeatures } from './deps.js';
export { TAG, SIGTAG, TYPE } from './tags.js';

const evr = (meta: { epoch?: number; version: string; release: string }) => `${meta.epoch !== undefined ? `${meta.epoch}:` : ''}${meta.version}-${meta.release}`;

export const rpmFormat: Format<'rpm'> = {
  name: 'rpm',
  debianDocs: false,
  resolve: (project, arch) => resolveRpm(project, arch),
  identity: (meta) => ({ name: meta.name, version: meta.version, arch: meta.arch, maintainer: meta.packager, homepage: meta.url, label: `${meta.name} ${evr(meta)} ${meta.arch} (.rpm)` }),
  fileName: rpmFileName,
  withScriptDependencies: (meta, deps) => deps.rpm.length === 0 ? meta : {
    ...meta,
    relations: { ...meta.relations, requires: [...meta.relations.requires, ...deps.rpm] },
  },
  build: (target, out) => writeRpm(target.plan, target.meta, target.scripts, out),
  read: (path) => readRpm(path),
};
