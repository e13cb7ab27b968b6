/**
 * Merging config layers. Precedence, highest first:
 *
 * 1. CLI flags (`--version`, `--release`, `--arch`, `--compression`, `--level`)
 * 2. the config file (`mkpkg.config.{ts,mts,mjs,js,json}` or `--config FILE`)
 * 3. the `mkpkg` key of package.json
 * 4. standard package.json fields: `name`, `version`, `description` (→ `summary`, with further
 *    lines → `description`), `author`, else the first of `contributors`, else of `maintainers` (→ `maintainer`),
 *    `license`, `homepage`
 * 5. defaults, applied later by the per-format resolvers (release `1`, Section `misc`, …)
 *
 * A key set in a higher layer replaces the lower value entirely: arrays replace (they are not
 * concatenated) and objects replace, except `overrides`, which merges per format and then per key.
 */
import type { Warning } from '../errors.js';
import { packageJsonMaintainer, type PackageJson } from './package-json.js';
import type { MetadataOverride, ValidConfig } from './schema.js';

/** The layers, lowest precedence first. */
export const LAYERS = ['package.json', 'package.json#mkpkg', 'config', 'cli'] as const;
/** Where a merged value came from. */
export type LayerName = (typeof LAYERS)[number];

/** One validated layer. */
export interface ConfigLayer {
  name: LayerName;
  config: ValidConfig;
}

/** Which layer supplied each top-level key of the merged config. */
export type ConfigOrigins = Partial<Record<keyof ValidConfig, LayerName>>;

/** Merge layers given in any order, applying the precedence above. */
export function mergeLayers(layers: readonly ConfigLayer[]): { config: ValidConfig; origins: ConfigOrigins } {
  const sorted = [...layers].sort((a, b) => LAYERS.indexOf(a.name) - LAYERS.indexOf(b.name));
  const config: Record<string, unknown> = {};
  const origins: Record<string, LayerName> = {};
  for (const layer of sorted) {
    for (const [key, value] of Object.entries(layer.config)) {
      if (value === undefined) continue;
      config[key] = key === 'overrides' ? mergeOverrides(config[key] as ValidConfig['overrides'], value as ValidConfig['overrides']) : value;
      origins[key] = layer.name;
    }
  }
  return { config: config as ValidConfig, origins: origins as ConfigOrigins };
}

function mergeOverrides(lower: ValidConfig['overrides'], higher: ValidConfig['overrides']): ValidConfig['overrides'] {
  const out: Record<string, MetadataOverride> = {};
  for (const fmt of ['deb', 'rpm'] as const) {
    const merged = { ...defined(lower?.[fmt]), ...defined(higher?.[fmt]) };
    if (lower?.[fmt] || higher?.[fmt]) out[fmt] = merged;
  }
  return out;
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The layer taken from standard package.json fields (already type-checked by the reader). */
export function packageJsonLayer(pkg: PackageJson): { config: ValidConfig; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const config: ValidConfig = {};
  const text = (v: string | undefined): string | undefined => (v && v.trim() ? v.trim() : undefined);
  config.name = text(pkg.name);
  config.version = text(pkg.version);
  const desc = text(pkg.description);
  if (desc) {
    const [first, ...rest] = desc.split('\n');
    config.summary = first!.trim();
    if (text(rest.join('\n'))) config.description = rest.join('\n').trim();
  }
  const m = packageJsonMaintainer(pkg);
  for (const u of m.unusable) {
    warnings.push({ code: 'W_PACKAGE_JSON_FIELD', message: `${pkg.path}: ${u.field} ${JSON.stringify(u.person)} has no name or email; ignored for the maintainer` });
  }
  if (m.maintainer) {
    config.maintainer = m.maintainer;
    if (m.field !== 'author') {
      warnings.push({
        code: 'W_MAINTAINER_FALLBACK',
        message: `${pkg.path} has no usable "author"; the maintainer is ${m.field} ${JSON.stringify(m.maintainer)} (set maintainer in mkpkg.config to choose another)`,
      });
    }
  }
  config.license = text(pkg.license);
  config.homepage = text(pkg.homepage);
  return { config: defined(config) as ValidConfig, warnings };
}
