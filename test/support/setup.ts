/** Loaded before every test file: test-wide environment. */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/index.js';
import { pinPublicApi } from '../../src/public-api.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The booted-container root filesystem is cached inside the clone (git-ignored).
process.env.MKPKG_CACHE_DIR ??= resolve(repo, '.cache');
// Tests load the sources through tsx's CommonJS hooks: config files and plugins must get this same copy.
pinPublicApi(api);

export const mochaHooks = {};
