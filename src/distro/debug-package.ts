/**
 * The separate debug-symbols package of a stripped build, laid out as Debian and Fedora do it:
 * `NAME-dbgsym` (Section debug, Auto-Built-Package: debug-symbols, Depends: NAME (= VERSION),
 * files in /usr/lib/debug/.build-id/xx/yyyy.debug) and `NAME-debuginfo` (the debug file at
 * /usr/lib/debug/PATH-VERSION-RELEASE.ARCH.debug, a build-id link to it, and
 * `debuginfo(build-id) = ID` provides). gdb finds the symbols by the build-id of the binary.
 */
import { posix } from 'node:path';
import { RPM_RELATION_KINDS, RPMSENSE, type DebMetadata, type RpmMetadata, type RpmRelationKind } from '../config/resolved.js';
import { assemblePlan, type Sourced } from '../plan/index.js';
import type { PlanEntry } from '../plan/types.js';
import type { DebTarget, RpmTarget } from '../plan/target.js';

/** One debug file split from a packaged binary. */
export interface DebugFile {
  /** Packaged path of the stripped binary, e.g. `/usr/sbin/cdaemon`. */
  path: string;
  /** The debug file on the build host. */
  file: string;
  size: number;
  buildId: string;
}

const DEBUG_DIR = '/usr/lib/debug';

/** `/usr/lib/debug/.build-id/xx/yyyy…` (without suffix) for a build-id. */
export function buildIdPath(buildId: string): string {
  return `${DEBUG_DIR}/.build-id/${buildId.slice(0, 2)}/${buildId.slice(2)}`;
}

function plan(entries: PlanEntry[], mtime: number) {
  const items: Sourced[] = entries.map((entry) => ({ entry, origin: `the debug package (${entry.path})`, strength: 'explicit' }));
  return { entries: assemblePlan(items, mtime).entries };
}

function file(path: string, d: DebugFile, mtime: number): PlanEntry {
  return { kind: 'file', path, source: d.file, size: d.size, mode: 0o644, owner: 'root', group: 'root', mtime, flags: {} };
}

function link(path: string, target: string, mtime: number): PlanEntry {
  return { kind: 'symlink', path, target, mode: 0o777, owner: 'root', group: 'root', mtime, flags: {} };
}

function uniqueByBuildId(files: readonly DebugFile[]): DebugFile[] {
  const seen = new Set<string>();
  return files.filter((f) => !seen.has(f.buildId) && seen.add(f.buildId)).sort((a, b) => (a.buildId < b.buildId ? -1 : 1));
}

/** The `NAME-dbgsym` .deb for a stripped `main` package. */
export function debDebugTarget(main: DebTarget, files: readonly DebugFile[], mtime: number): DebTarget {
  const m = main.meta;
  const name = `${m.package}-dbgsym`;
  const debug = uniqueByBuildId(files);
  const entries = debug.map((d) => file(`${buildIdPath(d.buildId)}.debug`, d, mtime));
  entries.push(link(`/usr/share/doc/${name}`, m.package, mtime));
  const meta: DebMetadata = {
    package: name,
    version: m.version,
    architecture: m.architecture,
    maintainer: m.maintainer,
    synopsis: `debug symbols for ${m.package}`,
    section: 'debug',
    priority: 'optional',
    ...(m.homepage ? { homepage: m.homepage } : {}),
    relations: { Depends: [`${m.package} (= ${m.version})`] },
    extraFields: { 'Auto-Built-Package': 'debug-symbols', 'Build-Ids': debug.map((d) => d.buildId).join(' ') },
  };
  return { format: 'deb', role: 'debug', plan: plan(entries, mtime), meta, scripts: {} };
}

/** The `NAME-debuginfo` .rpm for a stripped `main` package. */
export function rpmDebugTarget(main: RpmTarget, files: readonly DebugFile[], mtime: number): RpmTarget {
  const m = main.meta;
  const name = `${m.name}-debuginfo`;
  const debug = uniqueByBuildId(files);
  const entries: PlanEntry[] = [];
  for (const d of debug) {
    const real = `${DEBUG_DIR}${d.path}-${m.version}-${m.release}.${m.arch}.debug`;
    const byId = `${buildIdPath(d.buildId)}.debug`;
    entries.push(file(real, d, mtime), link(byId, posix.relative(posix.dirname(byId), real), mtime));
  }
  const relations = Object.fromEntries(RPM_RELATION_KINDS.map((k) => [k, []])) as unknown as Record<RpmRelationKind, RpmMetadata['relations'][RpmRelationKind]>;
  relations.provides = debug.map((d) => ({ name: 'debuginfo(build-id)', flags: RPMSENSE.EQUAL, version: d.buildId }));
  const meta: RpmMetadata = {
    ...m,
    name,
    summary: `Debug information for package ${m.name}`,
    description: `This package provides debug information for package ${m.name}.\nDebug information is useful when developing applications that use this\npackage or when debugging this package.`,
    group: 'Development/Debug',
    relations,
  };
  return { format: 'rpm', role: 'debug', plan: plan(entries, mtime), meta, scripts: {} };
}
