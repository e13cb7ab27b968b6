/** Loaded before every test file: test-wide environment. */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The booted-container root filesystem is cached inside the clone (git-ignored).
process.env.MKPKG_CACHE_DIR ??= resolve(repo, '.cache');

export const mochaHooks = {};
