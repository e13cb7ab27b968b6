/** The plan layer: contents → sorted entries, the Node.js app layout, ELF detection, staging. */
export * from './types.js';
export { normalizeDst, joinDst, parentsOf, dirnameOf } from './paths.js';
export { parseMode, sourceFileMode, checkOwnerName, unsafeModeWarnings, planModeUses, type ModeUse, DIR_MODE, FILE_MODE, EXEC_MODE, SYMLINK_MODE, ROOT } from './modes.js';
export { expandContents, expandContent, flagsFor, type ContentInput, type ExpandContext, type Sourced, type Strength } from './contents.js';
export { assemblePlan, extendPlan, type Assembled } from './assemble.js';
export { SourceScan, type SourceScanOptions } from './source-scan.js';
export { buildPlan, planItems, type PlanInput, type PlanResult } from './build.js';
export { layoutNodeApp, defaultAppDir, binEntries, type NodeAppLayout, type NodeAppOptions, type PackageJsonLike } from './node-app.js';
export { runNpm } from './npm.js';
export { packList, type PackedFile, type PacklistPackage, type PacklistOptions } from './packlist.js';
export { parseElfHeader, readElfHeader, elfDebArch, machineName, checkArch, detectArch, type ElfInfo, type NativeFile } from './elf.js';
export { scanNative } from './native.js';
export { stagePlan, type StageOptions, type StageResult } from './stage.js';
