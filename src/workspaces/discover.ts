/** Finding the npm workspaces of a monorepo root: package.json `workspaces` globs → member directories. */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { MkpkgError } from '../errors.js';
import { workspaceGlobs } from './configured.js';

/** The dependency fields whose workspace entries become package dependencies (runtime ones only). */
export const RUNTIME_DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies'] as const;

/** One npm workspace of the root. */
export interface Workspace {
  /** npm package name (package.json `name`). */
  name: string;
  version: string;
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the root, `/`-separated (`packages/api`). */
  rel: string;
  /** Runtime dependencies on other workspaces of the root: npm name → range as written. */
  workspaceDeps: Record<string, string>;
  /** Its package.json as written (every field npm reads). */
  packageJson: Record<string, unknown>;
}

/** A monorepo root and its workspaces, sorted by directory. */
export interface WorkspaceRoot {
  dir: string;
  /** The root's package.json as written. */
  packageJson: Record<string, unknown>;
  workspaces: Workspace[];
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MkpkgError('E_WORKSPACE', `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { hint: 'every workspace directory needs a package.json', details: { file } });
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new MkpkgError('E_CONFIG_PARSE', `${file} is not a JSON object`, { hint: 'fix the JSON of that package.json', details: { file } });
}

/** Read the root's workspaces. A root without `workspaces`, or a member without name/version → `E_WORKSPACE`. */
export async function discoverWorkspaces(rootDir: string): Promise<WorkspaceRoot> {
  const dir = resolve(rootDir);
  const rootPkg = await readJson(join(dir, 'package.json'));
  const globs = workspaceGlobs(rootPkg);
  if (!globs?.length) {
    throw new MkpkgError('E_WORKSPACE', `${join(dir, 'package.json')} has no "workspaces"`, {
      hint: 'run the workspaces build in the monorepo root, whose package.json lists "workspaces": ["packages/*"]', details: { dir },
    });
  }
  const manifests = await glob(globs.map((g) => `${g.replace(/\/+$/, '')}/package.json`), { cwd: dir, ignore: ['**/node_modules/**'], absolute: false });
  const raw: { rel: string; pkg: Record<string, unknown> }[] = [];
  for (const m of manifests.sort()) {
    const rel = m.replace(/\/?package\.json$/, '');
    raw.push({ rel, pkg: await readJson(join(dir, m)) });
  }
  const names = new Set<string>();
  for (const { rel, pkg } of raw) {
    const where = `${rel}/package.json`;
    if (typeof pkg.name !== 'string' || !pkg.name || typeof pkg.version !== 'string' || !pkg.version) {
      throw new MkpkgError('E_WORKSPACE', `workspace ${where} needs a "name" and a "version" to be packaged`, { hint: `add "name" and "version" to ${where}`, details: { workspace: rel } });
    }
    if (names.has(pkg.name)) throw new MkpkgError('E_WORKSPACE', `two workspaces are named ${JSON.stringify(pkg.name)} (one is ${rel})`, { hint: 'give every workspace its own package.json name', details: { workspace: rel } });
    names.add(pkg.name);
  }
  const workspaces = raw.map(({ rel, pkg }): Workspace => {
    const deps: Record<string, string> = {};
    for (const field of RUNTIME_DEPENDENCY_FIELDS) {
      for (const [name, spec] of Object.entries((pkg[field] as Record<string, unknown> | undefined) ?? {})) {
        if (names.has(name) && typeof spec === 'string') deps[name] = spec;
      }
    }
    return { name: pkg.name as string, version: pkg.version as string, dir: join(dir, rel), rel: relative(dir, join(dir, rel)).split('\\').join('/'), workspaceDeps: deps, packageJson: pkg };
  });
  return { dir, packageJson: rootPkg, workspaces };
}
