/**
 * A time limit for loading user code (config modules, plugins and their factories): a module that
 * never finishes (a top-level `await` on a promise that never settles, a factory that never
 * resolves) ends in `E_LOAD_TIMEOUT` naming the file instead of hanging mkpkg forever.
 *
 * The limit is `MKPKG_LOAD_TIMEOUT` seconds (default 60; `0` turns it off). A synchronous endless
 * loop at a module's top level blocks the whole process and cannot be interrupted from inside it;
 * only a signal (Ctrl-C, a CI job timeout) ends it.
 */
import { MkpkgError } from '../errors.js';

/** Default limit in seconds. */
export const DEFAULT_LOAD_TIMEOUT_S = 60;

/** The limit in milliseconds from `MKPKG_LOAD_TIMEOUT` (seconds); 0 means none. */
export function loadTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MKPKG_LOAD_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOAD_TIMEOUT_S * 1000;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0) {
    throw new MkpkgError('E_USAGE', `MKPKG_LOAD_TIMEOUT=${JSON.stringify(raw)} is not a number of seconds`, {
      hint: `set MKPKG_LOAD_TIMEOUT to seconds, e.g. 120 (0 for no limit; default ${DEFAULT_LOAD_TIMEOUT_S})`,
    });
  }
  return Math.round(s * 1000);
}

/**
 * Await `work` (loading `file`; `what` says what: "the config module", "plugins[0]"), or throw
 * `E_LOAD_TIMEOUT` once the limit has passed. The timer keeps the process alive until then.
 */
export async function withLoadTimeout<T>(work: Promise<T> | T, file: string, what: string): Promise<T> {
  const ms = loadTimeoutMs();
  if (ms === 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MkpkgError('E_LOAD_TIMEOUT', `${what} (${file}) did not finish loading within ${ms / 1000} s`, {
      hint: 'look for a top-level await or a plugin factory that never settles; if loading is just slow, raise MKPKG_LOAD_TIMEOUT (seconds, 0 for no limit)',
      details: { file, timeoutMs: ms },
    })), ms);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
