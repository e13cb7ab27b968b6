/**
 * lintian overrides for a bundled Node.js runtime (runtime.node), limited to the exact paths the
 * tags are true for by design of a user-supplied official Node.js build:
 * - `embedded-library` (zlib) on its bin/node: Node.js links its own zlib statically;
 * - `unstripped-binary-or-object` on its bin/node, when it is packaged unstripped: official builds
 *   keep their symbol table (the --prof tick processor, perf and llnode resolve C++ frames with it)
 *   and the runtime is shipped as supplied unless `strip` is on and a strip for the target exists;
 * - `wrong-path-for-interpreter` and `missing-dep-for-interpreter` on the scripts whose shebang
 *   was rewritten to run the bundled node instead of /usr/bin/node (the package needs no nodejs).
 */
import type { TemplateLookup } from '../templates/lookup.js';
import { renderTemplate } from '../templates/render.js';
import { dataBytes, type DataEntry, type PlanEntry } from '../plan/types.js';

/** One override line: `PKG: TAG CONTEXT [POINTER]`. */
export interface LintianOverride {
  tag: string;
  context?: string;
  /** The packaged path without its leading slash, as lintian points at it. */
  pointer: string;
}

/** Where lintian reads a binary package's overrides. */
export function lintianOverridesPath(pkg: string): string {
  return `/usr/share/lintian/overrides/${pkg}`;
}

/** Paths go into the overrides file only when they are plain one-line literals lintian matches as written. */
const PLAIN_PATH = /^\/[A-Za-z0-9_.+@/-]+$/;

/** Whether entry `e` is a script whose shebang runs `node` (exactly that interpreter). */
function runsNode(e: PlanEntry | undefined, node: string): boolean {
  if (!e || e.kind !== 'data') return false;
  const head = dataBytes(e).subarray(0, node.length + 3).toString('latin1');
  return head.startsWith(`#!${node}`) && /^[\s]?$/.test(head.charAt(node.length + 2));
}

/**
 * The overrides for the bundled runtime whose `node` is at `node`: `scripts` are the paths whose
 * shebang was rewritten, `stripped` whether bin/node was stripped.
 */
export function bundledRuntimeOverrides(entries: readonly PlanEntry[], node: string, scripts: readonly string[], stripped: boolean): LintianOverride[] {
  if (!PLAIN_PATH.test(node) || !entries.some((e) => e.path === node)) return [];
  const pointer = node.slice(1);
  const out: LintianOverride[] = [{ tag: 'embedded-library', context: 'zlib', pointer }];
  if (!stripped) out.push({ tag: 'unstripped-binary-or-object', pointer });
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const path of [...scripts].sort()) {
    if (!PLAIN_PATH.test(path) || !runsNode(byPath.get(path), node)) continue;
    out.push({ tag: 'missing-dep-for-interpreter', context: `${node} *`, pointer: path.slice(1) });
    out.push({ tag: 'wrong-path-for-interpreter', context: `${node} *`, pointer: path.slice(1) });
  }
  return out;
}

/** The overrides file of package `pkg` as a plan entry (the caller adds it and its parent directories). */
export function renderLintianOverrides(pkg: string, overrides: readonly LintianOverride[], mtime: number, lookup: TemplateLookup): DataEntry {
  const text = renderTemplate('deb/lintian-overrides.ejs', { pkg, overrides }, lookup).text;
  return { kind: 'data', path: lintianOverridesPath(pkg), mode: 0o644, owner: 'root', group: 'root', mtime, flags: {}, data: text };
}
