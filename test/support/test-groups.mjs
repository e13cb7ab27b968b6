/**
 * The two groups test/run.mjs runs at the same time, one mocha process each:
 * - container: files that boot a systemd container. They share the host's network and mostly wait
 *   (settle periods, restart timers, start limits), so they run one after another, alone.
 * - host: every other file (mostly CPU-bound builds and real tools on the host).
 * A file is a container file when it, or a test module it imports (transitively, test/ only), names
 * one of CONTAINER_MARKS. The host group's processes are watched for a container all the same
 * (container-guard.ts): a file this rule misses fails there instead of clashing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What a module that boots a container (or hands out the root filesystem for one) uses. */
const CONTAINER_MARKS = /\b(bootContainer|ensureRootfs|sharedRootfs|runScenario)\b/;
const RELATIVE_IMPORT = /\b(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The test module a relative import names (`./x.js` is written for `./x.ts`), or undefined. */
function testModule(from, spec) {
  const p = resolve(dirname(from), spec);
  for (const candidate of [p.replace(/\.js$/, '.ts'), p.replace(/\.cjs$/, '.cts'), p]) {
    if (existsSync(candidate) && /\/test\//.test(candidate)) return candidate;
  }
  return undefined;
}

/** Split test files into the container group and the host group (each in the given order). */
export function testGroups(files) {
  const modules = new Map();
  /** Whether the module names a mark itself, and the test modules it imports. */
  const read = (file) => {
    if (!modules.has(file)) {
      const src = readFileSync(file, 'utf8');
      const deps = [...src.matchAll(RELATIVE_IMPORT)].map((m) => testModule(file, m[1] ?? m[2])).filter(Boolean);
      modules.set(file, { marked: CONTAINER_MARKS.test(src), deps });
    }
    return modules.get(file);
  };
  const boots = (file, seen = new Set()) => {
    if (seen.has(file)) return false;
    seen.add(file);
    const m = read(file);
    return m.marked || m.deps.some((d) => boots(d, seen));
  };
  const container = [];
  const host = [];
  for (const f of files) (boots(resolve(f)) ? container : host).push(f);
  return { container, host };
}
