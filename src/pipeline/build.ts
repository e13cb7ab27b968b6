/**
 * `build()`: the library entry point behind `mkpkg deb|rpm|build|stage`. It assembles the step
 * table (defaults, plugin insertions, the config's `pipeline` function), registers hooks
 * (config first, then plugins in order), and runs everything with one context.
 */
import { join, resolve as resolvePath } from 'node:path';
import { DEFAULT_OUT_DIR } from './own-files.js';
import { MkpkgError, type Warning } from '../errors.js';
import { silentReporter } from '../reporter.js';
import type { Artifact } from '../formats/types.js';
import type { PipelineFn, PluginRef } from './define.js';
import { loadPlugins, outputProblems } from './plugins.js';
import { emptyHookTable, insertSteps, runSteps, stepEditing, withCleanups, type HookTable } from './runner.js';
import { defaultSteps } from './steps.js';
import { printPlan } from './print-plan.js';
import { HOOK_NAMES, type BuildContext, type BuildOptions, type HookName, type Output, type Plugin, type PublishResult, type Step, type Target } from './types.js';

/** What a build returns. */
export interface BuildResult {
  artifacts: Artifact[];
  targets: Target[];
  stageDirs: BuildContext['stageDirs'];
  published: PublishResult[];
  warnings: Warning[];
}

/** Resolve SOURCE_DATE_EPOCH: option > environment > now. */
export function sourceDateEpoch(explicit?: number): number {
  if (explicit !== undefined) return explicit;
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0) {
      throw new MkpkgError('E_USAGE', `SOURCE_DATE_EPOCH="${env}" is not a non-negative integer`, { hint: 'set it to seconds since 1970, e.g. $(git log -1 --format=%ct)' });
    }
    return n;
  }
  return Math.floor(Date.now() / 1000);
}

function registerHooks(table: HookTable, hooks: Record<string, unknown> | undefined, plugin?: string): void {
  const unknown = Object.keys(hooks ?? {}).filter((n) => !(HOOK_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new MkpkgError('E_CONFIG_INVALID', `hooks: unknown hook${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`, { hint: `known hooks: ${HOOK_NAMES.join(', ')}`, plugin });
  }
  for (const [name, value] of Object.entries(hooks ?? {})) {
    for (const fn of Array.isArray(value) ? value : [value]) {
      (table[name as HookName] as { fn: unknown; plugin?: string }[]).push({ fn, plugin });
    }
  }
}

/** Apply the config's `pipeline` function to the steps after `load`. */
async function editSteps(fn: PipelineFn | undefined, steps: Step[]): Promise<Step[]> {
  if (!fn) return steps;
  const edited = await fn([...steps], stepEditing);
  const bad = !Array.isArray(edited) ? [] : edited.filter((s) => !s || typeof s.name !== 'string' || typeof s.run !== 'function');
  if (!Array.isArray(edited) || bad.length) {
    throw new MkpkgError('E_CONFIG_INVALID', `pipeline: the function must return an array of steps ({ name, run(ctx) }), got ${Array.isArray(edited) ? `${bad.length} malformed item(s)` : typeof edited}`, {
      hint: 'return the edited array, e.g. (steps, edit) => edit.insertBefore(steps, "verify", { name: "compile", run })',
    });
  }
  const names = edited.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new MkpkgError('E_CONFIG_INVALID', `pipeline: two steps are named "${dup}"`, { hint: 'give every step a unique name (wrap or replace a step instead of adding a second one)' });
  return edited;
}

/**
 * Once the config is loaded: register its hooks and outputs, load every plugin (all problems at
 * once, before any later step runs) with its hooks and outputs, and return the steps after `load`,
 * extended by the plugins and then by the config's `pipeline` function.
 */
async function stepsAfterLoad(ctx: BuildContext, deps: { hooks: HookTable; plugins: Plugin[]; outputs: Output[] }, later: Step[]): Promise<Step[]> {
  const cfg = ctx.project!.config;
  const bad = outputProblems(cfg.outputs, 'config');
  if (bad.length) throw new MkpkgError('E_CONFIG_INVALID', bad.join('; '), { hint: 'an output is { name, kind?: "publish" | "notify", run(artifacts, ctx) }, e.g. aptRepository({ dir })' });
  registerHooks(deps.hooks, cfg.hooks);
  deps.plugins.push(...(await loadPlugins((cfg.plugins ?? []) as PluginRef[], ctx.project!.dir, ['load', ...later.map((s) => s.name)])));
  for (const p of deps.plugins) registerHooks(deps.hooks, p.hooks as Record<string, unknown>, p.name);
  for (const o of (cfg.outputs ?? []) as Output[]) deps.outputs.push(o);
  for (const p of deps.plugins) deps.outputs.push(...(p.outputs ?? []).map((o): Output => ({ name: o.name, kind: o.kind, plugin: p.name, run: (a, x) => o.run(a, x) })));
  return editSteps(ctx.project!.config.pipeline as PipelineFn | undefined, insertSteps(later, deps.plugins));
}

/** Run the release pipeline. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const reporter = options.reporter ?? silentReporter();
  const dir = resolvePath(options.dir ?? '.');
  const cleanups: (() => Promise<void> | void)[] = [];
  const hooks = emptyHookTable();
  const plugins: Plugin[] = [];
  const outputs: Output[] = [];
  const seen = new Set<string>();
  const ctx: BuildContext = {
    options: {
      ...options,
      dir,
      formats: options.formats ?? ['deb'],
      outDir: options.outDir !== undefined ? resolvePath(options.outDir) : join(dir, DEFAULT_OUT_DIR),
      sourceDateEpoch: sourceDateEpoch(options.sourceDateEpoch),
    },
    reporter,
    targets: [],
    stageDirs: {},
    artifacts: [],
    published: [],
    warnings: [],
    stop: false,
    warn(w) {
      // The same warning (a fact about the project, not about one format) is reported once per build.
      const key = `${w.code}\0${w.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (options.strict) throw new MkpkgError('E_STRICT', `${w.code}: ${w.message}`, { hint: 'fix the cause, or drop --strict', details: { warning: w } });
      this.warnings.push(w);
      reporter.warn(w);
    },
    defer(fn) { cleanups.push(fn); },
  };

  const deps = { hooks, plugins, outputs, printPlan: (c: BuildContext) => printPlan(c, reporter) };
  const [load, ...later] = defaultSteps(deps);
  await withCleanups(cleanups, async () => {
    if (!(await runSteps([load!], ctx))) return;
    await runSteps(await stepsAfterLoad(ctx, deps, later), ctx);
  });
  return { artifacts: ctx.artifacts, targets: ctx.targets, stageDirs: ctx.stageDirs, published: ctx.published, warnings: ctx.warnings };
}
