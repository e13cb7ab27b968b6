/**
 * Man and info pages compressed as dh_compress and Fedora's brp-compress do: every regular file
 * under /usr/share/man and /usr/share/info (except info's `dir` index and files already
 * compressed) becomes NAME.gz, gzip at level 9 with no file name and mtime 0 (`gzip -9n`, so the
 * bytes depend on the content only). Hard links follow their file; a symlink whose target was
 * renamed is renamed and retargeted too (`x.1 -> y.1` becomes `x.1.gz -> y.1.gz`).
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { comparePaths, dataBytes, findByPath, sortedByPath, type DataEntry, type PlanEntry } from '../plan/types.js';

const DOC_ROOTS = ['/usr/share/man/', '/usr/share/info/'];
const COMPRESSED = /\.(gz|bz2|xz|lzma|Z|zst|zip|7z)$/;

/** True for a path dh_compress would compress as a man or info page. */
export function isCompressibleDoc(path: string): boolean {
  if (!DOC_ROOTS.some((r) => path.startsWith(r)) || COMPRESSED.test(path)) return false;
  return !(path.startsWith('/usr/share/info/') && /^dir(\.old)?$/.test(posix.basename(path)));
}

/** gzip -9n: maximum compression, no name, mtime 0 (Node's gzip header has neither). */
export function gzipReproducible(bytes: Uint8Array): Buffer {
  return gzipSync(bytes, { level: 9 });
}

function linkTarget(link: string, target: string): string {
  return posix.normalize(target.startsWith('/') ? target : posix.join(posix.dirname(link), target));
}

/**
 * Compress the man and info pages of a plan (sorted result). `read` gives a file entry's bytes
 * (default: the source file). Paths that would collide with an existing entry are left alone.
 */
export function compressDocs(entries: readonly PlanEntry[], read: (source: string) => Buffer = (s) => readFileSync(s)): PlanEntry[] {
  const sorted = sortedByPath(entries);
  // Paths as renamed so far (true: now present, false: gone); anything else is looked up in the plan.
  const moved = new Map<string, boolean>();
  const present = (p: string) => moved.get(p) ?? findByPath(sorted, p) !== undefined;
  const move = (from: string, to: string) => {
    moved.set(from, false);
    moved.set(to, true);
  };
  const out = entries.map((e): PlanEntry => {
    if ((e.kind !== 'file' && e.kind !== 'data') || !isCompressibleDoc(e.path) || findByPath(sorted, `${e.path}.gz`) !== undefined) return e;
    const bytes = e.kind === 'file' ? read(e.source) : dataBytes(e);
    move(e.path, `${e.path}.gz`);
    const gz: DataEntry = { kind: 'data', path: `${e.path}.gz`, data: gzipReproducible(bytes).toString('base64'), encoding: 'base64', mode: e.mode, owner: e.owner, group: e.group, mtime: e.mtime, flags: e.flags };
    return gz;
  });
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    // A hard link's target is a regular file, renamed (if at all) just above.
    if (e.kind === 'hardlink' && moved.get(e.target) === false && !findByPath(sorted, `${e.path}.gz`)) {
      out[i] = { ...e, path: `${e.path}.gz`, target: `${e.target}.gz` };
      move(e.path, `${e.path}.gz`);
    }
  }
  // Links to links to pages: repeat until nothing changes, as dh_compress does.
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < out.length; i++) {
      const e = out[i];
      if (e.kind !== 'symlink') continue;
      const abs = linkTarget(e.path, e.target);
      if (present(abs) || !present(`${abs}.gz`) || present(`${e.path}.gz`)) continue;
      move(e.path, `${e.path}.gz`);
      out[i] = { ...e, path: `${e.path}.gz`, target: `${e.target}.gz` };
      changed = true;
    }
  }
  return moved.size > 0 ? out.sort((a, b) => comparePaths(a.path, b.path)) : out;
}
