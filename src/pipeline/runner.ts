/**
 * The pipeline runner: runs named steps in order, folds transforming hooks,
 * and tags every error with the step and plugin it came from.
 */
import { MkpkgError, isMkpkgError } from '../errors.js';
import type { BuildContext, HookName, Hooks, Plugin, Step } from './types.js';

/** A hook together with who registered it. */
export interface RegisteredHook<K extends HookName = HookName> {
  fn: NonNullable<Hooks[K]>;
  plugin?: string;
}

/** Registered hooks by name, in registration order (config first, then plugins). */
export type HookTable = { [K in HookName]: RegisteredHook<K>[] };

export function emptyHookTable(): HookTable {
  return { beforeStage: [], afterStage: [], beforePackage: [], afterPackage: [], afterPublish: [] };
}

/** Wrap an error thrown by user code (a step, hook or output) so it names the step and plugin. */
export function tagError(e: unknown, where: { step?: string; plugin?: string; hook?: string; output?: string }): MkpkgError {
  if (isMkpkgError(e)) {
    e.step ??= where.step;
    e.plugin ??= where.plugin;
    return e;
  }
  const msg = (e as Error)?.message ?? String(e);
  const { step, plugin, hook, output } = where;
  const code = output !== undefined ? 'E_OUTPUT' : hook ? 'E_HOOK' : plugin ? 'E_PLUGIN' : 'E_STEP';
  const what = output !== undefined ? `output "${output}"` : hook ? `hook ${hook}` : `step ${step}`;
  const hint = output !== undefined
    ? (plugin ? `the output came from plugin "${plugin}"; check its options` : 'check the output\'s options in mkpkg.config')
    : plugin ? `the error came from plugin "${plugin}"; check its configuration or report it to its author` : undefined;
  return new MkpkgError(code, `${what} failed: ${msg}`, { step, plugin, cause: e, hint });
}

/**
 * Run the hooks registered under `name`, folding the value: each hook receives the value the
 * previous one returned (a hook returning `undefined` keeps the value).
 */
export async function runHook<K extends HookName>(
  table: HookTable,
  name: K,
  value: Parameters<NonNullable<Hooks[K]>>[0],
  ctx: BuildContext,
  step: string,
): Promise<Parameters<NonNullable<Hooks[K]>>[0]> {
  let current = value;
  for (const h of table[name] as RegisteredHook<K>[]) {
    try {
      const fn = h.fn as (v: typeof current, c: BuildContext) => unknown;
      const next = await fn(current, ctx);
      if (next !== undefined) current = next as typeof current;
    } catch (e) {
      throw tagError(e, { step, plugin: h.plugin, hook: name });
    }
  }
  return current;
}

/** Run `steps` in order; false as soon as one ends the pipeline (it set `ctx.stop`, or it is the `until` step). */
export async function runSteps(steps: readonly Step[], ctx: BuildContext): Promise<boolean> {
  for (const step of steps) {
    ctx.options.signal?.throwIfAborted();
    ctx.reporter.verbose(`step ${step.name}${step.plugin ? ` (plugin ${step.plugin})` : ''}`);
    const started = performance.now();
    try {
      await step.run(ctx);
    } catch (e) {
      throw tagError(e, { step: step.name, plugin: step.plugin });
    }
    ctx.reporter.verbose(`step ${step.name} took ${Math.round(performance.now() - started)} ms`);
    if (ctx.stop || ctx.options.until === step.name) return false;
  }
  return true;
}

/** Run `body`, then the deferred cleanups (last deferred first), whatever happened. */
export async function withCleanups(cleanups: (() => Promise<void> | void)[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    for (const fn of [...cleanups].reverse()) {
      try { await fn(); } catch { /* cleanup must not mask the real error */ }
    }
  }
}

/** Insert plugin steps by name; an unknown anchor is an E_PLUGIN error naming the plugin. */
export function insertSteps(steps: Step[], plugins: Plugin[]): Step[] {
  const out = [...steps];
  for (const p of plugins) {
    for (const ins of p.steps ?? []) {
      const step = { ...ins.step, plugin: p.name };
      const anchor = ins.after ?? ins.before;
      if (!anchor) { out.push(step); continue; }
      const i = out.findIndex((s) => s.name === anchor);
      if (i < 0) {
        throw new MkpkgError('E_PLUGIN', `plugin "${p.name}" inserts step "${step.name}" ${ins.after ? 'after' : 'before'} "${anchor}", which does not exist`, {
          plugin: p.name,
          hint: `existing steps: ${out.map((s) => s.name).join(', ')}`,
        });
      }
      out.splice(ins.after ? i + 1 : i, 0, step);
    }
  }
  return out;
}

/** Helpers a `pipeline: (steps, h) => steps` function in the config can use. */
export const stepEditing = {
  /** Replace the step named `name` (the replacement is the config's, so errors no longer name a plugin). */
  replace(steps: Step[], name: string, run: Step['run']): Step[] {
    must(steps, name);
    return steps.map((s) => (s.name === name ? { name, run } : s));
  },
  /** Wrap the step named `name`: `wrapper(ctx, next)` decides when the original runs. */
  wrap(steps: Step[], name: string, wrapper: (ctx: BuildContext, next: () => Promise<void>) => Promise<void> | void): Step[] {
    must(steps, name);
    return steps.map((s) => (s.name === name ? { ...s, run: (ctx: BuildContext) => wrapper(ctx, async () => { await s.run(ctx); }) } : s));
  },
  /** Insert `step` just before the step named `name`. */
  insertBefore(steps: Step[], name: string, step: Step): Step[] {
    const i = must(steps, name);
    return [...steps.slice(0, i), step, ...steps.slice(i)];
  },
  /** Insert `step` just after the step named `name`. */
  insertAfter(steps: Step[], name: string, step: Step): Step[] {
    const i = must(steps, name);
    return [...steps.slice(0, i + 1), step, ...steps.slice(i + 1)];
  },
  /** Remove the step named `name`. */
  remove(steps: Step[], name: string): Step[] {
    must(steps, name);
    return steps.filter((s) => s.name !== name);
  },
};

function must(steps: Step[], name: string): number {
  const i = steps.findIndex((s) => s.name === name);
  if (i < 0) {
    throw new MkpkgError('E_CONFIG_INVALID', `pipeline: there is no step named "${name}"`, { hint: `existing steps: ${steps.map((s) => s.name).join(', ')}` });
  }
  return i;
}

export type StepEditing = typeof stepEditing;
