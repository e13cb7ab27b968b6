/** mkpkg's public API. */
export { defineConfig } from './config/schema.js';
export type { MkpkgConfig, ValidConfig, ServiceSpec, ContentSpec, UserSpec, GroupSpec, MetadataOverride, AppSpec } from './config/schema.js';
export type { DebMetadata, RpmMetadata, RpmDependency } from './config/resolved.js';
export { MkpkgError, isMkpkgError, ERROR_CODES, type ErrorCode, type Warning } from './errors.js';
export { loadProject, type LoadedProject, type CliOverrides } from './config/load.js';
export { resolveDeb } from './config/resolve-deb.js';
export { resolveRpm } from './config/resolve-rpm.js';
export { normalizeArch, type Arch } from './config/arch.js';
