/**
 * The build host's side of dpkg-shlibdeps: the library search path (`/lib`, `/usr/lib`, then
 * /etc/ld.so.conf and its includes, then the multilib directories), the ELF format check, and the
 * dpkg database through `dpkg-query --search` / `--control-path`. Answers are cached per build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { which } from '../which.js';
import { withFileSource, readElfHeaders } from '../plan/elf-source.js';
import type { ElfDynamic } from '../plan/elf-dynamic.js';
import { parseSymbolsFile, shlibsDependency, type SymbolsObject } from './deb-symbols.js';
import type { DebLibraryHost } from './deb-shlibdeps.js';

const DEFAULT_LIBRARY_PATH = ['/lib', '/usr/lib'];
const DEFAULT_MULTILIB_PATH = ['/lib32', '/usr/lib32', '/lib64', '/usr/lib64'];
/** dpkg's database of installed packages' control files. */
const INFO_DIR = '/var/lib/dpkg/info';
/** Symbols and shlibs files larger than this are not read (libc6's is 100 KiB). */
const MAX_INFO_FILE = 64 * 1024 * 1024;

/** ABI-relevant `e_flags` bits per machine, as dpkg compares library formats. */
const FLAG_MASKS: Record<number, number> = { 50: 0x10, 258: 0x7, 8: 0xf000 | 0x20, 21: 0x3 };

function globConf(pattern: string): string[] {
  const dir = dirname(pattern);
  const re = new RegExp(`^${basename(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** Directories listed by an ld.so.conf file and its `include`s, in order. */
export function ldsoConfDirs(file: string, seen = new Set<string>()): string[] {
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/+$/, '');
    const inc = /^include\s+(\S.*\S)\s*$/.exec(line);
    if (inc) {
      for (const f of globConf(inc[1])) if (!seen.has(f) && existsSync(f)) out.push(...ldsoConfDirs(f, seen));
    } else if (/^\s*\//.test(line)) {
      out.push(line.trim());
    }
  }
  return out;
}

/** The library directories dpkg-shlibdeps searches on this host, in its order. */
export function systemLibraryDirs(ldsoConf = '/etc/ld.so.conf'): string[] {
  const dirs = [...DEFAULT_LIBRARY_PATH];
  for (const d of ldsoConfDirs(ldsoConf)) if (!dirs.includes(d)) dirs.push(d);
  return [...dirs, ...DEFAULT_MULTILIB_PATH];
}

function formatOf(path: string): string | undefined {
  try {
    const h = withFileSource(path, readElfHeaders);
    return h ? `${h.bits}/${h.littleEndian}/${h.machine}/${h.flags & (FLAG_MASKS[h.machine] ?? 0)}` : undefined;
  } catch {
    return undefined;
  }
}

function query(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('dpkg-query', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  return { ok: r.status === 0, out: r.stdout ?? '' };
}

function readSmall(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_INFO_FILE) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Options of {@link dpkgHost}. */
export interface DpkgHostOptions {
  /** Debian architecture of the package, for `/etc/dpkg/symbols/PKG.symbols.ARCH`. */
  arch: string;
  /** Library directories (default: {@link systemLibraryDirs}). */
  libraryDirs?: string[];
}

/** The build host's libraries and dpkg database, or an `unavailable` host when dpkg-query is missing. */
export function dpkgHost(opts: DpkgHostOptions): DebLibraryHost {
  const unavailable = which('dpkg-query') ? undefined : 'dpkg-query is not installed on the build host';
  const dirs = opts.libraryDirs ?? systemLibraryDirs();
  const owners = new Map<string, string[]>();
  const controlPaths = new Map<string, string | undefined>();
  const parsed = new Map<string, Map<string, SymbolsObject> | undefined>();

  /** One `dpkg-query --search` for every path not asked before (each call reads the whole database). */
  const search = (paths: readonly string[]): void => {
    const todo = [...new Set(paths)].filter((p) => !owners.has(p));
    if (todo.length === 0) return;
    for (const p of todo) owners.set(p, []);
    for (const line of query(['--search', '--', ...todo]).out.split('\n')) {
      const m = /^([-a-z0-9+.:, ]+): (\/.*)$/.exec(line);
      if (m && owners.has(m[2])) owners.set(m[2], m[1].split(', '));
    }
  };
  const realpath = (p: string): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  /** PKG's control file: dpkg keeps it as info/PKG.FILE (PKG as dpkg -S names it, with :arch for Multi-Arch: same). */
  const controlPath = (pkg: string, file: string): string | undefined => {
    const key = `${pkg}\0${file}`;
    if (!controlPaths.has(key)) {
      let path: string | undefined = `${INFO_DIR}/${pkg}.${file}`;
      if (!existsSync(INFO_DIR)) {
        const r = query(['--control-path', pkg, file]);
        path = r.ok && r.out.trim() ? r.out.trim().split('\n')[0] : undefined;
      }
      controlPaths.set(key, path);
    }
    return controlPaths.get(key);
  };
  const symbolsIn = (file: string) => {
    if (!parsed.has(file)) {
      const text = readSmall(file);
      parsed.set(file, text === undefined ? undefined : parseSymbolsFile(text));
    }
    return parsed.get(file);
  };

  return {
    unavailable,
    findLibrary(soname: string, like: ElfDynamic, rpath: readonly string[]): string[] {
      if (soname.includes('/')) return [];
      const want = `${like.bits}/${like.littleEndian}/${like.machine}/${like.flags & (FLAG_MASKS[like.machine] ?? 0)}`;
      return [...rpath, ...dirs].map((d) => normalize(join(d, soname))).filter((p) => existsSync(p) && formatOf(p) === want);
    },
    owners(paths: readonly string[]): Map<string, string[]> {
      const reals = new Map(paths.map((p) => [p, realpath(p)]));
      search([...paths, ...[...reals.values()].filter((r): r is string => r !== undefined)]);
      return new Map(paths.map((p) => {
        const direct = owners.get(p) ?? [];
        const real = reals.get(p);
        return [p, direct.length || real === undefined ? direct : owners.get(real) ?? []];
      }));
    },
    symbols(pkg: string, soname: string): SymbolsObject | undefined {
      const bare = pkg.replace(/:.*$/, '');
      const files = [`/etc/dpkg/symbols/${bare}.symbols.${opts.arch}`, `/etc/dpkg/symbols/${bare}.symbols`, controlPath(pkg, 'symbols')];
      for (const f of files) {
        if (!f || !existsSync(f)) continue;
        const obj = symbolsIn(f)?.get(soname);
        if (obj) return obj;
      }
      return undefined;
    },
    shlibs(pkg: string, soname: string): string | undefined {
      for (const f of ['/etc/dpkg/shlibs.override', controlPath(pkg, 'shlibs'), '/etc/dpkg/shlibs.default']) {
        if (!f) continue;
        const text = readSmall(f);
        const dep = text === undefined ? undefined : shlibsDependency(text, soname);
        if (dep !== undefined) return dep;
      }
      return undefined;
    },
  };
}
