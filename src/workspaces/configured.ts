/**
 * Whether a build is a workspaces build. Kept apart from discovery (tinyglobby and picomatch, ~20 ms
 * to load): every `mkpkg build` asks this, and most projects are not workspaces roots.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadProject } from '../config/load.js';

/** The `workspaces` globs of a root package.json (`[...]` or `{ packages: [...] }`), or undefined. */
export function workspaceGlobs(pkg: Record<string, unknown>): string[] | undefined {
  const w = pkg.workspaces;
  const list = Array.isArray(w) ? w : w && typeof w === 'object' ? (w as { packages?: unknown }).packages : undefined;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : undefined;
}

/** True when `dir` is an npm workspaces root whose config sets `workspaces` (a build there is a workspaces build). */
export async function configuresWorkspaces(dir: string, configFile?: string): Promise<boolean> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(await readFile(join(resolve(dir), 'package.json'), 'utf8'));
  } catch {
    return false;
  }
  if (!pkg || typeof pkg !== 'object' || !workspaceGlobs(pkg as Record<string, unknown>)?.length) return false;
  const project = await loadProject(dir, { configFile });
  return project.config.workspaces !== undefined && project.config.workspaces !== false;
}
