/**
 * The four ways a package reaches the container: dpkg, apt from a served repository, rpm, and dnf
 * from a served yum repository. A flow talks to a {@link Driver}, so the same scenario runs
 * through every package manager.
 */
import { join } from 'node:path';
import {
  aptInstallFromRepo, copyPackageIn, dnfInstallFromRepo, dnfRemove, serveDirectory,
  type Container, type RunResult, type ServedDirectory,
} from '../../../src/verify/index.js';
import { VERSIONS, type Packages, type Version } from './packages.js';
import { makeFlatAptRepo, makeYumRepo } from './repos.js';

const DEB_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const APT_LIST = '/etc/apt/sources.list.d/mkpkg-e2e.list';
const APT_ONLY = ['-o', `Dir::Etc::SourceList=${APT_LIST}`, '-o', 'Dir::Etc::SourceParts=-'];
const DNF = ['dnf', '-y', '--releasever=1', '--repo=mkpkg-e2e'];

/** One package manager, driving the hello-service package. */
export interface Driver {
  /** deb-dpkg, deb-apt, rpm-rpm, rpm-dnf. */
  label: string;
  kind: 'deb' | 'rpm';
  /** How an upgrade / downgrade is done, for test names. */
  upgradeHow: string;
  downgradeHow: string;
  removeHow: string;
  /** Start serving repositories (before the container boots). */
  setup(pkgs: Packages): Promise<void>;
  teardown(): Promise<void>;
  install(c: Container, v: Version): Promise<RunResult>;
  upgrade(c: Container, v: Version): Promise<RunResult>;
  downgrade(c: Container, v: Version): Promise<RunResult>;
  remove(c: Container): Promise<RunResult>;
  /** Debian only. */
  purge?(c: Container): Promise<RunResult>;
}

async function ok(c: Container, argv: string[], env?: Record<string, string>): Promise<RunResult> {
  return c.execOk(argv, { env });
}

/** `dpkg -i` / `dpkg -r` / `dpkg -P`. */
export function dpkgDriver(): Driver {
  let pkgs!: Packages;
  const dpkgI = async (c: Container, v: Version) => ok(c, ['dpkg', '-i', await copyPackageIn(c, pkgs.hello[v].deb)], DEB_ENV);
  return {
    label: 'deb-dpkg', kind: 'deb', upgradeHow: 'dpkg -i NEW', downgradeHow: 'dpkg -i OLDER', removeHow: 'dpkg -r',
    setup: async (p) => { pkgs = p; },
    teardown: async () => undefined,
    install: dpkgI, upgrade: dpkgI, downgrade: dpkgI,
    remove: (c) => ok(c, ['dpkg', '-r', 'hello-service'], DEB_ENV),
    purge: (c) => ok(c, ['dpkg', '-P', 'hello-service'], DEB_ENV),
  };
}

/** apt-get from a flat repository holding every version, served on 127.0.0.1. */
export function aptDriver(): Driver {
  let served: ServedDirectory | undefined;
  const ver = (v: Version) => `hello-service=${v}-1`;
  const apt = (c: Container, ...args: string[]) => ok(c, ['apt-get', ...APT_ONLY, ...args], DEB_ENV);
  return {
    label: 'deb-apt', kind: 'deb', upgradeHow: 'apt-get install pkg=NEW', downgradeHow: 'apt-get install --allow-downgrades pkg=OLDER', removeHow: 'apt-get remove',
    async setup(p) {
      const dir = makeFlatAptRepo(join(p.dir, 'apt-repo'), VERSIONS.map((v) => p.hello[v].deb));
      served = await serveDirectory(dir);
    },
    async teardown() { await served?.close(); },
    // Writes the source (flat repository, [trusted=yes]), runs `apt-get update --error-on=any`, installs.
    install: (c, v) => aptInstallFromRepo(c, `${served!.url}/`, './', '', ver(v), { name: 'mkpkg-e2e' }),
    upgrade: (c, v) => apt(c, 'install', '-y', ver(v)),
    downgrade: (c, v) => apt(c, 'install', '-y', '--allow-downgrades', ver(v)),
    remove: (c) => apt(c, 'remove', '-y', 'hello-service'),
    purge: (c) => apt(c, 'purge', '-y', 'hello-service'),
  };
}

/**
 * `rpm -i` / `rpm -U` / `rpm -U --oldpackage` / `rpm -e`, all with --nodeps: the Debian container's
 * rpm database is empty, so nothing in it provides /bin/sh, nodejs, useradd, … although the files
 * are there. (The dnf flow resolves dependencies for real, against a stub package.)
 */
export function rpmDriver(): Driver {
  let pkgs!: Packages;
  const rpm = async (c: Container, flags: string[], v: Version) => ok(c, ['rpm', ...flags, '--nodeps', await copyPackageIn(c, pkgs.hello[v].rpm)]);
  return {
    label: 'rpm-rpm', kind: 'rpm', upgradeHow: 'rpm -U NEW', downgradeHow: 'rpm -U --oldpackage OLDER', removeHow: 'rpm -e',
    setup: async (p) => { pkgs = p; },
    teardown: async () => undefined,
    install: (c, v) => rpm(c, ['-i'], v),
    upgrade: (c, v) => rpm(c, ['-U'], v),
    downgrade: (c, v) => rpm(c, ['-U', '--oldpackage'], v),
    remove: (c) => ok(c, ['rpm', '-e', '--nodeps', 'hello-service']),
  };
}

/** dnf from a createrepo_c repository with every version plus the dependency stub. */
export function dnfDriver(): Driver {
  let served: ServedDirectory | undefined;
  const nv = (v: Version) => `hello-service-${v}`;
  return {
    label: 'rpm-dnf', kind: 'rpm', upgradeHow: 'dnf upgrade pkg-NEW', downgradeHow: 'dnf downgrade pkg-OLDER', removeHow: 'dnf remove',
    async setup(p) {
      const dir = makeYumRepo(join(p.dir, 'yum-repo'), [...VERSIONS.map((v) => p.hello[v].rpm), p.depsStub]);
      served = await serveDirectory(dir);
    },
    async teardown() { await served?.close(); },
    // Writes /etc/yum.repos.d/mkpkg-e2e.repo (gpgcheck=0) and runs `dnf --refresh install`.
    install: (c, v) => dnfInstallFromRepo(c, `${served!.url}/`, nv(v), { name: 'mkpkg-e2e' }),
    upgrade: (c, v) => ok(c, [...DNF, 'upgrade', nv(v)]),
    downgrade: (c, v) => ok(c, [...DNF, 'downgrade', nv(v)]),
    remove: (c) => dnfRemove(c, 'hello-service'),
  };
}
