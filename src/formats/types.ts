/** What every format writer receives and returns. */
import type { Compression } from '../archive/compress.js';

export type FormatName = 'deb' | 'rpm';

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
