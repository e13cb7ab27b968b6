/** `buildPlan`: contents + app layout + generated entries → a sorted, validated plan. */
import type { ContentSpec } from '../config/schema.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { Plan, PlanEntry } from './types.js';
import { expandContents, type ContentInput, type Sourced } from './contents.js';
import { assemblePlan } from './assemble.js';
import { checkOwnerName, planModeUses, unsafeModeWarnings } from './modes.js';
import { checkLinkTarget, normalizeDst } from './paths.js';
import { scanNative } from './native.js';
import type { NativeFile } from './elf.js';
import type { NodeAppLayout } from './node-app.js';
import { SourceScan } from './source-scan.js';

/** Everything the plan is built from. */
export interface PlanInput {
  /** Relative `src` paths are resolved from here. */
  projectDir: string;
  contents: readonly (ContentSpec | ContentInput)[];
  format: 'deb' | 'rpm';
  /** SOURCE_DATE_EPOCH: no mtime in the plan is later than this. */
  sourceDateEpoch: number;
  /** Entries from other layers (units, launcher, scripts' helpers, copyright), usually `data`. */
  generated?: readonly PlanEntry[];
  /** The Node.js app layout from {@link layoutNodeApp}. */
  app?: NodeAppLayout;
  /** Opens each regular file once as it is planned and sniffs it for ELF (see {@link SourceScan}). */
  scan?: SourceScan;
}

/** The plan, the warnings raised while building it, and the native files found in it. */
export interface PlanResult {
  plan: Plan;
  warnings: Warning[];
  native: NativeFile[];
}

function checkGenerated(e: PlanEntry, i: number): Sourced {
  const where = `generated[${i}]`;
  const path = normalizeDst(e.path, `${where}.path`);
  if (!Number.isInteger(e.mode) || e.mode < 0 || e.mode > 0o7777) {
    throw new MkpkgError('E_PLAN_INVALID', `${where}.mode ${String(e.mode)} for ${path} is not a permission mode`, { hint: 'use a number between 0 and 0o7777' });
  }
  checkOwnerName(e.owner, `${where}.owner`);
  checkOwnerName(e.group, `${where}.group`);
  if (e.kind === 'symlink') checkLinkTarget(e.target, `${where}.target`);
  return { entry: { ...e, path, flags: { ...e.flags } }, origin: `${where} (${path})`, strength: 'explicit' };
}

/**
 * Expand the app layout, `contents` and `generated` entries into claims on paths, in that order,
 * without merging them: callers that plan in two passes (arch detection, then generated files)
 * can expand the source tree once and feed both passes to {@link assemblePlan}.
 */
export async function planItems(input: PlanInput): Promise<{ items: Sourced[]; warnings: Warning[] }> {
  const { projectDir, format, sourceDateEpoch } = input;
  if (!Number.isInteger(sourceDateEpoch) || sourceDateEpoch < 0) {
    throw new MkpkgError('E_PLAN_INVALID', `SOURCE_DATE_EPOCH ${String(sourceDateEpoch)} is not a non-negative whole number of seconds`, {
      hint: 'set SOURCE_DATE_EPOCH to a Unix timestamp, e.g. $(git log -1 --format=%ct)',
    });
  }
  const ctx = { projectDir, format, sourceDateEpoch, scan: input.scan };
  const items: Sourced[] = [];
  const warnings: Warning[] = [];
  if (input.app) {
    items.push(...(await expandContents(input.app.contents, ctx)));
    warnings.push(...input.app.warnings);
  }
  items.push(...(await expandContents(input.contents, ctx)));
  (input.generated ?? []).forEach((e, i) => items.push(checkGenerated(e, i)));
  return { items, warnings };
}

/** Build the plan for one format. Reads the source tree (stat, and 20 bytes per file for ELF detection). */
export async function buildPlan(input: PlanInput): Promise<PlanResult> {
  const scan = input.scan ?? new SourceScan({ keepOpen: 0 });
  const { items, warnings } = await planItems({ ...input, scan });
  const assembled = assemblePlan(items, input.sourceDateEpoch);
  const entries = assembled.entries;
  const native = await scanNative(entries, assembled.origins, input.projectDir, scan);
  warnings.push(...unsafeModeWarnings(planModeUses(entries, assembled.origins)));
  return { plan: { entries }, warnings, native };
}
