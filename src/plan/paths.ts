/** Destination-path normalisation: every path in a plan is absolute, clean and inside the root. */
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
  if (value.includes('\0')) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} contains a NUL byte`, { hint: 'remove the NUL character from the path', details: { where, value } });
  }
  if (value.includes('\n') || value.includes('\r')) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} contains a line break, which dpkg's file lists cannot represent`, {
      hint: 'rename the file so its name has no newline or carriage return',
      details: { where, value },
    });
  }
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
  if (out === '/' && !options.allowRoot) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is the root directory itself, which cannot be a file`, {
      hint: 'name a path below "/", e.g. "/usr/share/app/file"',
      details: { where, value },
    });
  }
  return out;
}

/** What {@link normalizeDst} would change or reject: `//`, `.`/`..` segments, a trailing `/`, NUL or line breaks. */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|\/$|[\0\n\r]/;

/** Join a normalised base directory and a relative path found below a source (`a/b.txt`). */
export function joinDst(base: string, rel: string, where: string): string {
  if (rel === '' || rel === '.') return normalizeDst(base, where, { allowRoot: true });
  const joined = base === '/' ? `/${rel}` : `${base}/${rel}`;
  // Fast path (one regex instead of a split per file of a walked tree): already absolute and clean.
  if (joined.startsWith('/') && !UNCLEAN.test(joined)) return joined;
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
