/**
 * The cached Debian root filesystem the lifecycle containers boot from. Built once with
 * debootstrap into a temporary directory, customised, and renamed into place only when complete.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MkpkgError } from '../errors.js';
import { assertVerifyHost } from './host.js';
import { pidAlive } from '../proc/procfs.js';
import { withLock } from './lock.js';
import { hostDebianMirror } from './mirror.js';
import { removeTreeSync } from './mounts.js';
import { run, tail } from './proc.js';

/**
 * What every rootfs gets. systemd/dbus boot it; nodejs runs Node.js services; curl fetches from them;
 * rpm and dnf let .rpm packages be installed in the same Debian container (dnf adds ~20 s and ~85 MB
 * to a ~50 s, ~380 MB build, cheaper than a second cached layer).
 */
export const ROOTFS_PACKAGES: readonly string[] = ['curl', 'dbus', 'dnf', 'nodejs', 'rpm', 'systemd', 'systemd-sysv'];

/** Bump when the customisation below changes, so old caches are not reused. */
const RECIPE = 1;

/** Options for {@link ensureRootfs}. */
export interface RootfsOptions {
  /** Default: `$MKPKG_CACHE_DIR` or `~/.cache/mkpkg`. */
  cacheDir?: string;
  suite?: 'bookworm';
  /** Debian packages to add to {@link ROOTFS_PACKAGES} (a separate cached rootfs per set). */
  extraPackages?: string[];
  /** Debian mirror (default: the one this host's apt uses). Not part of the cache key. */
  mirror?: string;
  /** Progress messages (a build takes about a minute). */
  onProgress?: (message: string) => void;
  /** Kill debootstrap after this long (default 20 minutes; a loaded machine may need more). */
  timeoutMs?: number;
}

/** The cache directory: `$MKPKG_CACHE_DIR`, else `~/.cache/mkpkg`. */
export function defaultCacheDir(): string {
  return process.env.MKPKG_CACHE_DIR || join(homedir(), '.cache', 'mkpkg');
}

/** The sorted package list of a rootfs with these extra packages. */
export function rootfsPackages(extra: readonly string[] = []): string[] {
  return [...new Set([...ROOTFS_PACKAGES, ...extra])].sort();
}

/** The cache key (directory name) for a suite and package set. */
export function rootfsKey(suite: string, extra: readonly string[] = []): string {
  const hash = createHash('sha256').update(JSON.stringify({ recipe: RECIPE, suite, packages: rootfsPackages(extra) })).digest('hex');
  return `${suite}-${hash.slice(0, 16)}`;
}

const building = new Map<string, Promise<string>>();

/** Return the path of a complete cached rootfs, building it first if needed (concurrent callers share one build). */
export function ensureRootfs(opts: RootfsOptions = {}): Promise<string> {
  const suite = opts.suite ?? 'bookworm';
  const dir = join(opts.cacheDir ?? defaultCacheDir(), 'rootfs', rootfsKey(suite, opts.extraPackages));
  if (existsSync(dir)) return Promise.resolve(dir);
  let p = building.get(dir);
  if (!p) {
    p = buildLocked(dir, suite, opts).finally(() => building.delete(dir));
    building.set(dir, p);
  }
  return p;
}

async function buildLocked(dir: string, suite: string, opts: RootfsOptions): Promise<string> {
  assertVerifyHost();
  await mkdir(join(dir, '..'), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(dir)) return dir;
    await removeStaleTemps(dir);
    const tmp = `${dir}.tmp-${process.pid}`;
    try {
      await build(tmp, suite, opts);
      await rename(tmp, dir);
    } finally {
      removeTreeSync(tmp);
    }
    return dir;
  });
}

async function removeStaleTemps(dir: string): Promise<void> {
  const parent = join(dir, '..');
  const base = dir.slice(parent.length + 1);
  for (const name of await readdir(parent)) {
    const m = new RegExp(`^${base}\\.tmp-(\\d+)$`).exec(name);
    if (m && !pidAlive(Number(m[1]))) removeTreeSync(join(parent, name));
  }
}

async function build(root: string, suite: string, opts: RootfsOptions): Promise<void> {
  const mirror = opts.mirror ?? hostDebianMirror(suite);
  const packages = rootfsPackages(opts.extraPackages);
  const started = Date.now();
  opts.onProgress?.(`building the ${suite} root filesystem from ${mirror} (about a minute, once)`);
  const env = { ...process.env, PATH: `/usr/local/sbin:/usr/sbin:/sbin:${process.env.PATH ?? '/usr/bin:/bin'}`, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const r = await run('debootstrap', ['--variant=minbase', `--include=${packages.join(',')}`, suite, root, mirror], { env, timeoutMs: opts.timeoutMs ?? 20 * 60_000 });
  if (r.code !== 0) {
    throw new MkpkgError('E_VERIFY_UNAVAILABLE', `debootstrap of ${suite} from ${mirror} failed (exit ${r.code}): ${tail(r.stderr || r.stdout, 800)}`, {
      hint: 'check that the Debian mirror is reachable from this host (the one in /etc/apt/sources.list*), then retry',
      details: { stdout: tail(r.stdout), stderr: tail(r.stderr) },
    });
  }
  await customise(root, env, packages);
  await writeFile(join(root, 'etc', 'mkpkg-rootfs.json'), `${JSON.stringify({ suite, mirror, packages, recipe: RECIPE }, null, 2)}\n`);
  opts.onProgress?.(`root filesystem ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Make the fresh rootfs boot cleanly under nspawn and host .rpm installs. */
async function customise(root: string, env: NodeJS.ProcessEnv, packages: readonly string[]): Promise<void> {
  // Without a static hostname, systemd keeps the one nspawn gives it (--hostname / machine name).
  await rm(join(root, 'etc', 'hostname'), { force: true });
  // Debian's rpm keeps its database in ~/.rpmdb; a system database is what dnf and scriptlets expect.
  await mkdir(join(root, 'etc', 'rpm'), { recursive: true });
  await writeFile(join(root, 'etc', 'rpm', 'macros'), '%_dbpath /var/lib/rpm\n');
  await mkdir(join(root, 'var', 'lib', 'rpm'), { recursive: true });
  await mkdir(join(root, 'etc', 'yum.repos.d'), { recursive: true });
  const init = await run('chroot', [root, 'rpm', '--initdb'], { env });
  if (init.code !== 0) throw new MkpkgError('E_VERIFY_UNAVAILABLE', `rpm --initdb in the new rootfs failed: ${tail(init.stderr)}`);
  // Containers share the host's network: a booted ssh.service would take the host's port 22.
  // Debian's unit honours this file; a test starts its own sshd on a free port instead.
  if (packages.includes('openssh-server')) await writeFile(join(root, 'etc', 'ssh', 'sshd_not_to_be_run'), '');
  await writeFile(join(root, 'etc', 'apt', 'apt.conf.d', '90mkpkg'), 'APT::Install-Recommends "false";\nAcquire::Languages "none";\n');
  for (const f of await readdir(join(root, 'var', 'cache', 'apt', 'archives'))) {
    if (f.endsWith('.deb')) await rm(join(root, 'var', 'cache', 'apt', 'archives', f));
  }
}
