/**
 * Reading source trees: resolve a `src`, walk a directory without following symlinks, and detect
 * symlink loops. This is the file-system edge of planning; everything it returns is plain data.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { MkpkgError } from '../errors.js';
import { comparePaths } from './types.js';

/** One node of a source tree. `rel` uses `/` separators and is `''` for the root of the walk. */
export interface SourceNode {
  rel: string;
  abs: string;
  kind: 'file' | 'dir' | 'symlink';
  /** Permission bits of the source. */
  mode: number;
  size: number;
  /** Seconds since the epoch (floored). */
  mtime: number;
  dev: number;
  ino: number;
  nlink: number;
  /** Link target exactly as stored, for symlinks. */
  target?: string;
}

function fsCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * `Stats` numbers are doubles (read from a Float64Array): stored as they are, every plan entry and
 * every rpm file record kept its size in a 16-byte heap number (1.4 MB at 40,000 files).
 * A whole number below 2^31 made a small integer is stored in the object itself.
 */
function statInt(n: number): number {
  return n >= 0 && n < 2 ** 31 ? n | 0 : n;
}

/** The node of `abs`, from its stat. */
export function sourceNode(rel: string, abs: string, st: Stats, kind: SourceNode['kind'], target?: string): SourceNode {
  return {
    rel, abs, kind, target,
    mode: st.mode & 0o7777,
    size: kind === 'file' ? statInt(st.size) : 0,
    mtime: statInt(Math.floor(st.mtimeMs / 1000)),
    dev: st.dev, ino: st.ino, nlink: st.nlink,
  };
}

/** Translate a failing fs call on `abs` (from `where`) into a coded error. */
export function sourceError(e: unknown, where: string, abs: string): MkpkgError {
  const code = fsCode(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new MkpkgError('E_SOURCE_MISSING', `${where} ${JSON.stringify(abs)} does not exist`, {
      hint: 'check the path (relative paths are resolved from the project directory) or create the file first',
      details: { where, path: abs }, cause: e,
    });
  }
  if (code === 'ELOOP') {
    return new MkpkgError('E_SYMLINK_LOOP', `${where}: ${JSON.stringify(abs)} is a symlink loop`, {
      hint: 'fix or remove the symlinks that point back at each other', details: { where, path: abs }, cause: e,
    });
  }
  return new MkpkgError('E_SOURCE_UNREADABLE', `${where}: ${JSON.stringify(abs)} cannot be read (${code ?? String(e)})`, {
    hint: 'make the file readable by the user running mkpkg, or remove it from the contents', details: { where, path: abs, code }, cause: e,
  });
}

function notRegular(st: Stats, where: string, abs: string): MkpkgError {
  const what = st.isSocket() ? 'a socket' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device node' : 'not a regular file';
  return new MkpkgError('E_SOURCE_UNREADABLE', `${where}: ${JSON.stringify(abs)} is ${what}, which cannot be packaged`, {
    hint: 'remove it from the source tree or exclude it from the contents', details: { where, path: abs },
  });
}

/**
 * Resolve an explicitly named `src`: symlinks on the way are followed (the user pointed at it).
 * A dangling link is E_SOURCE_MISSING, a cyclic chain E_SYMLINK_LOOP.
 */
export async function statSource(abs: string, where: string): Promise<Stats> {
  try {
    const st = await stat(abs);
    if (!st.isFile() && !st.isDirectory()) throw notRegular(st, where, abs);
    return st;
  } catch (e) {
    if (e instanceof MkpkgError) throw e;
    if (fsCode(e) === 'ENOENT') {
      const link = await lstat(abs).then((l) => (l.isSymbolicLink() ? readlink(abs) : undefined), () => undefined);
      if (link !== undefined) {
        throw new MkpkgError('E_SOURCE_MISSING', `${where} ${JSON.stringify(abs)} is a symlink to ${JSON.stringify(link)}, which does not exist`, {
          hint: 'fix the dangling symlink, or ship it as a link with { type: "symlink", src: TARGET, dst: PATH }', details: { where, path: abs, target: link },
        });
      }
    }
    throw sourceError(e, where, abs);
  }
}

/** A symlink found inside a walked tree: reject cyclic chains and links to an ancestor directory. */
function checkLink(abs: string, target: string, where: string): void {
  if (isAbsolute(target)) return; // points into the target system, not into the source tree
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (e) {
    if (fsCode(e) === 'ELOOP') {
      throw new MkpkgError('E_SYMLINK_LOOP', `${where}: the symlink ${JSON.stringify(abs)} → ${JSON.stringify(target)} is part of a cyclic chain`, {
        hint: 'fix or remove the symlinks that point back at each other', details: { where, path: abs, target },
      });
    }
    return; // dangling links are shipped as they are
  }
  if (!st.isDirectory()) return;
  const to = realpathSync(abs);
  const from = realpathSync(dirname(abs));
  if (from === to || from.startsWith(to.endsWith(sep) ? to : to + sep)) {
    throw new MkpkgError('E_SYMLINK_LOOP', `${where}: the symlink ${JSON.stringify(abs)} → ${JSON.stringify(target)} points to its own ancestor directory ${JSON.stringify(to)}`, {
      hint: 'remove the link from the source tree, or ship it explicitly as { type: "symlink", src: TARGET, dst: PATH }',
      details: { where, path: abs, target, resolved: to },
    });
  }
}

/**
 * lstat one node found by a walk or a glob (symlinks are not followed). Synchronous, as is the
 * walk: a thread-pool round trip (and a promise) per file cost several times more than the call.
 */
export function lstatNode(rel: string, abs: string, where: string): SourceNode {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (e) {
    throw sourceError(e, where, abs);
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = readlinkSync(abs);
    } catch (e) {
      throw sourceError(e, where, abs);
    }
    checkLink(abs, target, where);
    return sourceNode(rel, abs, st, 'symlink', target);
  }
  if (st.isDirectory()) return sourceNode(rel, abs, st, 'dir');
  if (st.isFile()) return sourceNode(rel, abs, st, 'file');
  throw notRegular(st, where, abs);
}

/**
 * Walk a directory tree (the root itself first, `rel` = `''`), keeping symlinks as symlinks.
 * Children are listed in byte order, so the result is deterministic.
 */
export async function walkTree(root: string, where: string): Promise<SourceNode[]> {
  return [...(await walkNodes(root, where))];
}

/**
 * {@link walkTree} as it goes: each node is yielded as soon as its directory is listed, so a caller
 * that keeps only what it makes of the nodes never holds the whole tree's nodes at once.
 */
export async function walkNodes(root: string, where: string): Promise<Iterable<SourceNode>> {
  return descend(sourceNode('', root, await statSource(root, where), 'dir'), where);
}

/** Pre-order, children in byte order, with an explicit stack: nested generators passed every node up through each level. */
function* descend(root: SourceNode, where: string): Generator<SourceNode> {
  const pending = [root];
  for (let n = pending.pop(); n; n = pending.pop()) {
    yield n;
    if (n.kind !== 'dir') continue;
    let names: string[];
    try {
      names = readdirSync(n.abs);
    } catch (e) {
      throw sourceError(e, where, n.abs);
    }
    names.sort(comparePaths);
    const prefix = n.rel ? `${n.rel}/` : '';
    const dir = n.abs.endsWith('/') ? n.abs : `${n.abs}/`;
    const children = names.map((name) => lstatNode(prefix + name, dir + name, where));
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
}

/** True when an absolute POSIX path has no `//`, `.` or `..` segment and no trailing `/`. */
function isClean(p: string): boolean {
  return p === '/' || (!p.endsWith('/') && !p.includes('//') && !p.includes('/./') && !p.includes('/../') && !p.endsWith('/.') && !p.endsWith('/..'));
}

/** Path of `abs` relative to `from` with `/` separators. */
export function relPosix(from: string, abs: string): string {
  // Fast path for the common case (a clean absolute `from` and a path below it): path.relative
  // normalises both arguments on every call, which showed up when planning 10,000 files.
  if (sep === '/' && abs.startsWith(from) && abs.charCodeAt(from.length) === 47 && isAbsolute(from) && isClean(from)) {
    const rest = abs.slice(from.length + 1);
    if (isClean(`/${rest}`)) return rest;
  }
  return relative(from, abs).split(sep).join('/');
}
