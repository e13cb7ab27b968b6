/**
 * Which workspaces a build packages, and why: the selection by name or glob, and `--since`'s
 * changed workspaces plus everything that depends on them. Pure: the changed files come from git.ts.
 */
import { minimatch } from 'minimatch';
import { MkpkgError } from '../errors.js';
import type { Workspace } from './discover.js';

/** One workspace to build and the reason it is built. */
export interface SelectedWorkspace {
  workspace: Workspace;
  reason: string;
}

/** The members matching `patterns` (npm names or directories, globs allowed); `true` selects all. */
export function selectWorkspaces(all: readonly Workspace[], patterns: true | readonly string[], field = '--workspaces'): Workspace[] {
  if (patterns === true || patterns.length === 0) return [...all];
  const chosen = new Set<Workspace>();
  for (const p of patterns) {
    const hits = all.filter((w) => w.name === p || w.rel === p.replace(/^\.\//, '').replace(/\/+$/, '') || minimatch(w.name, p) || minimatch(w.rel, p));
    if (!hits.length) {
      throw new MkpkgError('E_WORKSPACE', `${field}: ${JSON.stringify(p)} matches no workspace`, {
        hint: `the workspaces are ${all.map((w) => `${w.name} (${w.rel})`).join(', ')}`, details: { field, value: p },
      });
    }
    for (const h of hits) chosen.add(h);
  }
  return all.filter((w) => chosen.has(w));
}

/** The workspace a root-relative path belongs to (the deepest one containing it), if any. */
export function owningWorkspace(all: readonly Workspace[], path: string): Workspace | undefined {
  return [...all].sort((a, b) => b.rel.length - a.rel.length).find((w) => path === w.rel || path.startsWith(`${w.rel}/`));
}

function listFiles(files: string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `${shown} and ${files.length - 3} more` : shown;
}

/** What `--since` found: the workspaces to build with their reasons, and the changed files no workspace owns. */
export interface SinceSelection {
  build: SelectedWorkspace[];
  outside: string[];
}

/**
 * Among `candidates`, the workspaces with changed files, plus (transitively) those depending on a
 * workspace that is built. Dependencies are followed through every workspace of the root.
 */
export function selectSince(all: readonly Workspace[], candidates: readonly Workspace[], changed: readonly string[]): SinceSelection {
  const files = new Map<string, string[]>();
  const outside: string[] = [];
  for (const path of changed) {
    const w = owningWorkspace(all, path);
    if (w) (files.get(w.name) ?? files.set(w.name, []).get(w.name)!).push(path);
    else outside.push(path);
  }
  const reasons = new Map<string, string>();
  for (const [name, list] of files) reasons.set(name, `changed files ${listFiles(list.sort())}`);
  // Breadth first, so a reason names the nearest built dependency.
  let frontier = [...reasons.keys()];
  while (frontier.length) {
    const next: string[] = [];
    for (const w of all) {
      if (reasons.has(w.name)) continue;
      const via = Object.keys(w.workspaceDeps).sort().find((d) => frontier.includes(d));
      if (via) {
        reasons.set(w.name, `depends on ${via}`);
        next.push(w.name);
      }
    }
    frontier = next;
  }
  return {
    build: candidates.filter((w) => reasons.has(w.name)).map((w) => ({ workspace: w, reason: reasons.get(w.name)! })),
    outside: outside.sort(),
  };
}
