/** Plan → data.tar: entry order (pure) and the streaming pass that hashes file contents. */
import { createHash, hash as digest, type Hash } from 'node:crypto';
import { MkpkgError } from '../../errors.js';
import { dataBytes, type PlanEntry } from '../../plan/types.js';
import type { TarEncoder, TarEntryHeader } from '../../archive/tar.js';
import { FileDigests } from './md5sums.js';

/** Path inside data.tar: `./usr/bin/foo`, directories with a trailing `/`. */
export function archivePath(e: Pick<PlanEntry, 'path' | 'kind'>): string {
  return `.${e.path}${e.kind === 'dir' ? '/' : ''}`;
}

function invalid(path: string, why: string, hint: string): MkpkgError {
  return new MkpkgError('E_PLAN_INVALID', `plan entry ${path} ${why}`, { hint, details: { path } });
}

/**
 * The entries of data.tar in write order (the `./` root is implicit and comes first): everything
 * except ghosts, in plan (byte) order, with hard links after all regular entries and symlinks last,
 * as dpkg-deb does. Checks that every parent directory precedes its children and that hard links
 * point at a shipped regular file.
 */
export function dataTarOrder(entries: readonly PlanEntry[]): PlanEntry[] {
  const shipped = entries.filter((e) => !e.flags.ghost);
  const dirs = new Set<string>(['']);
  // Hard links' targets, each true once met as a regular file: a set of every regular file was ~2 MB of hash tables at 40,000 files.
  const targets = new Map<string, boolean>();
  for (const e of shipped) if (e.kind === 'hardlink') targets.set(e.target, false);
  for (const e of shipped) {
    if (!e.path.startsWith('/') || e.path === '/' || e.path.endsWith('/')) {
      throw invalid(e.path, 'is not an absolute, normalised path', 'fix the plan: destination paths look like /usr/bin/foo');
    }
    const parent = e.path.slice(0, e.path.lastIndexOf('/'));
    if (!dirs.has(parent)) {
      throw invalid(e.path, `comes without its parent directory ${parent} before it (dpkg does not create missing parents)`, 'add a dir entry for every parent, sorted before its children');
    }
    if (e.kind === 'dir') dirs.add(e.path);
    if ((e.kind === 'file' || e.kind === 'data') && targets.has(e.path)) targets.set(e.path, true);
  }
  for (const e of shipped) {
    if (e.kind === 'hardlink' && !targets.get(e.target)) {
      throw invalid(e.path, `is a hard link to ${e.target}, which is not a regular file shipped in this package`, 'point hard links at a file entry of the same plan');
    }
  }
  const rank = (e: PlanEntry) => (e.kind === 'hardlink' ? 1 : e.kind === 'symlink' ? 2 : 0);
  return [0, 1, 2].flatMap((r) => shipped.filter((e) => rank(e) === r));
}

function header(e: PlanEntry): TarEntryHeader {
  return { path: archivePath(e), mode: e.mode, uname: e.owner, gname: e.group, mtime: e.mtime };
}

/** Options for {@link writeDataTar}. */
export interface DataTarOptions {
  /** mtime of the `./` root entry. */
  rootMtime: number;
  signal?: AbortSignal;
  /** Called after each regular file with the number of content bytes it added. */
  onContent?: (bytes: number) => void;
}

/**
 * Stream `ordered` (from {@link dataTarOrder}) into `tar`, then finish it.
 * Returns the md5 of every regular file and hard link.
 */
export async function writeDataTar(tar: TarEncoder, ordered: readonly PlanEntry[], opts: DataTarOptions): Promise<FileDigests> {
  const md5 = new FileDigests();
  await tar.addDirectory({ path: './', mode: 0o755, uname: 'root', gname: 'root', mtime: opts.rootMtime });
  for (const e of ordered) {
    opts.signal?.throwIfAborted();
    const h = header(e);
    switch (e.kind) {
      case 'dir':
        await tar.addDirectory(h);
        break;
      case 'symlink':
        await tar.addSymlink(h, e.target);
        break;
      case 'hardlink':
        await tar.addHardlink(h, archivePath({ path: e.target, kind: 'file' }));
        md5.addLink(e.path, e.target); // hard links come after every regular file (dataTarOrder)
        break;
      case 'data': {
        const data = dataBytes(e);
        await tar.addFile(h, data.length, data);
        md5.add(e.path, digest('md5', data, 'buffer'));
        opts.onContent?.(data.length);
        break;
      }
      case 'file': {
        // Most files arrive in one piece: a one-shot digest then, without a hash object per file.
        let whole: Buffer | undefined;
        let hash: Hash | undefined;
        await tar.addFileFromPath(h, e.size, e.source, (chunk) => {
          if (!hash && chunk.length === e.size) whole = digest('md5', chunk, 'buffer');
          else (hash ??= createHash('md5')).update(chunk);
        });
        md5.add(e.path, whole ?? (hash ?? createHash('md5')).digest());
        opts.onContent?.(e.size);
        break;
      }
    }
  }
  await tar.finish();
  return md5;
}
