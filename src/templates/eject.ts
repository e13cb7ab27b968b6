/** Copy ("eject") built-in templates into a project so they can be edited there. */
import { copyFileSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { MkpkgError } from '../errors.js';
import { builtinTemplatesDir, listBuiltinTemplates, normaliseTemplateName } from './lookup.js';

/** Where to eject: the project (its template directory, default `packaging/`) and which names. */
export interface EjectOptions {
  projectDir: string;
  templatesDir?: string;
  names?: readonly string[];
}

/**
 * Copy the named built-in templates (default: all) into `destDir` (the project template
 * directory), keeping their relative names. Refuses, before copying anything, when a
 * destination file already exists. Returns the files written, sorted.
 */
export function ejectTemplates(target: string | EjectOptions, names?: readonly string[]): string[] {
  let destDir: string;
  if (typeof target === 'string') destDir = target;
  else {
    const rel = target.templatesDir ?? 'packaging';
    destDir = isAbsolute(rel) ? rel : resolve(target.projectDir, rel);
    names = target.names ?? names;
  }
  const all = listBuiltinTemplates();
  const wanted = names && names.length > 0 ? names.map(normaliseTemplateName) : all;
  const unknown = wanted.filter((n) => !all.includes(n));
  if (unknown.length > 0) {
    throw new MkpkgError('E_TEMPLATE_NOT_FOUND', `no built-in template named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`, {
      hint: '`mkpkg templates list` shows the built-in names',
      details: { unknown },
    });
  }
  const sorted = [...new Set(wanted)].sort();
  const clashes = sorted.map((n) => join(destDir, n)).filter((f) => existsSync(f));
  if (clashes.length > 0) {
    throw new MkpkgError('E_TEMPLATE_EXISTS', `refusing to overwrite ${clashes.join(', ')}`, {
      hint: 'move or delete the existing file(s) first, or eject only the templates you do not have yet',
      details: { files: clashes },
    });
  }
  const src = builtinTemplatesDir();
  return sorted.map((n) => {
    const to = join(destDir, n);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(src, n), to, constants.COPYFILE_EXCL);
    return to;
  });
}
