/**
 * The public API as the CLI hands it to config files and plugins (`import … from 'mkpkg'`):
 * imported on first use, since the whole API costs ~0.2 s of start-up that a JSON config never
 * needs. src/cli/ sits at the same depth as dist/cli/ and dist/bundle/, so `../index` is the
 * library entry in all three.
 */
import { fileURLToPath } from 'node:url';
import type { PublicApi } from '../config/user-modules.js';

const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export const cliPublicApi: PublicApi = {
  entry: fileURLToPath(new URL(`../index.${ext}`, import.meta.url)),
  load: () => import('../index.js'),
};
