/** Destination-path normalisation: every path in a plan is absolute, clean and inside the root. */
import { oneLineProblem } from '../config/text.js';
import { MkpkgError } from '../errors.js';

/** Options for {@link normalizeDst}. */
export interface NormalizeOptions {
  /** Accept `/` itself (a directory copy into the root). Default false. */
  allowRoot?: boolean;
}

/**
 * Normalise a destination path: must be absolute; `//` and `.` collapse, a trailing `/` is dropped,
 * `..` is resolved but may never climb above `/`. `where` names the config field (`contents[3].dst`).
 */
export function normalizeDst(value: string, where: string, options: NormalizeOptions = {}): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} is empty`, { hint: 'give an absolute path such as "/usr/lib/app"', details: { where } });
  }
  const control = oneLineProblem(value, where, { code: 'E_PLAN_INVALID', hint: 'rename the file (or change the destination) so that its path has no control characters: dpkg\'s file lists, rpm headers and terminals cannot show them safely' });
  if (control) throw control;
  const parts: string[] = [];
  for (const seg of value.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) {
        throw new MkpkgError('E_PLAN_ESCAPE', `${where} ${JSON.stringify(value)} escapes the package root`, {
          hint: 'use an absolute destination without ".." above "/", e.g. "/usr/lib/app/file"',
          details: { where, value },
        });
      }
      parts.pop();
      continue;
    }
    parts.push(seg);
  }
  if (!value.startsWith('/')) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is not an absolute path`, {
      hint: `start the destination with "/", e.g. "/${parts.join('/')}"`,
      details: { where, value },
    });
  }
  const out = '/' + parts.join('/');
  checkPathLength(out, where);
  if (out === '/' && !options.allowRoot) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is the root directory itself, which cannot be a file`, {
      hint: 'name a path below "/", e.g. "/usr/share/app/file"',
      details: { where, value },
    });
  }
  return out;
}

/** What {@link normalizeDst} would change or reject: `//`, `.`/`..` segments, a trailing `/`, control characters, surrogates. */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|\/$|[\0-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]/;

/** True when {@link normalizeDst} keeps `path` as it is (without `allowRoot`): absolute, clean, not too long. */
export function isNormalDst(path: string): boolean {
  return typeof path === 'string' && path.length > 1 && path.startsWith('/') && !UNCLEAN.test(path) && pathLengthProblem(path) === undefined;
}

/** Longest path component (NAME_MAX) and path (PATH_MAX less its NUL) that Linux file systems take. */
export const MAX_NAME_BYTES = 255;
export const MAX_PATH_BYTES = 4095;

/** What makes `path` too long for a Linux file system, or undefined. */
function pathLengthProblem(path: string): string | undefined {
  if (path.length * 3 <= MAX_NAME_BYTES) return undefined;
  const total = Buffer.byteLength(path);
  if (total > MAX_PATH_BYTES) return `is ${total} bytes long, more than the ${MAX_PATH_BYTES} a path may have`;
  for (const seg of path.split('/')) {
    if (seg.length * 3 > MAX_NAME_BYTES && Buffer.byteLength(seg) > MAX_NAME_BYTES) {
      return `has a component of ${Buffer.byteLength(seg)} bytes (${JSON.stringify(`${seg.slice(0, 40)}…`)}), more than the ${MAX_NAME_BYTES} a file name may have`;
    }
  }
  return undefined;
}

/**
 * Throw E_PLAN_INVALID for a path that no system can install: a component over 255 bytes or a path
 * over 4095 bytes. Cheap for the usual path (no component can reach 255 bytes below 86 characters).
 */
export function checkPathLength(path: string, where: string): void {
  const long = pathLengthProblem(path);
  if (long) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(path)} ${long}`, {
      hint: 'shorten the file or directory name (or the destination): dpkg and rpm could not install it', details: { where, path },
    });
  }
}

/** Join a normalised base directory and a relative path found below a source (`a/b.txt`). */
export function joinDst(base: string, rel: string, where: string): string {
  if (rel === '' || rel === '.') return normalizeDst(base, where, { allowRoot: true });
  const joined = base === '/' ? `/${rel}` : `${base}/${rel}`;
  // Fast path (one regex instead of a split per file of a walked tree): already absolute and clean.
  if (joined.startsWith('/') && !UNCLEAN.test(joined)) {
    checkPathLength(joined, where);
    return joined;
  }
  return normalizeDst(joined, where);
}

/** All ancestors of an absolute path, outermost first, without `/`: `/a/b/c` → `/a`, `/a/b`. */
export function parentsOf(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf('/', 1);
  while (i !== -1) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}

/** The directory part of an absolute path (`/` for a top-level entry). */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A symlink target as it will be stored: one line of printable characters, at most 4095 bytes. */
export function checkLinkTarget(target: string, where: string): string {
  const problem = oneLineProblem(target, where, { code: 'E_PLAN_INVALID', hint: 'give the link a target without control characters' });
  if (problem) throw problem;
  if (target === '' || Buffer.byteLength(target) > MAX_PATH_BYTES) {
    throw new MkpkgError('E_PLAN_INVALID', `${where}: the symlink target ${JSON.stringify(target.slice(0, 80))} is ${target === '' ? 'empty' : `longer than ${MAX_PATH_BYTES} bytes`}`, {
      hint: 'give the link a target path of 1 to 4095 bytes', details: { where, target },
    });
  }
  return target;
}
