/** The container root filesystem as a shared setup task: built once (or found in MKPKG_CACHE_DIR) before any test. */
import { ensureRootfs } from '../../src/verify/index.js';
import { sharedSetup } from './shared-setup.js';
import { hasTool } from './tools.js';

/** The path of the cached rootfs; the root hook builds it first when this host can boot containers. */
export const sharedRootfs = sharedSetup(
  'container root filesystem (debootstrap once, then cached in MKPKG_CACHE_DIR)',
  // debootstrap took over 20 minutes at load 15 on 2 cores: the root hook's limit (setup.ts) is the guard.
  () => ensureRootfs({ onProgress: (m) => process.stdout.write(`  setup: ${m}\n`), timeoutMs: 40 * 60_000 }),
  () => process.getuid?.() === 0 && ['systemd-nspawn', 'debootstrap', 'nsenter'].every(hasTool),
);
