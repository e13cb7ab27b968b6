/** System users and groups: the declared ones plus the dedicated user services run as by default. */
import { MkpkgError, type Warning } from '../errors.js';
import type { GroupSpec, ServiceSpec, UserSpec } from '../config/schema.js';
import type { ResolvedGroup, ResolvedUser } from './types.js';

const NAME = /^[a-z_][a-z0-9_-]{0,30}\$?$/;

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) {
    throw new MkpkgError('E_CONFIG_INVALID', `${where}: ${JSON.stringify(name)} is not a valid system user/group name`, {
      hint: 'use lowercase letters, digits, "_" and "-", starting with a letter or "_", at most 32 characters (adduser and useradd reject others)',
      details: { path: where, value: name },
    });
  }
}

function checkAbsolute(value: string, where: string): void {
  if (!value.startsWith('/') || /[\x00-\x1f]/.test(value)) {
    throw new MkpkgError('E_CONFIG_INVALID', `${where}: ${JSON.stringify(value)} is not an absolute path`, {
      hint: 'give an absolute path such as /var/lib/myapp',
      details: { path: where, value },
    });
  }
}

/** The dedicated user name for a package: the package name made acceptable to adduser/useradd. */
export function defaultServiceUser(packageName: string): string {
  let n = packageName.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  if (!/^[a-z_]/.test(n)) n = `_${n}`;
  return n.slice(0, 32);
}

/** `DynamicUser=` values systemd reads as true. */
const YES = /^(1|yes|y|true|t|on)$/i;

/**
 * The user a service's own unit directives name (`service: { User }`, or `User=` of its `unitFile`
 * as the caller read it into `service`), and whether they ask systemd for a dynamic user.
 */
function unitRunAs(s: ServiceSpec): { user?: string; dynamic: boolean } {
  const d = s.service ?? {};
  const named = d.User?.trim();
  return { user: named ? named : undefined, dynamic: YES.test(d.DynamicUser?.trim() ?? '') };
}

/** The accounts a package creates, and the user/group each service runs as. */
export interface Accounts {
  users: ResolvedUser[];
  groups: ResolvedGroup[];
  /** Per service (same order as the input): the user and group it runs as. */
  runAs: { user: string; group: string }[];
  warnings: Warning[];
}

/**
 * Resolve users and groups. A service without `user` runs as a dedicated system user named after
 * the package (created automatically, home = the service's state directory) unless its unit
 * directives name another user (`User=`) or ask for `DynamicUser=yes` (systemd allocates that user
 * at start; nothing is created); `user: 'root'` and declared users are taken as they are; any
 * other name is assumed to exist (with a warning).
 */
export function resolveAccounts(
  packageName: string,
  services: readonly ServiceSpec[],
  users: readonly UserSpec[],
  groups: readonly GroupSpec[],
): Accounts {
  const warnings: Warning[] = [];
  const outUsers: ResolvedUser[] = [];
  const byName = new Map<string, ResolvedUser>();
  users.forEach((u, i) => {
    checkName(u.name, `users[${i}].name`);
    if (u.group !== undefined) checkName(u.group, `users[${i}].group`);
    if (u.home !== undefined) checkAbsolute(u.home, `users[${i}].home`);
    if (u.shell !== undefined) checkAbsolute(u.shell, `users[${i}].shell`);
    if (u.comment !== undefined && /[\x00-\x1f:]/.test(u.comment)) {
      throw new MkpkgError('E_CONFIG_INVALID', `users[${i}].comment: ${JSON.stringify(u.comment)} contains ":" or a control character`, {
        hint: 'the comment (GECOS) field cannot contain ":" or newlines',
      });
    }
    if (byName.has(u.name)) throw new MkpkgError('E_CONFIG_INVALID', `users[${i}].name: user ${JSON.stringify(u.name)} is declared twice`, { hint: 'declare each user once' });
    const r: ResolvedUser = { name: u.name, group: u.group ?? u.name, home: u.home ?? '/nonexistent', shell: u.shell, comment: u.comment, uid: u.uid };
    byName.set(u.name, r);
    outUsers.push(r);
  });

  const auto = defaultServiceUser(packageName);
  const runAs = services.map((s, i) => {
    if (s.user !== undefined && s.user !== 'root') checkName(s.user, `services[${i}].user`);
    if (s.group !== undefined && s.group !== 'root') checkName(s.group, `services[${i}].group`);
    const unit = unitRunAs(s);
    if (s.user === undefined && unit.user !== undefined && unit.user !== 'root') checkName(unit.user, `services[${i}].service.User`);
    const named = s.user ?? unit.user;
    const user = named ?? auto;
    if (user === 'root') return { user, group: s.group ?? 'root' };
    let declared = byName.get(user);
    if (!declared && unit.dynamic) return { user, group: s.group ?? user };
    if (!declared && named === undefined) {
      const state = s.stateDirectory === false ? undefined : (s.stateDirectory ?? s.name).split(/\s+/)[0];
      declared = { name: user, group: user, home: state ? `/var/lib/${state}` : '/nonexistent', comment: `${packageName} service` };
      byName.set(user, declared);
      outUsers.push(declared);
      if (user !== packageName) {
        warnings.push({ code: 'W_SERVICE_USER_NAME', message: `service ${s.name} runs as system user ${JSON.stringify(user)} (the package name ${JSON.stringify(packageName)} is not a valid user name)` });
      }
    }
    if (!declared) {
      warnings.push({
        code: 'W_SERVICE_USER_UNDECLARED',
        message: `services[${i}] (${s.name}) runs as user ${JSON.stringify(user)}, which the package does not create; declare it under users to have it created`,
      });
    }
    return { user, group: s.group ?? declared?.group ?? user };
  });

  const outGroups: ResolvedGroup[] = [];
  const seen = new Set<string>();
  groups.forEach((g, i) => {
    checkName(g.name, `groups[${i}].name`);
    if (seen.has(g.name)) throw new MkpkgError('E_CONFIG_INVALID', `groups[${i}].name: group ${JSON.stringify(g.name)} is declared twice`, { hint: 'declare each group once' });
    seen.add(g.name);
    outGroups.push({ name: g.name, gid: g.gid });
  });
  for (const u of outUsers) {
    if (!seen.has(u.group)) {
      seen.add(u.group);
      outGroups.push({ name: u.group });
    }
  }
  runAs.forEach((r, i) => {
    if (r.group !== 'root' && !seen.has(r.group) && services[i].group !== undefined) {
      warnings.push({ code: 'W_SERVICE_GROUP_UNDECLARED', message: `services[${i}] (${services[i].name}) runs with group ${JSON.stringify(r.group)}, which the package does not create; declare it under groups` });
    }
  });
  return { users: outUsers, groups: outGroups, runAs, warnings };
}
