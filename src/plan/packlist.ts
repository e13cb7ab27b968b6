/**
 * The files `npm pack` would publish from a project, computed in-process with npm's rules:
 * package.json `files` (a file named there is always kept, a directory or pattern is a default),
 * `.npmignore` (else `.gitignore`) in every directory, and the rules npm adds itself — always
 * package.json, README, LICENSE/LICENCE, COPYING, `main`, `browser` and each `bin`; never `.git`,
 * `node_modules`, `.npmrc`, lock files, editor and VCS leftovers; no symlinks, no names with `*`.
 * Patterns are matched with minimatch under the options npm gives it (matchBase, dot, nocase,
 * flipNegate), and a directory's verdict consults its parents' rules as npm's ignore walker does.
 * Bundled dependencies are listed from the project's node_modules as npm packs them. Unlike
 * `npm pack --dry-run` it never loads the dependency tree: a 10,000-file project lists in well under
 * a second. Not modelled: a workspace root's special case (npm then skips the workspaces' folders).
 */
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { MkpkgError } from '../errors.js';
import { DEFAULTS, ROOT_STRICT, STRICT_DEFAULTS, full, readRules, ruleSet, type RuleSet } from './npm-ignore-rules.js';

/** One file npm would publish: path relative to the project, size and mode from lstat. */
export interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

/** The package.json fields npm's file rules read. */
export interface PacklistPackage {
  name?: string;
  files?: readonly string[];
  main?: string;
  browser?: unknown;
  bin?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  /** Also read under its other spelling, `bundledDependencies`; `true` bundles every dependency. */
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
}

/** Options of {@link packList}. */
export interface PacklistOptions {
  /** Paths (relative, `/`-separated) left out with everything below them: mkpkg's own inputs and outputs. */
  exclude?: (rel: string) => boolean;
  /** Called every 500 files with the count so far. */
  onProgress?: (files: number) => void;
}

/** npm's normalised `bin`: an object of command → path without `./` (a string is named after the package). */
function binPaths(pkg: PacklistPackage): string[] {
  const raw = pkg.bin;
  const obj: Record<string, unknown> = typeof raw === 'string' ? (pkg.name ? { [pkg.name]: raw } : {})
    : Array.isArray(raw) ? Object.fromEntries(raw.map((p) => [posix.basename(String(p)), p]))
    : raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return Object.entries(obj).flatMap(([key, target]) => {
    const base = posix.join('/', posix.basename(key.replace(/\\|:/g, '/'))).slice(1);
    if (typeof target !== 'string' || !base) return [];
    const path = posix.join('/', target.replace(/\\/g, '/')).slice(1);
    return path ? [path] : [];
  });
}

/**
 * The root directory of a package: the project, or a bundled dependency in its `node_modules`. A
 * bundled dependency installed there (not a link) keeps neither npm's default rules nor its own
 * ignore files at its top, as npm packs it.
 */
interface PackageRoot {
  pkg: PacklistPackage;
  defaults: boolean;
  ignoreFiles: boolean;
}

/** One directory of the walk. Rule sets apply in this order; later ones win. */
interface Dir {
  root?: PackageRoot;
  abs: string;
  /** Path relative to the project root ('' for the root). */
  rel: string;
  base: string;
  parent?: Dir;
  /** A directory named in an including rule is walked even where a parent excluded it. */
  exact: boolean;
  sets: RuleSet[];
  /** Files `files` names exactly, relative to this directory. */
  required: string[];
}

function filterEntry(d: Dir, entry: string, partial: boolean, entryBasename?: string): boolean {
  let included = true;
  if (d.parent) {
    included = filterEntry(d.parent, `${d.base}/${entry}`, partial, entryBasename || entry);
    if (!included && !d.exact) return false;
  }
  for (const set of d.sets) {
    for (const r of set) {
      if (r.negate === included) continue;
      const relative = Boolean(entryBasename) && r.relative;
      const match = full(r, `/${entry}`) || full(r, entry) || (partial && (
        full(r, `/${entry}/`) || full(r, `${entry}/`) || (r.negate && (r.mm.match(`/${entry}`, true) || r.mm.match(entry, true))) ||
        (relative && (full(r, `/${entryBasename}/`) || full(r, `${entryBasename}/`) || (r.negate && (r.mm.match(`/${entryBasename}`, true) || r.mm.match(entryBasename!, true)))))));
      if (match) included = r.negate;
    }
  }
  return included;
}

/** The root's rules from package.json: `files` as includes, the always-kept and never-kept files. */
function packageRules(dir: string, pkg: PacklistPackage, required: string[]): { files?: RuleSet; strict: RuleSet } {
  const strict = [...STRICT_DEFAULTS, ...ROOT_STRICT];
  let files: RuleSet | undefined;
  if (pkg.files) {
    const includes: string[] = [];
    for (let file of pkg.files) {
      if (file.startsWith('./')) file = file.slice(1);
      if (file.endsWith('/*')) file += '*';
      const inverse = `!${file}`;
      let st: Stats | undefined;
      try {
        st = lstatSync(join(dir, file.replace(/^!+/, '')));
      } catch {
        st = undefined;
      }
      if (!st) includes.push(inverse);
      else if (st.isFile()) {
        strict.unshift(inverse);
        required.push(file.startsWith('/') ? file.slice(1) : file);
      } else if (st.isDirectory()) includes.push(inverse, `${inverse}/**`);
    }
    files = ruleSet(['*', ...includes]);
  }
  if (pkg.browser) strict.push(`!/${String(pkg.browser)}`);
  if (pkg.main) strict.push(`!/${pkg.main}`);
  for (const b of binPaths(pkg)) strict.push(`!/${b}`);
  return { files, strict: ruleSet(strict) };
}


/** The root's bundled dependency names that are production or optional dependencies (npm skips dev and peer ones). */
function bundledNames(pkg: PacklistPackage): string[] {
  const deps = { ...pkg.dependencies, ...pkg.optionalDependencies };
  const raw = pkg.bundleDependencies ?? pkg.bundledDependencies;
  const names = raw === true ? Object.keys(deps) : Array.isArray(raw) ? raw.filter((n): n is string => typeof n === 'string') : [];
  return names.filter((n) => Object.hasOwn(deps, n));
}

/** `node_modules/NAME` nearest to the package at `from` (project-relative), walking up to the project; undefined when absent. */
function nearestModule(projectDir: string, from: string, name: string): string | undefined {
  for (let dir = from; ;) {
    const rel = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    try {
      lstatSync(join(projectDir, rel));
      return rel;
    } catch {
      if (!dir) return undefined;
    }
    const at = dir.lastIndexOf('node_modules/');
    dir = at <= 0 ? '' : dir.slice(0, at - 1);
  }
}

/** A bundled package's package.json (empty when it has none or it cannot be parsed, as npm treats it). */
function readPackage(dir: string): PacklistPackage {
  try {
    const v = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as PacklistPackage) : {};
  } catch {
    return {};
  }
}

/** List the files npm would publish from `projectDir` (sorted by path). */
export function packList(projectDir: string, pkg: PacklistPackage, options: PacklistOptions = {}): PackedFile[] {
  const out: PackedFile[] = [];
  const walk = (d: Dir): void => {
    let entries: string[];
    try {
      entries = readdirSync(d.abs);
    } catch (e) {
      throw new MkpkgError('E_SOURCE_UNREADABLE', `cannot list ${d.abs} (${(e as NodeJS.ErrnoException).code}) while collecting the files npm would publish`, {
        hint: 'make the directory readable, or exclude it in .npmignore or package.json "files"', cause: e,
      });
    }
    if (entries.length === 0) return;
    const has = new Set(entries);
    let npmignore: RuleSet | undefined;
    let gitignore: RuleSet | undefined;
    let files: RuleSet | undefined;
    let strict: RuleSet;
    if (d.root) {
      const rules = packageRules(d.abs, d.root.pkg, d.required);
      files = rules.files;
      strict = rules.strict;
    } else {
      strict = ruleSet([...STRICT_DEFAULTS, ...d.required.map((f) => `!${f}`)]);
    }
    const ignoreFiles = d.root?.ignoreFiles ?? true;
    if (ignoreFiles && !files && has.has('.npmignore')) npmignore = readRules(join(d.abs, '.npmignore'));
    if (ignoreFiles && !files && !npmignore && has.has('.gitignore')) gitignore = readRules(join(d.abs, '.gitignore'));
    d.sets = [...(d.root?.defaults ?? true ? [DEFAULTS] : []), ...[files, npmignore, gitignore].filter((s): s is RuleSet => s !== undefined), strict];
    for (const entry of entries) {
      const rel = d.rel ? `${d.rel}/${entry}` : entry;
      if (options.exclude?.(rel) || entry.includes('*')) continue;
      const abs = join(d.abs, entry);
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch (e) {
        throw new MkpkgError('E_SOURCE_UNREADABLE', `cannot read ${abs} (${(e as NodeJS.ErrnoException).code}) while collecting the files npm would publish`, {
          hint: 'make it readable, or exclude it in .npmignore or package.json "files"', cause: e,
        });
      }
      // npm evaluates both verdicts before it knows the kind; only the one for the kind decides.
      if (!st.isDirectory() && !st.isFile()) continue;
      const passFile = st.isFile() ? filterEntry(d, entry, false) : false;
      if (st.isDirectory()) {
        const passDir = filterEntry(d, entry, true);
        if (!passDir) continue;
        const required = d.required.filter((f) => posix.relative(f, entry) === '..').map((f) => posix.relative(entry, f));
        walk({ abs, rel, base: entry, parent: d, exact: filterEntry(d, entry, false) || filterEntry(d, `${entry}/`, false), sets: [], required });
      } else if (st.isFile() && passFile) {
        out.push({ path: rel, size: st.size, mode: st.mode & 0o7777 });
        if (out.length % 500 === 0) options.onProgress?.(out.length);
      }
    }
  };
  const packRoot = (abs: string, rel: string, root: PackageRoot) => walk({ abs, rel, base: posix.basename(abs), exact: false, sets: [], required: [], root });
  packRoot(projectDir, '', { pkg, defaults: true, ignoreFiles: true });
  // Bundled dependencies: the project's bundleDependencies, then each one's own (production and
  // optional) dependencies, from the node_modules nearest to it, each package once.
  const seen = new Set<string>();
  const bundle = (names: readonly string[], from: string): void => {
    for (const name of names) {
      const rel = nearestModule(projectDir, from, name);
      if (rel === undefined || seen.has(rel)) continue;
      seen.add(rel);
      const abs = join(projectDir, rel);
      const link = lstatSync(abs).isSymbolicLink();
      const depPkg = readPackage(abs);
      packRoot(abs, rel, { pkg: depPkg, defaults: link, ignoreFiles: link });
      if (!link) bundle(Object.keys({ ...depPkg.dependencies, ...depPkg.optionalDependencies }), rel);
    }
  };
  bundle(bundledNames(pkg), '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
