/**
 * What a distribution packager does to a package after its files are planned, in dh's order:
 * compress man/info pages, fix env shebangs (on request), compute shared-library dependencies,
 * strip ELF files (on request) into a separate debug package (on request), give shared libraries
 * the family's mode.
 */
import { MkpkgError, type Warning } from '../errors.js';
import type { DebMetadata, RpmDependency, RpmMetadata } from '../config/resolved.js';
import type { ValidConfig } from '../config/schema.js';
import { ElfFormatError, type ElfDynamic } from '../plan/elf-dynamic.js';
import type { NativeFile } from '../plan/elf.js';
import { comparePaths, type FileEntry, type PlanEntry } from '../plan/types.js';
import type { Target } from '../formats/types.js';
import { compressDocs } from './compress-docs.js';
import { debShlibDepends } from './deb-shlibdeps.js';
import { debDebugTarget, rpmDebugTarget, type DebugFile } from './debug-package.js';
import { mangleShebangs } from './shebangs.js';
import { withLibraryModes } from './library-modes.js';
import { elfDeps } from './rpm-elfdeps.js';
import { bundledRuntimeOverrides, lintianOverridesPath, renderLintianOverrides } from './lintian-overrides.js';
import { parentsOf } from '../plan/paths.js';
import { DIR_MODE, NO_FLAGS, ROOT } from '../plan/modes.js';
import type { TemplateLookup } from '../templates/lookup.js';
import type { DistroSession } from './session.js';

/** The packager settings of a config, with their defaults. */
export interface DistroOptions {
  shlibDeps: boolean;
  compressMan: boolean;
  strip: boolean;
  debugPackage: boolean;
  /** `false`, or the interpreter paths by command (empty: the defaults). */
  mangleShebangs: false | Record<string, string>;
  /** The bundled runtime's node (runtime.node): `#!/usr/bin/env node` scripts run it even without mangleShebangs. */
  bundledNode?: string;
}

/** Read the packager settings of a validated config (E_CONFIG_INVALID for `debugPackage` without stripping). */
export function distroOptions(config: ValidConfig): DistroOptions {
  const debugPackage = config.debugPackage ?? false;
  if (debugPackage && config.strip === false) {
    throw new MkpkgError('E_CONFIG_INVALID', 'debugPackage: true needs the binaries stripped, but strip is false', {
      hint: 'remove "strip: false" (debugPackage strips the binaries into the debug package), or set debugPackage: false',
      details: { path: 'debugPackage' },
    });
  }
  const mangle = config.mangleShebangs ?? false;
  return {
    shlibDeps: config.shlibDeps ?? true,
    compressMan: config.compressMan ?? true,
    strip: config.strip ?? debugPackage,
    debugPackage,
    mangleShebangs: mangle === false ? false : mangle === true ? {} : { ...mangle },
  };
}

interface ElfFile {
  entry: FileEntry;
  elf: ElfDynamic;
  arch: string;
}

function readElfFiles(entries: readonly PlanEntry[], native: readonly NativeFile[], session: DistroSession, warnings: Warning[]): ElfFile[] {
  const arch = new Map(native.map((n) => [n.path, n.arch]));
  const out: ElfFile[] = [];
  for (const e of entries) {
    if (e.kind !== 'file' || !arch.has(e.path)) continue;
    try {
      const elf = session.elfDynamic(e.source);
      if (elf) out.push({ entry: e, elf, arch: arch.get(e.path)! });
    } catch (err) {
      if (!(err instanceof ElfFormatError)) throw err;
      warnings.push({ code: 'W_ELF_MALFORMED', message: `${e.path}: ${err.message}; no dependencies are computed for it and it is not stripped` });
    }
  }
  return out;
}

/** Only names made of these reach a control file or header (the bytes come from untrusted files). */
const SAFE_DEP = /^[A-Za-z0-9_.+~@-]+(\([A-Za-z0-9_.+~@-]*\))*$/;

function relationNames(items: readonly string[]): Set<string> {
  return new Set(items.flatMap((i) => i.split('|').map((a) => /^\s*([^\s(:]+)/.exec(a)?.[1] ?? '')).filter(Boolean));
}

function addDebDepends(meta: DebMetadata, computed: readonly string[]): void {
  const named = relationNames([...(meta.relations.Depends ?? []), ...(meta.relations['Pre-Depends'] ?? [])]);
  const extra = computed.filter((d) => ![...relationNames([d])].some((n) => named.has(n)));
  if (extra.length) meta.relations.Depends = [...new Set([...(meta.relations.Depends ?? []), ...extra])];
}

function addRpmDeps(list: RpmDependency[], names: readonly string[]): RpmDependency[] {
  const have = new Set(list.map((d) => d.name));
  return [...list, ...[...new Set(names)].filter((n) => !have.has(n)).map((name) => ({ name, flags: 0, version: '' }))];
}

function shlibDeps(target: Target, files: readonly ElfFile[], session: DistroSession, warnings: Warning[]): void {
  const ok = (dep: string, file: string) => {
    if (SAFE_DEP.test(dep)) return true;
    warnings.push({ code: 'W_SHLIB_NAME_INVALID', message: `${file}: the dependency ${JSON.stringify(dep)} read from its dynamic section is not a plain library name and is ignored` });
    return false;
  };
  if (target.format === 'rpm') {
    const requires: string[] = [];
    const provides: string[] = [];
    for (const f of files) {
      const d = elfDeps(f.elf, (f.entry.mode & 0o111) !== 0, f.entry.path);
      requires.push(...d.requires.filter((x) => ok(x, f.entry.path)));
      provides.push(...d.provides.filter((x) => ok(x, f.entry.path)));
    }
    const meta: RpmMetadata = target.meta;
    meta.relations.requires = addRpmDeps(meta.relations.requires, requires.sort());
    meta.relations.provides = addRpmDeps(meta.relations.provides, provides.sort());
    return;
  }
  const own = new Set(files.flatMap((f) => [f.entry.path.slice(f.entry.path.lastIndexOf('/') + 1), ...(f.elf.soname ? [f.elf.soname] : [])]));
  const usable = files.map((f) => ({ path: f.entry.path, elf: { ...f.elf, needed: f.elf.needed.filter((n) => ok(n, f.entry.path)) } }));
  const r = debShlibDepends(usable, session.dpkgHost(target.meta.architecture), own);
  warnings.push(...r.warnings);
  addDebDepends(target.meta, r.depends.filter((d) => /^[^\n\r]*$/.test(d)));
}

/** The result of {@link applyDistro}: the changed target, the debug package if one was made. */
export interface DistroResult {
  target: Target;
  debugTarget?: Target;
  warnings: Warning[];
}

/** A .deb with a bundled runtime gets lintian overrides for it (see lintian-overrides.ts); a file of the project at that path wins. */
function addRuntimeOverrides(target: Target, node: string, scripts: readonly string[], stripped: boolean, mtime: number, lookup: TemplateLookup, warnings: Warning[]): void {
  if (target.format !== 'deb') return;
  const overrides = bundledRuntimeOverrides(target.plan.entries, node, scripts, stripped);
  if (overrides.length === 0) return;
  const file = renderLintianOverrides(target.meta.package, overrides, mtime, lookup);
  if (target.plan.entries.some((e) => e.path === file.path)) {
    warnings.push({ code: 'W_LINTIAN_OVERRIDES_KEPT', message: `${file.path} comes from the project, so the overrides for the bundled runtime are not added to it; lintian may report its tags` });
    return;
  }
  const have = new Set(target.plan.entries.map((e) => e.path));
  const dirs: PlanEntry[] = parentsOf(file.path).filter((p) => !have.has(p))
    .map((path) => ({ kind: 'dir', path, mode: DIR_MODE, owner: ROOT, group: ROOT, mtime, flags: NO_FLAGS }));
  target.plan = { entries: [...target.plan.entries, ...dirs, file].sort((a, b) => comparePaths(a.path, b.path)) };
}

/** Apply the packager steps `options` asks for to one target (the main package of one format). */
export async function applyDistro(target: Target, native: readonly NativeFile[], options: DistroOptions, session: DistroSession, mtime: number, lookup: TemplateLookup): Promise<DistroResult> {
  const warnings: Warning[] = [];
  let entries = target.plan.entries;
  if (options.compressMan) entries = compressDocs(entries);
  let rewritten: string[] = [];
  if (options.mangleShebangs || options.bundledNode) {
    const bundled: Record<string, string> = options.bundledNode ? { node: options.bundledNode } : {};
    const m = options.mangleShebangs
      ? mangleShebangs(entries, { ...bundled, ...options.mangleShebangs })
      : mangleShebangs(entries, bundled, ['node']);
    entries = m.entries;
    rewritten = m.changed;
    warnings.push(...m.warnings);
  }
  const files = readElfFiles(entries, native, session, warnings);
  const out = { ...target, plan: { entries } } as Target;
  if (options.shlibDeps) shlibDeps(out, files, session, warnings);
  let debugTarget: Target | undefined;
  let strippedNode = false;
  if (options.strip) {
    const debug: DebugFile[] = [];
    const replaced = new Map<string, PlanEntry>();
    for (const f of files) {
      const s = await session.stripper.strip({ path: f.entry.path, source: f.entry.source, elf: f.elf, arch: f.arch }, options.debugPackage);
      if (!s) continue;
      replaced.set(f.entry.path, { ...f.entry, source: s.source, size: s.size });
      if (s.debug) debug.push({ path: f.entry.path, ...s.debug });
    }
    warnings.push(...session.stripper.warnings.splice(0));
    strippedNode = options.bundledNode !== undefined && replaced.has(options.bundledNode);
    out.plan = { entries: entries.map((e) => replaced.get(e.path) ?? e).sort((a, b) => comparePaths(a.path, b.path)) };
    if (options.debugPackage && debug.length > 0) {
      debugTarget = out.format === 'deb' ? debDebugTarget(out, debug, mtime) : rpmDebugTarget(out, debug, mtime);
    } else if (options.debugPackage) {
      warnings.push({ code: 'W_DEBUG_PACKAGE_EMPTY', message: 'debugPackage: true, but no packaged ELF file has debug information (build with -g); no debug package is written' });
    }
  }
  out.plan = { entries: withLibraryModes(out.plan.entries, files.map((f) => ({ path: f.entry.path, elf: f.elf })), out.format) };
  if (options.bundledNode) addRuntimeOverrides(out, options.bundledNode, rewritten, strippedNode, mtime, lookup, warnings);
  return { target: out, ...(debugTarget ? { debugTarget } : {}), warnings };
}
