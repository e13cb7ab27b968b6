/** The container root filesystems as shared setup tasks: built once (or found in MKPKG_CACHE_DIR) before any test. */
import { ensureRootfs, type RootfsOptions } from '../../src/verify/index.js';
import { sharedSetup } from './shared-setup.js';
import { hasTool } from './tools.js';

/**
 * A rootfs with `extraPackages` as a setup task the root hook starts beside the other setup (a
 * debootstrap mostly waits on the mirror), when this host can boot containers. Its progress lines
 * are labelled, as two builds may run at once.
 */
export function sharedRootfsTask(label: string, extraPackages: string[] = []): () => Promise<string> {
  const opts: RootfsOptions = {
    extraPackages,
    onProgress: (m) => process.stdout.write(`  setup: ${label}: ${m}\n`),
    // debootstrap took over 20 minutes at load 15 on 2 cores: the root hook's limit (setup.ts) is the guard.
    timeoutMs: 40 * 60_000,
  };
  return sharedSetup(`${label} (debootstrap once, then cached in MKPKG_CACHE_DIR)`, () => ensureRootfs(opts), {
    when: () => process.getuid?.() === 0 && ['systemd-nspawn', 'debootstrap', 'nsenter'].every(hasTool),
    alongside: true,
  });
}

/** The path of the cached rootfs the lifecycle, verify and publish container tests boot. */
export const sharedRootfs = sharedRootfsTask('container root filesystem');
