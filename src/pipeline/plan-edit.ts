/**
 * Editing a target's plan from a hook or a plugin step (`beforeStage` / `beforePackage`): add
 * generated files with the same guarantees as the planner (parents added, collisions rejected,
 * byte-order sorted, mtimes clamped). Pure: returns a new target, the old one is left untouched.
 */
import { assemblePlan, checkOwnerName, normalizeDst, parseMode, type PlanEntry, type Sourced } from '../plan/index.js';
import type { Target } from './types.js';

/** A generated file to add to a package. */
export interface AddedFile {
  /** Absolute destination path, e.g. `/usr/share/acme/build-info.json`. */
  path: string;
  /** UTF-8 content. */
  data: string;
  /** Default 0o644. */
  mode?: number | string;
  owner?: string;
  group?: string;
  /** A configuration file (deb conffile / rpm %config(noreplace)). */
  config?: boolean;
}

/**
 * Return `target` with `files` added to its plan. `origin` names who adds them (shown in
 * E_PLAN_COLLISION messages); `mtime` is normally `ctx.options.sourceDateEpoch`.
 */
export function withFiles(target: Target, files: readonly AddedFile[], origin: string, mtime: number): Target {
  const existing: Sourced[] = target.plan.entries.map((entry) => ({ entry, origin: 'the package plan', strength: 'explicit' }));
  const added: Sourced[] = files.map((f) => {
    const entry: PlanEntry = {
      kind: 'data',
      path: normalizeDst(f.path, `${origin}: path`),
      data: f.data,
      mode: f.mode === undefined ? 0o644 : parseMode(f.mode, `${origin}: ${f.path} mode`, { unambiguous: true }),
      owner: checkOwnerName(f.owner ?? 'root', `${origin}: ${f.path} owner`),
      group: checkOwnerName(f.group ?? 'root', `${origin}: ${f.path} group`),
      mtime,
      flags: f.config ? { config: true, noreplace: true } : {},
    };
    return { entry, origin, strength: 'explicit' };
  });
  const { entries } = assemblePlan([...existing, ...added], mtime);
  return { ...target, plan: { ...target.plan, entries } } as Target;
}
