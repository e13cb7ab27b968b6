/**
 * Package-manager actions inside a container: dpkg, apt from a served repository, rpm, and dnf
 * from a yum repository. Each throws E_VERIFY_FAILED with the tool's output when it fails.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { MkpkgError } from '../errors.js';
import type { Container } from './container.js';
import type { RunResult } from './proc.js';

const DEB_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const PKG_DIR = '/var/tmp/mkpkg-verify';

/** Copy a host package into the container; returns its path inside. */
export async function copyPackageIn(c: Container, hostPath: string): Promise<string> {
  const inside = `${PKG_DIR}/${basename(hostPath)}`;
  await c.copyIn(hostPath, inside);
  return inside;
}

/** `dpkg -i` a host .deb inside the container (install or upgrade). */
export async function installDeb(c: Container, hostPath: string): Promise<RunResult> {
  return c.execOk(['dpkg', '-i', await copyPackageIn(c, hostPath)], { env: DEB_ENV });
}

/** `dpkg -r NAME` (remove, keep conffiles). */
export function removeDeb(c: Container, name: string): Promise<RunResult> {
  return c.execOk(['dpkg', '-r', name], { env: DEB_ENV });
}

/** `dpkg -P NAME` (purge). */
export function purgeDeb(c: Container, name: string): Promise<RunResult> {
  return c.execOk(['dpkg', '-P', name], { env: DEB_ENV });
}

/** Options for {@link installRpm}. */
export interface RpmInstallOptions {
  /** `rpm -U` instead of `rpm -i`. */
  upgrade?: boolean;
  /**
   * Pass `--nodeps` (default true): the Debian container's rpm database has no packages, so
   * nothing provides `/bin/sh`, `nodejs`, … even though they are installed.
   */
  nodeps?: boolean;
}

/** `rpm -i` (or `-U`) a host .rpm inside the container. */
export async function installRpm(c: Container, hostPath: string, opts: RpmInstallOptions = {}): Promise<RunResult> {
  const args = ['rpm', opts.upgrade ? '-U' : '-i', ...(opts.nodeps === false ? [] : ['--nodeps']), await copyPackageIn(c, hostPath)];
  return c.execOk(args);
}

/** `rpm -e NAME` (with `--nodeps` unless told otherwise). */
export function eraseRpm(c: Container, name: string, opts: { nodeps?: boolean } = {}): Promise<RunResult> {
  return c.execOk(['rpm', '-e', ...(opts.nodeps === false ? [] : ['--nodeps']), name]);
}

/** Options for {@link aptInstallFromRepo}. */
export interface AptRepoOptions {
  /** A host file with the repository's public key (armored or binary); without it the source is `[trusted=yes]`. */
  keyFile?: string;
  /** The name of the sources/keyring files (default `mkpkg-verify`). */
  name?: string;
  /** Also use the container's other apt sources (default false: only this repository is updated and consulted). */
  withSystemSources?: boolean;
}

/** The one-line apt source for a repository (flat when `component` is empty). */
export function aptSourceLine(repoUrl: string, suite: string, component: string, signedBy?: string): string {
  const opt = signedBy ? `[signed-by=${signedBy}]` : '[trusted=yes]';
  return component ? `deb ${opt} ${repoUrl} ${suite} ${component}` : `deb ${opt} ${repoUrl} ${suite}`;
}

/**
 * Add the repository to `/etc/apt/sources.list.d`, `apt-get update --error-on=any` (so a bad signature
 * fails) and `apt-get install -y PKG`. Use it again with a newer repository content to upgrade.
 */
export async function aptInstallFromRepo(
  c: Container, repoUrl: string, suite: string, component: string, pkg: string, opts: AptRepoOptions = {},
): Promise<RunResult> {
  const name = opts.name ?? 'mkpkg-verify';
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new MkpkgError('E_USAGE', `apt source name ${name} may only contain letters, digits, _ . -`);
  let signedBy: string | undefined;
  if (opts.keyFile) {
    const key = await readFile(opts.keyFile);
    const armored = key.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP');
    signedBy = `/etc/apt/keyrings/${name}.${armored ? 'asc' : 'gpg'}`;
    await c.writeFile(signedBy, key);
  }
  const list = `/etc/apt/sources.list.d/${name}.list`;
  await c.writeFile(list, `${aptSourceLine(repoUrl, suite, component, signedBy)}\n`);
  const only = opts.withSystemSources ? [] : ['-o', `Dir::Etc::SourceList=${list}`, '-o', 'Dir::Etc::SourceParts=-'];
  await c.execOk(['apt-get', ...only, 'update', '--error-on=any'], { env: DEB_ENV });
  return c.execOk(['apt-get', ...only, 'install', '-y', pkg], { env: DEB_ENV });
}

/** Options for {@link dnfInstallFromRepo}. */
export interface DnfRepoOptions {
  /** A host file with the repository's public key; without it `gpgcheck=0`. */
  keyFile?: string;
  /** The repo id (default `mkpkg-verify`). */
  name?: string;
  /** `install` (default), `upgrade` or `reinstall`. */
  action?: 'install' | 'upgrade' | 'reinstall';
}

/**
 * Write `/etc/yum.repos.d/NAME.repo` for `repoUrl` and run `dnf -y --refresh install PKG` against
 * that repository only. dnf exits 0 even when a scriptlet fails: check the service state too.
 */
export async function dnfInstallFromRepo(c: Container, repoUrl: string, pkg: string, opts: DnfRepoOptions = {}): Promise<RunResult> {
  const name = opts.name ?? 'mkpkg-verify';
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new MkpkgError('E_USAGE', `dnf repo id ${name} may only contain letters, digits, _ . -`);
  let gpg = 'gpgcheck=0\nrepo_gpgcheck=0\n';
  if (opts.keyFile) {
    const inside = `/etc/pki/rpm-gpg/RPM-GPG-KEY-${name}`;
    await c.writeFile(inside, await readFile(opts.keyFile));
    gpg = `gpgcheck=1\ngpgkey=file://${inside}\n`;
  }
  await c.writeFile(`/etc/yum.repos.d/${name}.repo`, `[${name}]\nname=${name}\nbaseurl=${repoUrl}\nenabled=1\n${gpg}metadata_expire=0\n`);
  return c.execOk(['dnf', '-y', '--refresh', '--releasever=1', `--repo=${name}`, opts.action ?? 'install', pkg]);
}

/** `dnf -y remove PKG`. */
export function dnfRemove(c: Container, pkg: string): Promise<RunResult> {
  return c.execOk(['dnf', '-y', '--releasever=1', '--disablerepo=*', 'remove', pkg]);
}
