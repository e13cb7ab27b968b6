/** The container root filesystem as a shared setup task: built once (or found in MKPKG_CACHE_DIR) before any test. */
import { ensureRootfs } from '../../src/verify/index.js';
import { sharedSetup } from './shared-setup.js';
import { hasTool } from './tools.js';

/** The path of the cached rootfs; the root hook builds it first when this host can boot containers. */
export const sharedRootfs = sharedSetup(
  'container root filesystem (debootstrap once, then cached in MKPKG_CACHE_DIR)',
  () => ensureRootfs({ onProgress: (m) => process.stdout.write(`  setup: ${m}\n`) }),
  () => process.getuid?.() === 0 && ['systemd-nspawn', 'debootstrap', 'nsenter'].every(hasTool),
);
