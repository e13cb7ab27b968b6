/**
 * A last check of a plan before a writer encodes it: hooks and plugins may have edited the plan
 * after it was built, and a value a format cannot hold must be a coded error naming the entry,
 * not a failure halfway through writing.
 */
import { MkpkgError } from '../errors.js';
import { checkOwnerName, isOwnerName } from './modes.js';
import { checkLinkTarget, isNormalDst, joinDst } from './paths.js';
import type { Plan, PlanEntry } from './types.js';

/** The usual entry, checked without building a message for each: a clean path, a mode, valid names, not a link. */
const plainlyValid = (e: PlanEntry) => e.kind !== 'symlink' && Number.isInteger(e.mode) && e.mode >= 0 && e.mode <= 0o7777
  && isNormalDst(e.path) && isOwnerName(e.owner) && isOwnerName(e.group);

/** Throw E_PLAN_INVALID for the first entry whose path, owner, group, mode or link target no package can hold. */
export function checkPlan(plan: Plan): void {
  for (const e of plan.entries) {
    if (plainlyValid(e)) continue;
    const where = `plan entry ${JSON.stringify(e.path)}`;
    if (typeof e.path !== 'string' || !e.path.startsWith('/') || joinDst('/', e.path.slice(1), where) !== e.path) {
      throw new MkpkgError('E_PLAN_INVALID', `${where} is not an absolute, normalised path`, {
        hint: 'a hook or plugin that edits the plan must give clean absolute paths (use withFiles())', details: { path: e.path },
      });
    }
    if (!Number.isInteger(e.mode) || e.mode < 0 || e.mode > 0o7777) {
      throw new MkpkgError('E_PLAN_INVALID', `${where} has mode ${String(e.mode)}, which is not a permission mode`, { hint: 'use a number between 0 and 0o7777', details: { path: e.path } });
    }
    checkOwnerName(e.owner, `${where} owner`);
    checkOwnerName(e.group, `${where} group`);
    if (e.kind === 'symlink') checkLinkTarget(e.target, where);
  }
}
