/**
 * Importing the user's own modules (JS/TS config files, plugins) with jiti. `import … from 'mkpkg'`
 * in them gets the running mkpkg's public API, which the entry points hand in with
 * {@link providePublicApi} (src/index.ts for the library, the CLI for itself): the config layer
 * knows nothing of the layers above it.
 */
import type { Jiti } from 'jiti';

/** The public API as user modules import it. */
export interface PublicApi {
  /** The file of the API module (jiti's alias for `mkpkg`, the fallback of the virtual module). */
  entry: string;
  /** The module itself (loaded on first use: a JSON config never needs it). */
  load(): Promise<object>;
}

let provided: PublicApi | undefined;

/** Make `api` the `mkpkg` that config files and plugins import (the last one provided wins). */
export function providePublicApi(api: PublicApi): void {
  provided = api;
}

/**
 * A jiti loader for user modules resolving from `parentUrl`. With a provided API, `import … from
 * 'mkpkg'` gets that already-loaded module (nothing is transpiled twice and `MkpkgError` is the same
 * class); without one, `mkpkg` resolves like any package. jiti is loaded on demand.
 */
export async function userModuleLoader(parentUrl: string): Promise<Jiti> {
  const api = provided;
  const [{ createJiti }, mod] = await Promise.all([import('jiti'), api?.load()]);
  return createJiti(parentUrl, {
    ...(api && mod ? { alias: { mkpkg: api.entry }, virtualModules: { mkpkg: mod } } : {}),
    interopDefault: true,
    moduleCache: false,
    fsCache: false,
  });
}
