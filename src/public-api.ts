/**
 * The running mkpkg's public API, handed to config files and plugins as `import … from 'mkpkg'`.
 * Imported on first use: the whole API costs ~0.2 s of start-up that a JSON config never needs.
 */
import type * as Api from './index.js';

let pinned: typeof Api | undefined;

/**
 * Use this instance of the API. For hosts that load mkpkg's sources through CommonJS (tsx under
 * mocha), where a dynamic `import()` would load a second copy with its own `MkpkgError` class.
 */
export function pinPublicApi(api: typeof Api): void {
  pinned = api;
}

/** The public API, imported on first use unless pinned. */
export async function publicApi(): Promise<typeof Api> {
  return (pinned ??= await import('./index.js'));
}
