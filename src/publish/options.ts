/** Strict validation of an output's options (deploy, notify): every problem at once, with its path. */
import type { z } from 'zod';
import { formatPath } from '../config/validate.js';
import { MkpkgError, type ErrorCode } from '../errors.js';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/**
 * Parse `value` with `schema`; `code` with one line per problem (`where.path: message (got VALUE)`)
 * otherwise. Only plain values are shown, and none when `showValues` is false (options near a secret).
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, where: string, code: ErrorCode, hint: string, showValues = true): z.output<S> {
  const r = schema.safeParse(value, { jitless: true }); // parsed once: see validateLayer
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const path = i.path.length ? `.${formatPath(i.path)}` : '';
    const got = valueAt(value, i.path);
    const plain = typeof got === 'string' || typeof got === 'number' || typeof got === 'boolean';
    const shown = showValues && plain && i.code !== 'unrecognized_keys' ? ` (got ${JSON.stringify(got)})` : '';
    return `${where}${path}: ${i.message}${shown}`;
  });
  throw new MkpkgError(code, lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  ${lines.join('\n  ')}`, {
    hint, details: { problems: lines },
  });
}
