/**
 * Template lookup: a template name such as `deb/postinst.ejs` is searched in the project's
 * template directory, then in plugin template directories (in plugin order), then in the
 * built-in `packaging-templates/` shipped with mkpkg. The first file found wins.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MkpkgError } from '../errors.js';

/** Where a template directory comes from. */
export type TemplateOrigin = 'project' | 'plugin' | 'builtin';

/** One directory of the search path. */
export interface TemplateDir {
  dir: string;
  origin: TemplateOrigin;
  /** The plugin's name for `plugin` directories. */
  label?: string;
}

/** The ordered template search path. */
export interface TemplateLookup {
  dirs: TemplateDir[];
  /** Called with every template resolved through this lookup (for `--verbose` reporting). */
  onResolve?: (resolved: ResolvedTemplate) => void;
}

/** Options for {@link createTemplateLookup}. */
export interface TemplateLookupOptions {
  /** The project root. Without it there is no project directory in the search path. */
  projectDir?: string;
  /** The project template directory, relative to `projectDir` (default `packaging`). */
  templatesDir?: string;
  /** Alias of `templatesDir`. */
  projectTemplatesDir?: string;
  /** Template directories contributed by plugins, in plugin order. */
  pluginDirs?: { dir: string; plugin?: string }[];
}

let builtinDir: string | undefined;

/**
 * The built-in `packaging-templates/` directory: found by walking up from this module, so it
 * works from `src/` (tsx) and from `dist/src/` (compiled) alike.
 */
export function builtinTemplatesDir(): string {
  if (builtinDir) return builtinDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'packaging-templates');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return (builtinDir = candidate);
    const parent = dirname(dir);
    if (parent === dir) {
      throw new MkpkgError('E_TEMPLATE_NOT_FOUND', `the built-in packaging-templates directory was not found above ${fileURLToPath(import.meta.url)}`, {
        hint: 'reinstall mkpkg: its package must include packaging-templates/',
      });
    }
    dir = parent;
  }
}

/** Build the search path: project → plugins → built-in. */
export function createTemplateLookup(options: TemplateLookupOptions = {}): TemplateLookup {
  const dirs: TemplateDir[] = [];
  if (options.projectDir !== undefined) {
    const rel = options.templatesDir ?? options.projectTemplatesDir ?? 'packaging';
    dirs.push({ dir: isAbsolute(rel) ? rel : resolve(options.projectDir, rel), origin: 'project' });
  }
  for (const p of options.pluginDirs ?? []) dirs.push({ dir: resolve(p.dir), origin: 'plugin', label: p.plugin });
  dirs.push({ dir: builtinTemplatesDir(), origin: 'builtin' });
  return { dirs };
}

/** Normalise a template name: forward slashes, `.ejs` suffix, no absolute or `..` parts. */
export function normaliseTemplateName(name: string): string {
  const n = name.replace(/\\/g, '/').replace(/^\.\//, '');
  if (n === '' || n.startsWith('/') || n.split('/').some((p) => p === '..' || p === '')) {
    throw new MkpkgError('E_TEMPLATE_NOT_FOUND', `template name ${JSON.stringify(name)} is not a relative name like "deb/postinst.ejs"`, {
      hint: 'name templates relative to a template directory, without ".." or a leading "/"',
    });
  }
  return n.endsWith('.ejs') ? n : `${n}.ejs`;
}

/** A resolved template: its name, the file, and the directory it came from. */
export interface ResolvedTemplate {
  name: string;
  file: string;
  /** Same as `file`. */
  path: string;
  origin: TemplateOrigin;
  from: TemplateDir;
}

/** Find a template, or throw E_TEMPLATE_NOT_FOUND listing every directory searched. */
export function resolveTemplate(name: string, lookup: TemplateLookup): ResolvedTemplate {
  const n = normaliseTemplateName(name);
  for (const d of lookup.dirs) {
    const file = join(d.dir, n);
    if (existsSync(file) && statSync(file).isFile()) {
      const resolved: ResolvedTemplate = { name: n, file, path: file, origin: d.origin, from: d };
      lookup.onResolve?.(resolved);
      return resolved;
    }
  }
  throw new MkpkgError('E_TEMPLATE_NOT_FOUND', `template ${JSON.stringify(n)} was not found in ${lookup.dirs.map((d) => d.dir).join(', ')}`, {
    hint: `create ${join(lookup.dirs[0]?.dir ?? 'packaging', n)} or check the spelling (\`mkpkg templates list\` shows the built-in names)`,
    details: { template: n, searched: lookup.dirs.map((d) => d.dir) },
  });
}

function walk(root: string, rel: string, out: string[]): void {
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, r, out);
    else if (e.isFile() && e.name.endsWith('.ejs')) out.push(r);
  }
}

/** The names of all built-in templates, sorted (for `mkpkg templates list`). */
export function listBuiltinTemplates(): string[] {
  const out: string[] = [];
  walk(builtinTemplatesDir(), '', out);
  return out.sort();
}

/** Alias of {@link createTemplateLookup}. */
export const templateLookup = createTemplateLookup;

/** All template names visible through a lookup (or the options to build one), each with the file it resolves to, sorted by name. */
export function listTemplates(lookupOrOptions: TemplateLookup | TemplateLookupOptions = {}): ResolvedTemplate[] {
  const lookup = 'dirs' in lookupOrOptions ? lookupOrOptions : createTemplateLookup(lookupOrOptions);
  const names = new Set<string>();
  for (const d of lookup.dirs) {
    if (!existsSync(d.dir)) continue;
    const out: string[] = [];
    walk(d.dir, '', out);
    out.forEach((n) => names.add(n));
  }
  return [...names].sort().map((n) => resolveTemplate(n, lookup));
}
