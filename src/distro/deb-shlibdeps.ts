/**
 * `Depends` for the shared libraries a package's ELF files need, computed as dpkg-shlibdeps
 * computes them: each needed soname is found in the build host's library directories, mapped to
 * the installed package that owns it, and given the dependency template of that package's
 * `symbols` file with the highest minimal version of the symbols the files use (or, without a
 * symbols file, the dependency of its `shlibs` file). Pure: the host is behind {@link DebLibraryHost}.
 */
import type { Warning } from '../errors.js';
import type { ElfDynamic } from '../plan/elf-dynamic.js';
import { compareDebianVersions } from '../versions/debian.js';
import type { SymbolsObject } from './deb-symbols.js';

/** One ELF file of the package. */
export interface PackagedElf {
  /** Destination path in the package. */
  path: string;
  elf: ElfDynamic;
}

/** What dpkg-shlibdeps learns from the build host. */
export interface DebLibraryHost {
  /** Why the host cannot answer at all (no dpkg database), or undefined when it can. */
  unavailable?: string;
  /** Host paths of `soname` whose ELF format matches `like`, in search order (`rpath` first). */
  findLibrary(soname: string, like: ElfDynamic, rpath: readonly string[]): string[];
  /** The installed packages owning each library path (as given, else after resolving symlinks); asked once per build step. */
  owners(paths: readonly string[]): Map<string, string[]>;
  /** The symbols of `soname` from PKG's symbols file (or /etc/dpkg/symbols), if it has one. */
  symbols(pkg: string, soname: string): SymbolsObject | undefined;
  /** The dependency shlibs files give `soname` (shlibs.override, PKG's, shlibs.default), if any. */
  shlibs(pkg: string, soname: string): string | undefined;
}

/** The computed Depends items and what could not be computed. */
export interface DebShlibDepends {
  depends: string[];
  warnings: Warning[];
}

const ET_EXEC = 2;
const ET_DYN = 3;

function isUsable(v: string): boolean {
  return v !== '' && v !== '0';
}

function laterVersion(a: string, b: string): boolean {
  try {
    return compareDebianVersions(a, b) > 0;
  } catch {
    return false;
  }
}

/** dpkg-shlibdeps' update_dependency_version: each `,`-separated template keeps its highest minimal version. */
function update(state: Map<string, string>, template: string, minver: string): void {
  for (const sub of template.split(/\s*,\s*/)) {
    if (!sub) continue;
    const cur = state.get(sub);
    if (cur === undefined || cur === '' || (minver !== '' && laterVersion(minver, cur))) state.set(sub, minver);
  }
}

const REL_ORDER: Record<string, number> = { '': 0, '>=': 1, '>>': 2, '=': 3, '<<': 4, '<=': 5 };

/** Dpkg::Deps sort order: package name, relation, version. */
function compareDeps(a: string, b: string): number {
  const key = (s: string) => {
    const m = /^(\S+?)\s*(?:\(\s*(>=|>>|=|<<|<=)\s*([^)\s]+)\s*\))?(?:\s|$)/.exec(s);
    return m ? [m[1], m[2] ?? '', m[3] ?? ''] : [s, '', ''];
  };
  const [an, ar, av] = key(a);
  const [bn, br, bv] = key(b);
  if (an !== bn) return an < bn ? -1 : 1;
  if (ar !== br) return (REL_ORDER[ar] ?? 9) - (REL_ORDER[br] ?? 9);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

function list(files: string[]): string {
  return files.length === 1 ? files[0] : `${files[0]} (and ${files.length - 1} more)`;
}

/**
 * Compute the Depends items for `files`. Sonames in `own` (sonames and file names of the package's
 * own libraries) need no dependency. Every library left without one is a coded warning.
 */
export function debShlibDepends(files: readonly PackagedElf[], host: DebLibraryHost, own: ReadonlySet<string>): DebShlibDepends {
  const state = new Map<string, string>();
  const warnings: Warning[] = [];
  const missing = new Map<string, { files: string[]; reason: string; code: string }>();
  const miss = (soname: string, file: string, code: string, reason: string) => {
    const m = missing.get(soname);
    if (m) m.files.push(file);
    else missing.set(soname, { files: [file], reason, code });
  };
  const dynamic = files.filter((f) => (f.elf.type === ET_EXEC || f.elf.type === ET_DYN) && f.elf.needed.length > 0);
  if (dynamic.length > 0 && host.unavailable) {
    const sonames = [...new Set(dynamic.flatMap((f) => f.elf.needed).filter((s) => !own.has(s)))].sort();
    if (sonames.length > 0) {
      warnings.push({ code: 'W_SHLIBS_UNAVAILABLE', message: `no Depends computed for the shared libraries ${sonames.join(', ')} (${host.unavailable}); add them to depends yourself` });
    }
    return { depends: [], warnings };
  }
  const found = new Map<PackagedElf, Map<string, string[]>>();
  for (const f of dynamic) {
    const rpath = f.elf.rpath.filter((d) => d.startsWith('/') && !/\$(ORIGIN|\{ORIGIN\})/.test(d));
    found.set(f, new Map(f.elf.needed.filter((s) => !own.has(s)).map((s) => [s, host.findLibrary(s, f.elf, rpath)])));
  }
  const owners = host.owners([...new Set([...found.values()].flatMap((m) => [...m.values()].flat()))]);
  const ownersOf = (lib: string) => owners.get(lib) ?? [];
  for (const f of dynamic) {
    const symfiles: SymbolsObject[] = [];
    for (const [soname, libs] of found.get(f)!) {
      if (libs.length === 0) {
        miss(soname, f.path, 'W_SHLIB_NOT_FOUND', 'was not found in the build host\'s library directories');
        continue;
      }
      let done = false;
      let ownerless = true;
      for (const lib of libs) {
        for (const pkg of ownersOf(lib)) {
          ownerless = false;
          const sym = host.symbols(pkg, soname);
          if (sym) {
            symfiles.push(sym);
            const smallest = [...sym.symbols.values()].filter((s) => s.depId === 0).map((s) => s.minver)
              .reduce<string | undefined>((min, v) => (min === undefined || laterVersion(min, v) ? v : min), undefined);
            update(state, sym.deps[0], smallest !== undefined && isUsable(smallest) ? smallest : '');
            done = true;
            break;
          }
          const dep = host.shlibs(pkg, soname);
          if (dep !== undefined) {
            for (const sub of dep.split(/,\s*/)) if (sub) state.set(sub, '');
            done = true;
            break;
          }
        }
        if (done) break;
      }
      if (done) continue;
      if (ownerless) miss(soname, f.path, 'W_SHLIB_NO_PACKAGE', `was found at ${libs[0]}, which no installed package owns`);
      else miss(soname, f.path, 'W_SHLIB_NO_INFO', `was found at ${libs[0]} (package ${ownersOf(libs[0]).join(', ')}), which has neither a symbols nor a shlibs file`);
    }
    for (const s of f.elf.undefinedSymbols) {
      const key = `${s.name}@${s.version ?? 'Base'}`;
      for (const obj of symfiles) {
        const entry = obj.symbols.get(key);
        if (!entry || entry.deprecated) continue;
        const template = obj.deps[entry.depId];
        if (template !== undefined) update(state, template, entry.minver);
        break;
      }
    }
  }
  for (const [soname, m] of [...missing].sort(([a], [b]) => (a < b ? -1 : 1))) {
    warnings.push({ code: m.code, message: `shared library ${soname} needed by ${list(m.files)} ${m.reason}: no dependency on it is computed; add it to depends yourself` });
  }
  const depends = [...state].map(([template, v]) =>
    template.replace(/#MINVER#/g, isUsable(v) ? `(>= ${v})` : '').replace(/\s+/g, ' ').trim()).filter(Boolean);
  return { depends: [...new Set(depends)].sort(compareDeps), warnings };
}
