/**
 * The compression a build uses, resolved once at load: CLI flag > config file > package.json
 * `mkpkg` key > default (archive/compression.ts), and the level checked against the chosen
 * compression there, so a bad level fails before anything is planned or written.
 */
import { DEFAULT_COMPRESSION, DEFAULT_LEVEL, LEVEL_RANGE, levelProblem, type Compression } from '../archive/compression.js';
import { MkpkgError } from '../errors.js';
import type { ConfigOrigins, LayerName } from './merge.js';
import type { ValidConfig } from './schema.js';

/** The compression and level every package of a build is written with. */
export interface CompressionChoice {
  compression: Compression;
  level: number;
}

/**
 * `config.compression`/`config.level` (already merged by precedence) with the defaults applied.
 * `where(key, layer)` names a key as its layer spells it, e.g. `--level` or `mkpkg.config.ts: level`.
 * Throws E_CONFIG_INVALID naming the level's source, its value and the accepted range.
 */
export function resolveCompression(config: ValidConfig, origins: ConfigOrigins, where: (key: 'compression' | 'level', layer: LayerName) => string): CompressionChoice {
  const compression = config.compression ?? DEFAULT_COMPRESSION;
  if (config.level === undefined) return { compression, level: DEFAULT_LEVEL[compression] };
  const level = config.level;
  const problem = levelProblem(compression, level);
  if (problem) {
    const levelFrom = where('level', origins.level ?? 'cli');
    const chosen = origins.compression ? `${compression} (${where('compression', origins.compression)})` : `${compression} (the default)`;
    const [lo, hi] = LEVEL_RANGE[compression]!;
    throw new MkpkgError('E_CONFIG_INVALID', `${levelFrom} ${level} is out of range for compression ${chosen}: a whole number from ${lo} to ${hi}`, {
      hint: `give ${levelFrom} a level from ${lo} to ${hi}, or leave it out for ${compression}'s default ${DEFAULT_LEVEL[compression]}`,
      details: { path: 'level', value: level, compression, range: [lo, hi] },
    });
  }
  return { compression, level: compression === 'none' ? DEFAULT_LEVEL.none : level };
}
