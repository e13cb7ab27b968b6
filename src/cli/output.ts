/** Printing for the CLI: results, errors, JSON. No logic beyond formatting. */
import { isMkpkgError, type MkpkgError } from '../errors.js';
import { safeLine, safeText } from '../terminal.js';

/** Exit codes: 0 success, 1 error, 2 bad usage. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2 } as const;

/** The `--json` form of an error: one object on stdout, `{ "error": { code, message, hint, … } }`. */
export function errorJson(e: unknown): { error: Record<string, unknown> } {
  if (isMkpkgError(e)) {
    const err = e as MkpkgError;
    return { error: { code: err.code, message: err.message, hint: err.hint, ...(err.step ? { step: err.step } : {}), ...(err.plugin ? { plugin: err.plugin } : {}), ...(err.details ? { details: err.details } : {}) } };
  }
  return { error: { code: 'E_INTERNAL', message: (e as Error)?.message ?? String(e) } };
}

/**
 * Print an error the way the CLI promises: `error E_CODE: message` + hint on stderr; a stack only
 * for bugs. With `json`, the error is also one JSON object on stdout (see {@link errorJson}).
 */
export function printError(e: unknown, stream: NodeJS.WritableStream = process.stderr, json = false): number {
  if (json) {
    try {
      printJson(errorJson(e));
    } catch {
      printJson(errorJson(new Error(String(e))));
    }
  }
  if (isMkpkgError(e)) {
    const err = e as MkpkgError;
    const where = [err.plugin && `plugin ${err.plugin}`, err.step && `step ${err.step}`].filter(Boolean).join(', ');
    stream.write(`error ${err.code}: ${safeText(err.message)}${where ? ` (${safeLine(where)})` : ''}\n`);
    if (err.hint) stream.write(`  hint: ${safeText(err.hint)}\n`);
    return err.code === 'E_USAGE' ? EXIT.USAGE : EXIT.ERROR;
  }
  stream.write(`internal error (please report it): ${safeText((e as Error)?.stack ?? String(e))}\n`);
  return EXIT.ERROR;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
