/** Config layer: schema + defineConfig, loading and merging, per-format metadata resolution. */
export * from './schema.js';
export type * from './resolved.js';
export { RPMSENSE, DEB_RELATION_FIELDS, RPM_RELATION_KINDS } from './resolved.js';
export { loadProject, findConfigFile, CONFIG_FILE_NAMES, type LoadedProject, type LoadOptions, type CliOverrides } from './load.js';
export { mergeLayers, packageJsonLayer, LAYERS, type LayerName, type ConfigLayer, type ConfigOrigins } from './merge.js';
export { validateLayer, invalidConfigError, formatPath, type ConfigIssue } from './validate.js';
export { parsePackageJson, readPackageJson, requirePackageJson, maintainerFromPackageJson, type PackageJson, type PackageJsonPerson } from './package-json.js';
export { parsePerson, formatPerson, isNameEmail, type Person } from './person.js';
export { mapPackageName, resolvePackageName, packageName, DEB_NAME_RE, RPM_NAME_RE } from './names.js';
export { normalizeArch, elfMachineToArch, ACCEPTED_ARCH_NAMES, type Arch, type ElfClass, type ElfEndianness } from './arch.js';
export { parseRelation, renderDebRelation, toRpmDependency, isRichDependency, type Relation, type RelationOp, type ParsedRelation } from './relations.js';
export { resolveDeb } from './resolve-deb.js';
export { resolveRpm, defaultBuildHost } from './resolve-rpm.js';
export { formatView, nodeDependency, MAX_SUMMARY, type FormatView } from './resolve-common.js';
export { DEFAULT_RELEASE } from './version.js';
export { parseJsonText, lineColumn, type JsonErrorLocation } from './json-text.js';
export { oneLine, oneLineProblem, textBlock, type TextRule } from './text.js';
