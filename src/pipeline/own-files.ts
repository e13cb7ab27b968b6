/**
 * mkpkg's own inputs and outputs inside a project, never laid out as app files: the config file,
 * the project templates directory, `.mkpkg*` files, the default output directory and the output
 * and stage directories of this build. Without this, a project with no package.json `files` would
 * pack its previous build's packages into the next one.
 */
import { relative, sep } from 'node:path';
import { CONFIG_FILE_NAMES, type LoadedProject } from '../config/load.js';

/** Where packages go when no -o/--out is given, relative to the project directory. */
export const DEFAULT_OUT_DIR = 'mkpkg-out';

/** A predicate on project-relative `/` paths: true for mkpkg's own files and directories. */
export function ownFiles(project: LoadedProject, dirs: readonly (string | undefined)[]): (rel: string) => boolean {
  const inside = (abs: string | undefined) => {
    if (!abs) return undefined;
    const r = relative(project.dir, abs).split(sep).join('/');
    return r && !r.startsWith('..') && !r.startsWith('/') ? r : undefined;
  };
  const paths = new Set<string>([
    ...CONFIG_FILE_NAMES,
    DEFAULT_OUT_DIR,
    (project.config.templatesDir ?? 'packaging').replace(/^\.\/|\/+$/g, ''),
    ...[project.configFile, ...dirs].map(inside).filter((x): x is string => x !== undefined),
  ]);
  return (rel) => rel.startsWith('.mkpkg') || [...paths].some((p) => rel === p || rel.startsWith(`${p}/`));
}
