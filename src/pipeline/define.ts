/**
 * The typed face of `mkpkg.config.ts`: `defineConfig` with the pipeline options (hooks, plugins,
 * pipeline, outputs) typed against the runner's real types, and `definePlugin` for plugin modules.
 * The zod schema validates these at load time; these types are what editors check while writing.
 */
import type { MkpkgConfig } from '../config/schema.js';
import type { StepEditing } from './runner.js';
import type { Hooks, HookName, Output, Plugin, Step } from './types.js';

/** Config `hooks`: one function or an array of them per hook name (config hooks run before plugin hooks). */
export type HookConfig = { [K in HookName]?: NonNullable<Hooks[K]> | NonNullable<Hooks[K]>[] };

/**
 * A plugin reference: a module specifier (local path relative to the project, or an npm package),
 * a `[specifier, options]` pair for a factory `(options) => Plugin`, or an inline plugin object.
 */
export type PluginRef = string | readonly [string, unknown] | Plugin;

/**
 * Config `pipeline`: receives the steps after `load` (verify, stage, package, publish, notify, plus
 * plugin steps) and the editing helpers; returns the steps to run.
 */
export type PipelineFn = (steps: Step[], edit: StepEditing) => Step[] | Promise<Step[]>;

/** The pipeline part of the configuration. */
export interface PipelineConfig {
  hooks?: HookConfig;
  plugins?: PluginRef[];
  pipeline?: PipelineFn;
  /** Outputs (publish/notify) run after packaging, before plugin outputs. */
  outputs?: Output[];
}

/** What `mkpkg.config.ts` exports: the package configuration plus the typed pipeline options. */
export type UserConfig = Omit<MkpkgConfig, keyof PipelineConfig> & PipelineConfig;

/** Typed identity helper for `mkpkg.config.ts` (`export default defineConfig({...})`). */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Typed identity helper for plugin modules: a plugin object, or a factory `(options) => plugin`. */
export function definePlugin(plugin: Plugin): Plugin;
export function definePlugin<O>(factory: (options: O) => Plugin | Promise<Plugin>): (options: O) => Plugin | Promise<Plugin>;
export function definePlugin(p: Plugin | ((options: unknown) => Plugin | Promise<Plugin>)): unknown {
  return p;
}
