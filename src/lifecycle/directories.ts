/**
 * The directories systemd creates for a service and hands to its user (StateDirectory=,
 * LogsDirectory=, CacheDirectory=, RuntimeDirectory=). systemd removes a RuntimeDirectory when the
 * service stops and the .deb purge removes the state, log and cache directories, so each must be a
 * directory this package owns: one path component under its base, named after the package or one of
 * its services (or shipped by the package itself), and never a directory of the system or of a
 * package manager. Checked at build time; the purge also leaves a directory another package owns.
 */
import { invalidValue } from '../errors.js';
import type { OwnedPath, ResolvedService } from './types.js';

/** The base directory of each kind of service directory. */
export const SERVICE_DIR_BASES = {
  stateDirectory: '/var/lib',
  logsDirectory: '/var/log',
  cacheDirectory: '/var/cache',
  runtimeDirectory: '/run',
} as const;

/** A config key naming service directories. */
export type ServiceDirKey = keyof typeof SERVICE_DIR_BASES;

/**
 * Names under /var/lib, /var/log, /var/cache or /run that belong to the system, systemd or a package
 * manager (compared case-insensitively). The ownership rule below keeps out most other packages'
 * directories; this list also stops a service named like one of these from claiming it by default.
 */
const SYSTEM_NAMES = new Set([
  'apt', 'aptitude', 'dpkg', 'ucf', 'rpm', 'rpm-state', 'dnf', 'yum', 'packagekit', 'snapd', 'flatpak',
  'systemd', 'journal', 'private', 'machines', 'portables', 'credentials', 'userdb', 'coredump',
  'dbus', 'polkit-1', 'sudo', 'pam', 'misc', 'lock', 'shm', 'user', 'users', 'udev', 'mount', 'log',
  'lib', 'cache', 'tmp', 'run', 'spool', 'mail', 'local', 'opt', 'initramfs', 'sysstat', 'installer',
  'lastlog', 'wtmp', 'btmp', 'faillog', 'audit', 'selinux', 'cloud', 'containers', 'docker', 'lxc', 'lxd',
  'libvirt', 'networkmanager', 'dhcp', 'cron', 'logrotate', 'man-db', 'ldconfig', 'sshd', 'utmp',
]);

const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;

/** Who may own a service directory: the package, its service, and what the plan ships. */
export interface DirectoryOwner {
  pkg: string;
  service: string;
  /** Whether the plan ships a path as a directory (true), as something else (false), or not at all. */
  shipped: Pick<ReadonlyMap<string, boolean>, 'get'>;
}

/** True when `name` is `base` or starts with `base` followed by one of `-._@+`. */
function namedAfter(name: string, base: string): boolean {
  return name === base || (name.startsWith(base) && /^[-._@+]/.test(name.slice(base.length)));
}

/**
 * The validated directory names of one `services[i].<key>` value (space-separated names, `false`
 * for none, default `fallback`). Throws E_SERVICE_INVALID naming the field and the value.
 */
export function serviceDirNames(key: ServiceDirKey, value: string | false | undefined, fallback: string | undefined, where: string, owner: DirectoryOwner): string[] {
  if (value === false || (value === undefined && fallback === undefined)) return [];
  const base = SERVICE_DIR_BASES[key];
  const field = `${where}.${key}`;
  const raw = value ?? fallback!;
  const names = raw.split(/[ \t]+/);
  if (raw.trim() === '') throw invalidValue('E_SERVICE_INVALID', field, raw, 'is empty', `give a directory name such as "${owner.service}", or false for none`);
  for (const name of names.filter(Boolean)) {
    const path = `${base}/${name}`;
    if (name === '.' || name === '..' || !COMPONENT.test(name)) {
      throw invalidValue('E_SERVICE_INVALID', field, name, `is not a single directory name under ${base} (letters, digits, "._@+-", no "/", not "." or "..")`, `give one name such as "${owner.service}": systemd creates ${base}/${owner.service} for the service`);
    }
    if (SYSTEM_NAMES.has(name.toLowerCase())) {
      throw invalidValue('E_SERVICE_INVALID', field, name, `names ${path}, a directory of the system or a package manager, which ${key === 'runtimeDirectory' ? 'systemd removes when the service stops' : 'purging the package would delete'}`, `name the directory after the package or the service, e.g. "${owner.pkg}"`);
    }
    const shipped = owner.shipped.get(path);
    if (shipped === false) {
      throw invalidValue('E_SERVICE_INVALID', field, name, `names ${path}, which the package ships as a file or symlink, not a directory`, 'give the service a directory of its own');
    }
    if (shipped === undefined && !namedAfter(name, owner.pkg) && !namedAfter(name, owner.service)) {
      throw invalidValue('E_SERVICE_INVALID', field, name, `is not named after the package ${JSON.stringify(owner.pkg)} or the service ${JSON.stringify(owner.service)}, so ${path} may belong to something else, and ${key === 'runtimeDirectory' ? 'systemd removes it when the service stops' : 'purging the package would delete it'}`, `use "${owner.pkg}" or a name starting with "${owner.pkg}-", or ship ${path} as a directory under contents`);
    }
  }
  return names.filter(Boolean);
}

/** The directories systemd creates for a service and gives to its user (names under their bases). */
export interface ServiceDirs {
  stateDirectories: readonly string[];
  logsDirectories: readonly string[];
  cacheDirectories: readonly string[];
  runtimeDirectories: readonly string[];
}

/** The absolute paths of a service's directories. */
export function serviceDirPaths(s: ServiceDirs): string[] {
  return [
    ...s.runtimeDirectories.map((d) => `/run/${d}`),
    ...s.stateDirectories.map((d) => `/var/lib/${d}`),
    ...s.logsDirectories.map((d) => `/var/log/${d}`),
    ...s.cacheDirectories.map((d) => `/var/cache/${d}`),
  ];
}

/** The directory of `dirs` that holds `path` (strictly below it), if any. */
export function dirHolding(path: string, dirs: readonly string[]): string | undefined {
  return dirs.find((d) => path.startsWith(`${d}/`));
}

/**
 * Directories a user other than root can write: the directories of every service that does not
 * run as root, and directories of the plan owned by another user or writable by a group other than
 * root. Root must not write, chown or source files below them (see checkEnvironmentFiles and the
 * runtime templates).
 */
export function userWritableDirs(services: readonly ResolvedService[], ownedPaths: readonly OwnedPath[]): string[] {
  const out = services.filter((s) => s.user !== 'root').flatMap(serviceDirPaths);
  for (const p of ownedPaths) {
    if (p.kind === 'dir' && (p.owner !== 'root' || (p.group !== 'root' && (p.mode & 0o020) !== 0) || (p.mode & 0o002) !== 0)) out.push(p.path);
  }
  return [...new Set(out)].sort();
}

/**
 * An EnvironmentFile is read by systemd and sourced by the upgrade hooks, both as root: it must not
 * lie in a directory a user can write (that user could plant variables, or shell code, for root).
 */
export function checkEnvironmentFiles(services: readonly ResolvedService[], userDirs: readonly string[]): void {
  services.forEach((s, i) => {
    const dir = s.environmentFile === undefined ? undefined : dirHolding(s.environmentFile, userDirs);
    if (dir !== undefined) {
      throw invalidValue('E_SERVICE_INVALID', `services[${i}].environmentFile`, s.environmentFile, `lies in ${dir}, which a user other than root can write; root reads this file (systemd, and the upgrade hooks source it)`, `keep the environment file in a directory only root can write, e.g. /etc/default/${s.name}`);
    }
  });
}
