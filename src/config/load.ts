/**
 * Loading a project: find and import the config file, read package.json, validate every layer
 * strictly (all problems reported at once) and merge them with the precedence in `merge.ts`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { MkpkgError, type Warning } from '../errors.js';
import { MAX_NESTING, parseJsonText } from './json-text.js';
import { loadTimeoutMs, withLoadTimeout } from './load-timeout.js';
import { snapshotConfig } from './snapshot.js';
import { resolveCompression, type CompressionChoice } from './compression.js';
import { mergeLayers, packageJsonLayer, type ConfigLayer, type ConfigOrigins, type LayerName } from './merge.js';
import { readPackageJson, type PackageJson } from './package-json.js';
import type { ValidConfig } from './schema.js';
import { userModuleLoader } from './user-modules.js';
import { invalidConfigError, validateLayer, type ConfigIssue } from './validate.js';

/** Config file names looked for, first found wins. */
export const CONFIG_FILE_NAMES = ['mkpkg.config.ts', 'mkpkg.config.mts', 'mkpkg.config.mjs', 'mkpkg.config.js', 'mkpkg.config.json'] as const;

/** Values from command-line flags: the highest-precedence layer. */
export interface CliOverrides {
  version?: string;
  release?: string | number;
  arch?: string;
  /** Validated like the config key (`gzip`, `xz`, `zstd`, `none`). */
  compression?: string;
  level?: number;
}

/** A loaded, validated and merged project. */
export interface LoadedProject {
  /** Absolute project directory. */
  dir: string;
  /** Absolute path of the config file, if one was used. */
  configFile?: string;
  packageJson?: PackageJson;
  /** The merged configuration (CLI > config file > package.json `mkpkg` > package.json fields). */
  config: ValidConfig;
  /** Which layer supplied each top-level key. */
  origins: ConfigOrigins;
  /** The compression and level of the packages, defaults applied and the level checked. */
  compression: CompressionChoice;
  /** package.json is present and `app` is not `false`. */
  isNodeApp: boolean;
  warnings: Warning[];
}

/** Options for {@link loadProject}. */
export interface LoadOptions {
  /** An explicit config file; relative paths are resolved against `dir`. */
  configFile?: string;
  cli?: CliOverrides;
  /** Already validated layers added by a caller (a workspaces build: the root's shared keys, generated depends). */
  layers?: ConfigLayer[];
}

/**
 * Import a JS/TS config module and return its default export as plain data (awaited when it is a
 * promise; a value that is not an object is left to validation). Loading is bounded by
 * MKPKG_LOAD_TIMEOUT; every failure is a coded error naming the file.
 */
async function importConfigModule(file: string): Promise<unknown> {
  loadTimeoutMs(); // a bad MKPKG_LOAD_TIMEOUT is a usage error, before any user code runs
  const jiti = await userModuleLoader(import.meta.url);
  const failed = (e: unknown, what: string): MkpkgError => {
    if (e instanceof MkpkgError && e.code === 'E_LOAD_TIMEOUT') return e;
    // An option mkpkg's own API refused while the config ran (e.g. deploy({...})) keeps its code and hint.
    if (e instanceof MkpkgError) return new MkpkgError(e.code, `${file}: ${e.message}`, { hint: e.hint, details: { ...e.details, file }, cause: e });
    const reason = e instanceof Error ? e.message.replace(/\s*\n\s*/g, ' at ').trim() : String(e);
    return new MkpkgError('E_CONFIG_LOAD', `${file}: ${what}: ${reason}`, {
      hint: 'fix the error in the config file; it must `export default defineConfig({...})`',
      details: { file },
      cause: e,
    });
  };
  let mod: unknown;
  try {
    mod = await withLoadTimeout(jiti.import(file), file, 'the config module');
  } catch (e) {
    throw failed(e, 'the config module failed to load');
  }
  if (typeof mod !== 'object' || mod === null || !Object.keys(mod).includes('default')) {
    const names = typeof mod === 'object' && mod !== null ? Object.keys(mod) : [];
    throw new MkpkgError('E_CONFIG_LOAD', `${file} has no default export${names.length ? ` (it exports ${names.join(', ')})` : ''}`, {
      hint: 'write `export default defineConfig({...})`',
      details: { file },
    });
  }
  let value: unknown;
  let thenable: boolean;
  try {
    value = (mod as { default: unknown }).default;
    // jiti hands a default export that is not an object back wrapped as `{ default: value }`.
    if (typeof value === 'object' && value !== null && Object.keys(value).length === 1 && 'default' in value) value = (value as { default: unknown }).default;
    thenable = typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch (e) {
    throw failed(e, 'reading the default export threw');
  }
  if (thenable) {
    try {
      value = await withLoadTimeout(value as Promise<unknown>, file, "the config module's default export (a promise)");
    } catch (e) {
      throw failed(e, "the config module's default export (a promise) rejected");
    }
  }
  return snapshotConfig(value, file);
}

async function readJsonConfig(file: string): Promise<unknown> {
  const parsed = parseJsonText(await readFile(file, 'utf8'));
  if (parsed.ok) return parsed.value;
  const { line, column, reason, tooDeep } = parsed.error;
  throw new MkpkgError('E_CONFIG_PARSE', `${file}:${line}:${column}: invalid JSON: ${reason}`, {
    hint: tooDeep ? `flatten the structure at line ${line}, column ${column}: mkpkg reads at most ${MAX_NESTING} levels of nesting` : `fix the JSON syntax at line ${line}, column ${column}`,
    details: { file, line, column },
  });
}

/** Find the config file: the explicit one (must exist), else the first of {@link CONFIG_FILE_NAMES}. */
export function findConfigFile(dir: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = resolve(dir, explicit);
    if (!existsSync(file)) {
      throw new MkpkgError('E_CONFIG_NOT_FOUND', `config file ${file} does not exist`, {
        hint: 'check the --config path (relative paths are resolved against the project directory)',
        details: { file },
      });
    }
    return file;
  }
  return CONFIG_FILE_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f));
}

async function loadConfigFile(file: string): Promise<unknown> {
  return file.endsWith('.json') ? readJsonConfig(file) : importConfigModule(file);
}

/** A top-level key as the layer that set it spells it, for messages: `--level`, `mkpkg.config.ts: level`, `package.json: mkpkg.level`. */
function keyAsWritten(key: string, layer: LayerName, configSource: string | undefined): string {
  const spelled: Record<LayerName, string> = {
    cli: `--${key}`,
    config: `${configSource ?? 'the config file'}: ${key}`,
    'package.json#mkpkg': `package.json: mkpkg.${key}`,
    'package.json': `package.json: ${key}`,
    'workspace-root': `the monorepo root's config: ${key}`,
    'workspace-generated': `the generated workspace layer: ${key}`,
  };
  return spelled[layer];
}

/**
 * Load the project in `dir`. Throws `E_CONFIG_NOT_FOUND` when there is neither a config file nor a
 * package.json, `E_CONFIG_LOAD` when the config module throws, `E_CONFIG_PARSE` for malformed JSON,
 * and one `E_CONFIG_INVALID` listing every problem of every layer.
 */
export async function loadProject(dir: string, opts: LoadOptions = {}): Promise<LoadedProject> {
  const root = resolve(dir);
  const configFile = findConfigFile(root, opts.configFile);
  const pkg = await readPackageJson(join(root, 'package.json'));
  if (!configFile && !pkg) {
    throw new MkpkgError('E_CONFIG_NOT_FOUND', `${root} has neither a package.json nor a ${CONFIG_FILE_NAMES.join(' / ')}`, {
      hint: 'run mkpkg in the project directory, or create mkpkg.config.ts (with name, version and maintainer) or package.json',
      details: { dir: root },
    });
  }
  const warnings: Warning[] = [...(pkg?.warnings ?? [])];
  const layers: ConfigLayer[] = [];
  const issues: ConfigIssue[] = [];
  const check = (value: unknown, name: ConfigLayer['name'], source: string, prefix: string[] = []): void => {
    const r = validateLayer(value, source, prefix);
    issues.push(...r.issues);
    if (r.config) layers.push({ name, config: r.config });
  };

  if (pkg) {
    const std = packageJsonLayer(pkg.packageJson);
    warnings.push(...std.warnings);
    layers.push({ name: 'package.json', config: std.config });
    if (pkg.packageJson.mkpkg !== undefined) check(pkg.packageJson.mkpkg, 'package.json#mkpkg', 'package.json', ['mkpkg']);
  }
  let configSource: string | undefined;
  if (configFile) {
    const rel = relative(root, configFile);
    configSource = rel.startsWith('..') ? configFile : rel || basename(configFile);
    check(await loadConfigFile(configFile), 'config', configSource);
  }
  if (opts.cli) {
    const cli = Object.fromEntries(Object.entries(opts.cli).filter(([, v]) => v !== undefined));
    if (Object.keys(cli).length > 0) check(cli, 'cli', 'command line');
  }
  if (issues.length > 0) throw invalidConfigError(issues);

  const { config, origins } = mergeLayers([...layers, ...(opts.layers ?? [])]);
  const compression = resolveCompression(config, origins, (key, layer) => keyAsWritten(key, layer, configSource));
  return {
    dir: root,
    ...(configFile ? { configFile } : {}),
    ...(pkg ? { packageJson: pkg.packageJson } : {}),
    config,
    origins,
    compression,
    isNodeApp: pkg !== undefined && config.app !== false,
    warnings,
  };
}
