/**
 * The compressions mkpkg writes, their default and allowed levels: the one definition the config
 * schema, its resolution, the CLI and the writers use. Pure (no processes), so the config layer
 * can import it.
 */

/** Compressions of .deb members and .rpm payloads. */
export const COMPRESSIONS = ['gzip', 'xz', 'zstd', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Used when neither the command line nor the config names one. */
export const DEFAULT_COMPRESSION: Compression = 'xz';

/** Default level per compressor (dpkg-deb's defaults: gzip 9, xz 6, zstd 3). */
export const DEFAULT_LEVEL: Record<Compression, number> = { gzip: 9, xz: 6, zstd: 3, none: 0 };

/** The levels each compressor accepts (`none` takes no level: a given one is ignored). */
export const LEVEL_RANGE: Record<Compression, readonly [number, number] | undefined> = { gzip: [1, 9], xz: [0, 9], zstd: [1, 22], none: undefined };

/** Why `level` is no level of `c` (e.g. "is out of range for gzip (1 to 9)"), or undefined when it is one. */
export function levelProblem(c: Compression, level: number): string | undefined {
  const range = LEVEL_RANGE[c];
  if (range === undefined) return undefined;
  const [lo, hi] = range;
  return Number.isInteger(level) && level >= lo && level <= hi ? undefined : `is out of range for ${c} (a whole number from ${lo} to ${hi})`;
}

/** File-name suffix for a compressed member, e.g. `.xz` (empty for none). */
export function compressionSuffix(c: Compression): string {
  return c === 'gzip' ? '.gz' : c === 'xz' ? '.xz' : c === 'zstd' ? '.zst' : '';
}
