/** `stagePlan`: materialise a plan as a directory tree, exactly as it will be packaged. */
import { chmod, chown, copyFile, lchown, link, lutimes, mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MkpkgError } from '../errors.js';
import { dataBytes, type Plan, type PlanEntry } from './types.js';

/** Options of {@link stagePlan}. */
export interface StageOptions {
  /** Empty a non-empty existing directory first. Default false (refuse). */
  force?: boolean;
  /** Apply owners/groups (names that exist on this host). Default: only when running as root. */
  chown?: boolean;
}

/** What staging did about ownership. */
export interface StageResult {
  dir: string;
  /** True when owners and groups were applied. */
  ownersApplied: boolean;
  /** Owner/group names of the plan that do not exist on this host (left as the staging user). */
  unknownNames: string[];
}

async function idTable(file: string): Promise<Map<string, number>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2])) map.set(f[0], Number(f[2]));
  }
  return map;
}

async function prepareDir(dir: string, force: boolean): Promise<void> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw new MkpkgError('E_OUTPUT_UNWRITABLE', `staging directory ${dir} cannot be used (${e.code ?? e.message})`, { hint: 'choose a directory you can write', cause: e });
  });
  if (names.length === 0) return;
  if (!force) {
    throw new MkpkgError('E_STAGE_NOT_EMPTY', `staging directory ${dir} is not empty (${names.length} entries)`, {
      hint: 'choose an empty or new directory, or pass --force to replace its contents', details: { dir },
    });
  }
  if (dir === '/') throw new MkpkgError('E_OUTPUT_UNWRITABLE', 'refusing to stage into /', { hint: 'choose a dedicated directory' });
  await Promise.all(names.map((n) => rm(join(dir, n), { recursive: true, force: true })));
}

/**
 * Write every entry of `plan` below `dir`: files copied, data written, directories, symlinks and
 * hardlinks created, modes and mtimes applied (directories last, deepest first). Ghost entries are
 * not created (they are not in any payload). As root, owners whose names exist here are applied too.
 */
export async function stagePlan(plan: Plan, dir: string, options: StageOptions = {}): Promise<StageResult> {
  const root = resolve(dir);
  await prepareDir(root, options.force === true);
  await mkdir(root, { recursive: true });
  const applyOwners = options.chown ?? process.getuid?.() === 0;
  const [users, groups] = applyOwners ? await Promise.all([idTable('/etc/passwd'), idTable('/etc/group')]) : [new Map(), new Map()];
  const unknown = new Set<string>();
  const ids = (e: PlanEntry): [number, number] | undefined => {
    const u = users.get(e.owner);
    const g = groups.get(e.group);
    if (u === undefined) unknown.add(e.owner);
    if (g === undefined) unknown.add(e.group);
    return applyOwners && u !== undefined && g !== undefined ? [u, g] : undefined;
  };
  const dirs: PlanEntry[] = [];
  const links: PlanEntry[] = [];
  for (const e of plan.entries) {
    const p = join(root, e.path);
    if (e.flags.ghost) continue;
    switch (e.kind) {
      case 'dir':
        await mkdir(p, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
        dirs.push(e);
        continue;
      case 'symlink': {
        await symlink(e.target, p);
        const o = ids(e);
        if (o) await lchown(p, o[0], o[1]);
        await lutimes(p, e.mtime, e.mtime);
        continue;
      }
      case 'hardlink':
        links.push(e);
        continue;
      case 'file':
        await copyFile(e.source, p);
        break;
      case 'data':
        await writeFile(p, dataBytes(e));
        break;
    }
    const o = ids(e);
    if (o) await chown(p, o[0], o[1]);
    await chmod(p, e.mode);
    await utimes(p, e.mtime, e.mtime);
  }
  for (const e of links) if (e.kind === 'hardlink') await link(join(root, e.target), join(root, e.path));
  for (const e of dirs.reverse()) {
    const p = join(root, e.path);
    const o = ids(e);
    if (o) await chown(p, o[0], o[1]);
    await chmod(p, e.mode);
    await utimes(p, e.mtime, e.mtime);
  }
  return { dir: root, ownersApplied: applyOwners, unknownNames: applyOwners ? [...unknown].sort() : [] };
}
