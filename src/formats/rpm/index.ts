/** The native RPM v4 format: the Format adaptor, and the writer, reader and their building blocks. */
import { resolveRpm } from '../../config/resolve-rpm.js';
import { RPM_RELATION_KINDS, type RpmMetadata, type RpmRelationKind } from '../../config/resolved.js';
import type { Format } from '../format.js';
import { dependencyText, packageEvr } from './deps.js';
import { rpmFileName, writeRpm } from './writer.js';

export { writeRpm, rpmFileName, type RpmWriteOptions } from './writer.js';
export { readRpm, inspectRpm, parseHeader, type RpmInspection, type InspectedFile, type InspectedDependency, type TagValue } from './reader.js';
export { signHeader } from './sign.js';
export { encodeHeader, type HeaderEntry, type HeaderKind } from './header.js';
export { planToRpmFiles, isDistroOwnedDir, type RpmFile } from './files.js';
export { DISTRO_OWNED_DIRS } from './distro-dirs.js';
export { buildRelations, validateDependency, validateRpmIdentity, packageEvr, type RpmFeatures } from './deps.js';
export { TAG, SIGTAG, TYPE } from './tags.js';

const RELATION_LABELS: Record<RpmRelationKind, string> = {
  requires: 'Requires', provides: 'Provides', conflicts: 'Conflicts', obsoletes: 'Obsoletes',
  recommends: 'Recommends', suggests: 'Suggests', supplements: 'Supplements', enhances: 'Enhances',
};

/** Main tags and declared relations, one `Tag: value` line each (rpm adds self-provides and rpmlib() requires when writing). */
function describeRpm(meta: RpmMetadata): string {
  const tags: [string, string | number | undefined][] = [
    ['Name', meta.name], ['Epoch', meta.epoch], ['Version', meta.version], ['Release', meta.release], ['Architecture', meta.arch],
    ['Group', meta.group], ['License', meta.license], ['URL', meta.url], ['Vendor', meta.vendor], ['Packager', meta.packager], ['Summary', meta.summary],
  ];
  const lines = tags.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`);
  for (const kind of RPM_RELATION_KINDS) for (const d of meta.relations[kind]) lines.push(`${RELATION_LABELS[kind]}: ${dependencyText(d)}`);
  lines.push('Description:', ...meta.description.split('\n').map((l) => ` ${l}`));
  return `${lines.join('\n')}\n`;
}

export const rpmFormat: Format<'rpm'> = {
  name: 'rpm',
  debianDocs: false,
  resolve: (project, arch) => resolveRpm(project, arch),
  identity: (meta) => ({ name: meta.name, version: meta.version, arch: meta.arch, maintainer: meta.packager, homepage: meta.url, label: `${meta.name} ${packageEvr(meta)} ${meta.arch} (.rpm)` }),
  fileName: rpmFileName,
  withScriptDependencies: (meta, deps) => deps.rpm.length === 0 ? meta : {
    ...meta,
    relations: { ...meta.relations, requires: [...meta.relations.requires, ...deps.rpm] },
  },
  describe: (target) => describeRpm(target.meta),
  build: (target, out) => writeRpm(target.plan, target.meta, target.scripts, out),
  // The reader is loaded only when a package is read, never for a build.
  read: async (path) => (await import('./reader.js')).readRpm(path),
};
