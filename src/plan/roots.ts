/**
 * The source-root rule: mkpkg never reads a byte of a file outside the root a source belongs to
 * (the project directory; the npm staging directory for installed dependencies).
 *
 * - Inside a gathered tree (a directory `src`, glob matches, `node_modules`) a symlink is packaged
 *   as a symlink with its target unchanged and is never followed, wherever it points.
 * - A named source (a file or directory `src`, the fixed part of a glob, npm's publish list, a
 *   script, unit or hook file) has every symlink on its way resolved; where it really is must be
 *   inside the root, else `E_SOURCE_OUTSIDE`. The one exception is an absolute, non-glob `src`
 *   written in the config: the user named that file explicitly.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve, sep } from 'node:path';
import { MkpkgError } from '../errors.js';
import { sourceError } from './walk.js';

/** A directory sources must stay in, with its real path and a cache of resolved parents. */
export interface SourceRoot {
  /** The directory as given (for messages). */
  dir: string;
  /** How messages call it: `the project directory`, `the npm staging directory`. */
  label: string;
  /** Its real path (every symlink resolved). */
  real: string;
  /** Real paths of parent directories already resolved: a list of 10,000 files has few parents. */
  parents: Map<string, string>;
}

/** A {@link SourceRoot} for `dir`. */
export function sourceRoot(dir: string, label: string): SourceRoot {
  let real: string;
  try {
    real = realpathSync.native(dir);
  } catch (e) {
    throw sourceError(e, label, dir);
  }
  return { dir, label, real, parents: new Map() };
}

/** True when the real path `path` is `dir` itself or lies below it. */
export function isWithin(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function realParent(root: SourceRoot, parent: string, where: string): string {
  let real = root.parents.get(parent);
  if (real === undefined) {
    try {
      real = realpathSync.native(parent);
    } catch (e) {
      throw sourceError(e, where, parent);
    }
    root.parents.set(parent, real);
  }
  return real;
}

/** Where `abs` really is: its parent resolved, and the last component too when it is a symlink. */
function realPath(root: SourceRoot, abs: string, where: string, followLast: boolean): string {
  if (followLast) {
    let isLink: boolean;
    try {
      isLink = lstatSync(abs).isSymbolicLink();
    } catch (e) {
      throw sourceError(e, where, abs);
    }
    if (isLink) {
      try {
        return realpathSync.native(abs);
      } catch (e) {
        throw sourceError(e, where, abs);
      }
    }
  }
  const parent = realParent(root, dirname(abs), where);
  return parent === sep ? `${sep}${basename(abs)}` : `${parent}${sep}${basename(abs)}`;
}

/**
 * Throw `E_SOURCE_OUTSIDE` unless `abs` lies inside `root` once symlinks are resolved.
 * `followLast: false` checks only the directory holding `abs` (for an entry that is packaged as
 * what it is, e.g. a symlink matched by a glob). `src` is the value as the user wrote it.
 */
export function checkInsideRoot(root: SourceRoot, abs: string, where: string, src: string, followLast = true): void {
  const real = realPath(root, abs, where, followLast);
  if (isWithin(root.real, real)) return;
  const via = real === src ? '' : ` (it resolves to ${JSON.stringify(real)})`;
  throw new MkpkgError('E_SOURCE_OUTSIDE', `${where} ${JSON.stringify(src)} is outside ${root.label} ${JSON.stringify(root.dir)}${via}; mkpkg never reads files from outside it`, {
    hint: 'copy the file into the project, name it by its absolute path in the config to ship it on purpose (not through a relative path, a glob or a symlink), or ship the link itself with { type: "symlink", src: TARGET, dst: PATH }',
    details: { where, src, path: abs, resolved: real, root: root.dir },
  });
}

/**
 * The rule for one file named in the config (a maintainer-script fragment): a relative `src` must
 * stay inside `projectDir`; an absolute one is read where it is. Returns the absolute path.
 */
export function namedProjectFile(projectDir: string, src: string, where: string): string {
  const abs = resolve(projectDir, src);
  if (!isAbsolute(src)) checkInsideRoot(sourceRoot(projectDir, 'the project directory'), abs, where, src);
  return abs;
}
