/**
 * Dependencies that would have to be compiled for a foreign target. For a target other than the
 * build host npm runs with `--ignore-scripts` (a host compiler would build for the host), so a
 * package whose install step builds or fetches its addon ends up without one. Such a package is
 * one that has a `binding.gyp` (npm's implicit `node-gyp rebuild`) or an install script calling a
 * known addon builder (node-gyp, node-gyp-build, prebuild-install, node-pre-gyp, cmake-js), and
 * ships no `.node` file built for the target. Packages that bring their binaries as optional
 * per-platform dependencies (esbuild, sharp) have no such script and pass.
 */
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { elfIdentity, normalizeArch } from '../config/arch.js';
import { MkpkgError } from '../errors.js';
import { elfMismatch, readElfHeaderSync } from './elf.js';

/** Bounds of the scan: node_modules is written by npm from registry tarballs, so untrusted. */
const LIMITS = { packages: 100_000, entriesPerPackage: 20_000, packageJsonBytes: 1 << 20, depth: 32 } as const;

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;
const BUILDER = /\b(?:node-gyp(?:-build)?|prebuild-install|node-pre-gyp|cmake-js)\b/;

/** A package whose addon would have to be compiled for the target. */
export interface UnbuiltAddon {
  /** `name@version` from its package.json. */
  id: string;
  /** Its directory relative to the staging directory (`node_modules/x`). */
  dir: string;
  /** What makes it build: `binding.gyp` or the script. */
  reason: string;
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function readManifest(dir: string): Record<string, unknown> | undefined {
  try {
    const file = join(dir, 'package.json');
    if (statSync(file).size > LIMITS.packageJsonBytes) return undefined;
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Package directories under `nodeModules`, nested ones included; symlinks are not followed. */
function packageDirs(nodeModules: string): string[] {
  const out: string[] = [];
  const todo: [string, number][] = [[nodeModules, 0]];
  while (todo.length > 0 && out.length < LIMITS.packages) {
    const [dir, depth] = todo.pop()!;
    for (const e of entries(dir)) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const at = join(dir, e.name);
      const pkgs = e.name.startsWith('@') ? entries(at).filter((s) => s.isDirectory()).map((s) => join(at, s.name)) : [at];
      for (const p of pkgs) {
        out.push(p);
        if (depth < LIMITS.depth) todo.push([join(p, 'node_modules'), depth + 1]);
      }
    }
  }
  return out.sort();
}

/** Why the package at `dir` builds at install time, or undefined. */
function buildReason(dir: string, manifest: Record<string, unknown>): string | undefined {
  const scripts = (manifest.scripts && typeof manifest.scripts === 'object' ? manifest.scripts : {}) as Record<string, unknown>;
  for (const name of INSTALL_SCRIPTS) {
    const s = scripts[name];
    if (typeof s === 'string' && BUILDER.test(s)) return `its ${name} script runs ${JSON.stringify(s.slice(0, 80))}`;
  }
  const hasInstall = typeof scripts.install === 'string' || typeof scripts.preinstall === 'string';
  if (!hasInstall && manifest.gypfile !== false && entries(dir).some((e) => e.isFile() && e.name === 'binding.gyp')) return 'it has a binding.gyp (npm runs node-gyp rebuild)';
  return undefined;
}

/** Whether the package ships a `.node` file built for the target (outside its own node_modules). */
function hasTargetAddon(dir: string, fits: (file: string) => boolean): boolean {
  const todo = [dir];
  let seen = 0;
  while (todo.length > 0) {
    const current = todo.pop()!;
    for (const e of entries(current)) {
      if (++seen > LIMITS.entriesPerPackage) return false;
      const at = join(current, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') todo.push(at);
      else if (e.isFile() && e.name.endsWith('.node') && fits(at)) return true;
    }
  }
  return false;
}

/** The packages under `stagingDir/node_modules` whose addon would have to be compiled for `arch` (any spelling). */
function unbuiltAddons(stagingDir: string, arch: string): UnbuiltAddon[] {
  if (!elfIdentity(arch)) return [];
  const fits = (file: string) => {
    try {
      const h = readElfHeaderSync(file);
      return h !== undefined && elfMismatch({ path: file, arch: '', machine: h.machine, bits: h.bits, littleEndian: h.littleEndian }, arch) === undefined;
    } catch {
      return false;
    }
  };
  const out: UnbuiltAddon[] = [];
  for (const dir of packageDirs(join(stagingDir, 'node_modules'))) {
    const manifest = readManifest(dir);
    if (!manifest) continue;
    const reason = buildReason(dir, manifest);
    if (!reason || hasTargetAddon(dir, fits)) continue;
    out.push({ id: `${String(manifest.name ?? relative(stagingDir, dir))}@${String(manifest.version ?? '?')}`, dir: relative(stagingDir, dir), reason });
  }
  return out;
}

/** E_ADDON_NEEDS_BUILD naming every package {@link unbuiltAddons} found; nothing when there is none. */
export function checkAddonsBuilt(stagingDir: string, arch: string): void {
  const found = unbuiltAddons(stagingDir, arch);
  if (found.length === 0) return;
  const deb = normalizeArch(arch).deb;
  const lines = found.map((a) => `  ${a.id} (${a.dir}): ${a.reason}, and it ships no .node file built for ${deb}`);
  throw new MkpkgError('E_ADDON_NEEDS_BUILD', `${found.length === 1 ? 'a dependency has' : `${found.length} dependencies have`} a native addon that would have to be compiled for ${deb}, which mkpkg cannot do on this ${normalizeArch(process.arch).deb} machine:\n${lines.join('\n')}`, {
    hint: `build the package on a ${deb} machine (or in a ${deb} container), use a version of ${found.length === 1 ? 'it' : 'each'} that ships prebuilt binaries for linux-${normalizeArch(arch).node}, or drop the dependency`,
    details: { arch: deb, packages: found },
  });
}
