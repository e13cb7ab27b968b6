/** The --dry-run report: per format, the metadata, every plan entry, the maintainer scripts and the units. */
import type { Reporter } from '../reporter.js';
import type { PlanEntry } from '../plan/types.js';
import { targetFormat } from '../formats/registry.js';
import { safeLine, safeText } from '../terminal.js';
import type { BuildContext, Target } from './types.js';

/** systemd unit files, wherever the package puts them. */
const UNIT_PATH = /\/systemd\/(system|user)\/[^/]+\.(service|socket|timer|path|mount|automount|target|slice)$/;

function describeEntry(e: PlanEntry): string {
  const mode = e.mode.toString(8).padStart(4, '0');
  const flags = Object.entries(e.flags).filter(([, v]) => v).map(([k]) => k);
  const extra = e.kind === 'symlink' || e.kind === 'hardlink' ? ` -> ${safeLine(e.target)}` : '';
  return `${e.kind.padEnd(8)} ${mode} ${safeLine(`${e.owner}:${e.group}`).padEnd(16)} ${safeLine(e.path)}${extra}${flags.length ? `  [${flags.join(',')}]` : ''}`;
}

function header(t: Target): string {
  return safeLine(targetFormat(t).identity(t.meta).label);
}

/** Render the plan of every target as text lines. */
export function planLines(ctx: BuildContext): string[] {
  const lines: string[] = [];
  for (const t of ctx.targets) {
    lines.push(`== ${header(t)}`, '-- metadata', ...safeText(targetFormat(t).describe(t).trimEnd()).split('\n').map((l) => `  ${l}`));
    lines.push(`-- files (${t.plan.entries.length})`);
    for (const e of t.plan.entries) lines.push(`  ${describeEntry(e)}`);
    const scripts = Object.entries(t.scripts).filter(([, s]) => s);
    lines.push(`-- scripts (${scripts.length})`);
    for (const [name, s] of scripts) {
      lines.push(`---- ${name}${s!.interpreter ? ` (${safeLine(s!.interpreter)})` : ''}`);
      lines.push(...safeText(s!.body.trimEnd()).split('\n').map((l) => `  ${l}`));
    }
    const units = t.plan.entries.filter((e) => UNIT_PATH.test(e.path) && (e.kind === 'data' || e.kind === 'file'));
    lines.push(`-- units (${units.length})`);
    for (const u of units) {
      lines.push(`---- ${safeLine(u.path)}`);
      if (u.kind === 'data') lines.push(...safeText(u.data.trimEnd()).split('\n').map((l) => `  ${l}`));
      else if (u.kind === 'file') lines.push(`  (copied from ${safeLine(u.source)})`);
    }
  }
  return lines;
}

/** Print the plan to stdout (the dry-run result is the command's output, not a log line). */
export function printPlan(ctx: BuildContext, _reporter: Reporter): void {
  process.stdout.write(`${planLines(ctx).join('\n')}\n`);
}
