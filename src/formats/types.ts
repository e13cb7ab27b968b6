/** What every format writer receives and returns, and the package targets the pipeline hands them. */
import type { Compression } from '../archive/compression.js';
import type { DebMetadata, DebScripts, RpmMetadata, RpmScripts } from '../config/resolved.js';
import type { OutputBatch } from '../output/batch.js';
import type { Plan } from '../plan/types.js';

export type FormatName = 'deb' | 'rpm';

/** The native metadata and maintainer scripts of each format. */
export interface FormatTypes {
  deb: { meta: DebMetadata; scripts: DebScripts };
  rpm: { meta: RpmMetadata; scripts: RpmScripts };
}

/** Everything needed to write one package of format `K`. */
export interface PackageTarget<K extends FormatName> {
  format: K;
  plan: Plan;
  /** `debug`: the debug-symbols package built beside the main one (`debugPackage: true`). */
  role?: 'debug';
  meta: FormatTypes[K]['meta'];
  scripts: FormatTypes[K]['scripts'];
}

/** Everything needed to write one .deb. */
export type DebTarget = PackageTarget<'deb'>;
/** Everything needed to write one .rpm. */
export type RpmTarget = PackageTarget<'rpm'>;
/** A package of either format (narrowed by `format`). */
export type Target = DebTarget | RpmTarget;

/** Options shared by the writers. */
export interface WriteOptions {
  /** Directory the package is written into (must exist and be writable). */
  outDir: string;
  compression: Compression;
  level: number;
  /** SOURCE_DATE_EPOCH: archive timestamps; also the build time. */
  sourceDateEpoch: number;
  /** Abort the write; a partial file is removed. */
  signal?: AbortSignal;
  /** Progress callback: bytes of file content processed so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Write the package into this batch: it appears under its final name only when the batch is
   * committed (the packages of one build are published together). Without it, as soon as it is complete.
   */
  batch?: OutputBatch;
  /**
   * Open a planned source file for reading from its start (default: by its path); the writer closes
   * the descriptor. The pipeline passes its source scan's, which hands over the files planning kept open.
   */
  openSource?: (path: string) => number;
}

/** A finished package on disk. */
export interface Artifact {
  format: FormatName;
  path: string;
  size: number;
  sha256: string;
  name: string;
  version: string;
  arch: string;
}

/** One entry of a package as `mkpkg inspect` shows it (both formats). */
export interface PackageFileInfo {
  /** Absolute path, e.g. `/usr/bin/foo`. */
  path: string;
  /** Permission bits. */
  mode: number;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  owner: string;
  group: string;
  size: number;
  /** Symlink target, or the absolute path a hard link points at. */
  linkTarget?: string;
}
