/**
 * Production dependencies of one workspace, installed from the root lock file: the root's
 * package.json, lock file and every workspace's package.json are copied to a staging directory and
 * `npm ci --workspace=NAME --omit=dev` runs there. npm links workspaces; each link becomes a real copy
 * of the linked workspace's publishable files (npm's pack list) with its own nested dependencies,
 * the member's own nested `node_modules` is laid over the hoisted one, and no symlink is left
 * pointing out of the resulting `node_modules`.
 */
import { chmod, copyFile, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { MkpkgError, type Warning } from '../errors.js';
import { runNpm } from '../plan/npm.js';
import { packList, type PacklistPackage } from '../plan/packlist.js';
import { productionInstallFlags, stagingLock, stagingPackageJson } from '../plan/node-app.js';
import type { Workspace, WorkspaceRoot } from './discover.js';

/** Options of {@link installWorkspaceDependencies}. */
export interface WorkspaceInstallOptions {
  /** Target CPU in Node.js spelling (optional dependencies are chosen for it). */
  cpu?: string;
  signal?: AbortSignal;
  onPhase?: (detail: string) => void;
}

const LOCK_FILES = ['npm-shrinkwrap.json', 'package-lock.json'];

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}

/** Every symlink under `dir` (not following links), depth first. */
async function symlinksUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) out.push(p);
      else if (e.isDirectory()) await walk(p);
    }
  };
  await walk(dir);
  return out.sort();
}

const inside = (parent: string, p: string): boolean => p === parent || p.startsWith(parent + sep);

/** Copy a workspace's publishable files (what `npm pack` would include) to `dest`; each must resolve inside the root. */
async function copyPacked(root: WorkspaceRoot, ws: Workspace, dest: string): Promise<void> {
  const rootReal = await realpath(root.dir);
  for (const f of packList(ws.dir, ws.packageJson as PacklistPackage)) {
    const from = join(ws.dir, f.path);
    const real = await realpath(from);
    if (!inside(rootReal, real)) {
      throw new MkpkgError('E_SOURCE_OUTSIDE', `${ws.rel}/${f.path} resolves to ${real}, outside the monorepo root ${root.dir}`, {
        hint: 'nothing outside the project is packaged: replace the symlink with the file', details: { workspace: ws.rel, path: f.path, target: real },
      });
    }
    const to = join(dest, f.path);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(real, to);
    await chmod(to, f.mode & 0o777);
  }
}

/**
 * Install `member`'s production dependencies; returns the staging directory whose `node_modules`
 * is the app's. The caller removes the directory. No lock file at the root → `E_WORKSPACE`.
 */
export async function installWorkspaceDependencies(root: WorkspaceRoot, member: Workspace, o: WorkspaceInstallOptions = {}): Promise<{ dir: string; warnings: Warning[] }> {
  let lock: string | undefined;
  for (const name of LOCK_FILES) if (!lock && (await exists(join(root.dir, name)))) lock = name;
  if (!lock) {
    throw new MkpkgError('E_WORKSPACE', `${root.dir} has no package-lock.json: a workspace's production dependencies are installed from the root lock file`, {
      hint: 'run "npm install" in the monorepo root and commit package-lock.json', details: { dir: root.dir },
    });
  }
  const staging = await mkdtemp(join(tmpdir(), 'mkpkg-ws-npm-'));
  const warnings: Warning[] = [];
  try {
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(stagingPackageJson(root.packageJson, root.dir, true), null, 2)}\n`);
    await writeFile(join(staging, lock), stagingLock(await readFile(join(root.dir, lock), 'utf8'), root.dir));
    if (await exists(join(root.dir, '.npmrc'))) await copyFile(join(root.dir, '.npmrc'), join(staging, '.npmrc'));
    for (const ws of root.workspaces) {
      await mkdir(join(staging, ws.rel), { recursive: true });
      await writeFile(join(staging, ws.rel, 'package.json'), `${JSON.stringify(stagingPackageJson(ws.packageJson, ws.dir, true), null, 2)}\n`);
    }
    o.onPhase?.(`npm ci --workspace=${member.name} (${lock})`);
    await runNpm(['ci', `--workspace=${member.name}`, ...productionInstallFlags(o.cpu ?? process.arch)], staging, { signal: o.signal });
    await materialiseLinks(root, member, staging);
    warnings.push(...(await overlayMemberModules(member, staging)));
    await checkNoOutsideLinks(join(staging, 'node_modules'));
    return { dir: staging, warnings };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Replace every npm link to a workspace with a copy of it; the member's link to itself goes. */
async function materialiseLinks(root: WorkspaceRoot, member: Workspace, staging: string): Promise<void> {
  const trees = [join(staging, 'node_modules'), ...root.workspaces.map((w) => join(staging, w.rel, 'node_modules'))];
  for (const tree of trees) {
    for (const link of await symlinksUnder(tree)) {
      const target = resolve(dirname(link), await readlink(link));
      const ws = root.workspaces.find((w) => join(staging, w.rel) === target);
      if (!ws) continue;
      await rm(link);
      if (ws === member) continue;
      await copyPacked(root, ws, link);
      const nested = join(staging, ws.rel, 'node_modules');
      if (await exists(nested)) await cp(nested, join(link, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    }
  }
}

/** Move the member's own nested node_modules over the hoisted one (Node.js finds those first). */
async function overlayMemberModules(member: Workspace, staging: string): Promise<Warning[]> {
  const nested = join(staging, member.rel, 'node_modules');
  const top = join(staging, 'node_modules');
  const warnings: Warning[] = [];
  if (!(await exists(nested))) return warnings;
  await mkdir(top, { recursive: true });
  const move = async (from: string, to: string, name: string): Promise<void> => {
    if (await exists(to)) {
      warnings.push({ code: 'W_WORKSPACE_NESTED', message: `${member.rel}/node_modules/${name} replaced the hoisted node_modules/${name} in the ${member.name} package (hoisted packages needing the other version get ${member.name}'s)` });
      await rm(to, { recursive: true, force: true });
    }
    await rename(from, to);
  };
  for (const e of await readdir(nested, { withFileTypes: true })) {
    if (e.name.startsWith('@') || e.name === '.bin') {
      await mkdir(join(top, e.name), { recursive: true });
      for (const s of await readdir(join(nested, e.name))) await move(join(nested, e.name, s), join(top, e.name, s), `${e.name}/${s}`);
    } else if (e.name !== '.package-lock.json') {
      await move(join(nested, e.name), join(top, e.name), e.name);
    }
  }
  return warnings;
}

/** Dangling links (bins of the dropped self link) go; a link leading out of node_modules is an error. */
async function checkNoOutsideLinks(top: string): Promise<void> {
  for (const link of await symlinksUnder(top)) {
    const target = resolve(dirname(link), await readlink(link));
    if (!inside(top, target)) {
      throw new MkpkgError('E_WORKSPACE', `node_modules/${relative(top, link)} links to ${target}, outside the app's node_modules`, {
        hint: 'a workspace linked inside another workspace\'s nested node_modules is not supported; hoist it (npm dedupe) and commit the lock file',
        details: { link: relative(top, link) },
      });
    }
    if (!(await exists(target))) await rm(link);
  }
}
