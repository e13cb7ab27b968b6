/**
 * A config module's default export made plain data before it is validated: every property is read
 * once, here, so a getter or Proxy that throws is an `E_CONFIG_LOAD` naming its path (not a crash in
 * the middle of validation), and nesting deeper than {@link MAX_NESTING} (or a cycle) is an
 * `E_CONFIG_INVALID` instead of a stack overflow. Code-valued keys (hooks, plugins, pipeline,
 * outputs) are kept as they are: they hold functions and objects that are not data.
 */
import { MkpkgError } from '../errors.js';
import { MAX_NESTING } from './json-text.js';
import { formatPath } from './validate.js';

/** Top-level keys whose values are code, passed through untouched. */
const CODE_KEYS = new Set(['hooks', 'plugins', 'pipeline', 'outputs']);

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}

/** The plain-data copy of `value` from `file` (a config module's default export). */
export function snapshotConfig(value: unknown, file: string): unknown {
  const path: (string | number)[] = [];
  const fail = (e: unknown): never => {
    throw new MkpkgError('E_CONFIG_LOAD', `${file}: reading ${formatPath(path)} of the config threw: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'export plain data from the config module (no throwing getters or proxies)', details: { file, path: [...path] }, cause: e,
    });
  };
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null || !isPlain(v)) return v;
    if (depth >= MAX_NESTING) {
      throw new MkpkgError('E_CONFIG_INVALID', `${file}: ${formatPath(path.slice(0, 4))}… is nested more than ${MAX_NESTING} levels deep (or refers to itself)`, {
        hint: `a config is a few levels deep; remove the deep or circular structure (the limit is ${MAX_NESTING} levels)`, details: { file, path: [...path], limit: MAX_NESTING },
      });
    }
    let keys: string[];
    try {
      keys = Array.isArray(v) ? [...v.keys()].map(String) : Object.keys(v);
    } catch (e) {
      return fail(e);
    }
    const out: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
    for (const k of keys) {
      path.push(Array.isArray(v) ? Number(k) : k);
      let item: unknown;
      try {
        item = (v as Record<string, unknown>)[k];
      } catch (e) {
        fail(e);
      }
      (out as Record<string, unknown>)[k] = depth === 0 && CODE_KEYS.has(k) ? item : copy(item, depth + 1);
      path.pop();
    }
    return out;
  };
  return copy(value, 0);
}
