/**
 * Strict validation of one config layer against {@link configSchema}, turning zod issues into
 * readable problems that name the layer, the path and the offending value.
 */
import type { z } from 'zod';
import { MkpkgError } from '../errors.js';
import { configSchema, type ValidConfig } from './schema.js';

/** One validation problem. */
export interface ConfigIssue {
  /** The layer it came from: a file name or `command line`. */
  source: string;
  /** Path inside the layer, e.g. `['services', 0, 'onUpgrade']`. */
  path: (string | number)[];
  /** The path as text, e.g. `services[0].onUpgrade`. */
  pathText: string;
  /** zod issue code (`invalid_value`, `unrecognized_keys`, …). */
  code: string;
  message: string;
}

/** `['services', 0, 'onUpgrade']` → `services[0].onUpgrade`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(top level)';
}

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined) return 'nothing';
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : String(v); // circular or holding a BigInt
  }
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDefLike } }>;
  element?: { _zod: { def: ZodDefLike } };
  innerType?: { _zod: { def: ZodDefLike } };
  options?: { _zod: { def: ZodDefLike } }[];
}

/** The keys an object at `path` of the schema accepts (for "did you mean"). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let defs: ZodDefLike[] = [(configSchema as unknown as { _zod: { def: ZodDefLike } })._zod.def];
  const unwrap = (ds: ZodDefLike[]): ZodDefLike[] =>
    ds.flatMap((d) =>
      d.type === 'optional' && d.innerType ? unwrap([d.innerType._zod.def]) : d.type === 'union' && d.options ? unwrap(d.options.map((o) => o._zod.def)) : [d],
    );
  for (const p of path) {
    defs = unwrap(defs).flatMap((d) => {
      if (typeof p === 'number' && d.type === 'array' && d.element) return [d.element._zod.def];
      if (typeof p === 'string' && d.type === 'object' && d.shape?.[p]) return [d.shape[p]._zod.def];
      return [];
    });
  }
  return unwrap(defs).flatMap((d) => (d.type === 'object' && d.shape ? Object.keys(d.shape) : []));
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function suggestion(key: string, path: readonly PropertyKey[]): string {
  const best = knownKeys(path)
    .map((k) => ({ k, d: distance(key, k) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(key.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))[0];
  return best ? `; did you mean "${best.k}"?` : '';
}

function describe(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_value':
      return `invalid option ${show(input)}; expected one of ${issue.values.map(String).join('|')}`;
    case 'invalid_type':
      return `expected ${issue.expected}, got ${show(input)}`;
    case 'invalid_union': {
      const alts = [...new Set(issue.errors.map((branch) => branch.map((i) => describe(i).replace(/, got .*$/, '').replace(/^expected /, '')).join(' and ')))];
      return `invalid value ${show(input)}; expected ${alts.join(', or ')}`;
    }
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1 ? 'must not be empty' : `${issue.message.replace(/^Too small: /, '')}, got ${show(input)}`;
    case 'too_big':
      return `${issue.message.replace(/^Too big: /, '')}, got ${show(input)}`;
    case 'invalid_format':
      return `invalid value ${show(input)}; expected ${issue.message}`;
    default:
      return input === undefined ? issue.message : `${issue.message} (got ${show(input)})`;
  }
}

function toIssues(issue: z.core.$ZodIssue, source: string, prefix: (string | number)[]): ConfigIssue[] {
  const base = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => {
      const path = [...prefix, ...base, k];
      return { source, path, pathText: formatPath(path), code: issue.code, message: `unknown key${suggestion(k, base)}` };
    });
  }
  const path = [...prefix, ...base];
  return [{ source, path, pathText: formatPath(path), code: issue.code, message: describe(issue) }];
}

/**
 * Validate one layer. `prefix` is prepended to every path (e.g. `['mkpkg']` for the package.json key).
 * Never throws for invalid input; the caller collects issues from every layer.
 */
export function validateLayer(value: unknown, source: string, prefix: (string | number)[] = []): { config?: ValidConfig; issues: ConfigIssue[] } {
  // jitless: zod's compiled fast path costs ~5 ms to generate, paid back only over many parses; a build parses a layer once.
  const r = configSchema.safeParse(value, { reportInput: true, jitless: true });
  if (r.success) return { config: r.data, issues: [] };
  return { issues: r.error.issues.flatMap((i) => toIssues(i, source, prefix)) };
}

/** One `E_CONFIG_INVALID` error listing every problem, one per line. */
export function invalidConfigError(issues: readonly ConfigIssue[]): MkpkgError {
  const lines = issues.map((i) => `  ${i.source}: ${i.pathText}: ${i.message}`);
  return new MkpkgError('E_CONFIG_INVALID', `the configuration has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
    hint: 'fix each listed field; the JSON schema (schema/mkpkg.schema.json) or defineConfig() types show the accepted keys and values',
    details: { issues: issues.map((i) => ({ ...i, path: [...i.path] })) },
  });
}
