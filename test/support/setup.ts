/** Loaded before every test file: test-wide environment, and the one-time shared setup (shared-setup.ts). */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/index.js';
import { providePublicApi } from '../../src/config/user-modules.js';
import { containerGuard } from './container-guard.js';
import { runSharedSetup } from './shared-setup.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The booted-container root filesystem is cached inside the clone (git-ignored).
process.env.MKPKG_CACHE_DIR ??= resolve(repo, '.cache');
// Tests load the sources through tsx's CommonJS hooks: config files and plugins must get this same copy.
providePublicApi({ entry: resolve(repo, 'src/index.ts'), load: async () => api });

/** The limit of the whole one-time setup: a debootstrap (over 20 min at load 15 on 2 cores) plus ~30 package builds (7 min there). */
const SETUP_TIMEOUT_MS = 60 * 60_000;

/** test/run.mjs runs the host group beside the container group: it must boot no container. */
const guard = process.env.MKPKG_TEST_GROUP === 'host' ? containerGuard() : undefined;

export const mochaHooks: Mocha.RootHookObject = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(SETUP_TIMEOUT_MS);
    await guard?.start();
    await runSharedSetup((line) => process.stdout.write(`${line}\n`));
  },
  ...(guard && { afterEach: guard.afterEach, afterAll: guard.afterAll }),
};
