/** The options of a deploy (CLI flags and `deploy({...})` alike), validated and resolved in one place. */
import { userInfo } from 'node:os';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import * as z from 'zod';
import { MkpkgError } from '../../errors.js';
import { parseOptions } from '../options.js';
import type { HealthCheck } from './health.js';
import { hostKeyPolicy, type HostKeyPolicy } from './host-keys.js';
import { parseTarget, type DeployTarget } from './targets.js';

const oneLine = (what: string) => z.string().min(1).refine((s) => !/[\r\n\0]/.test(s), `${what} must be one line`);

const healthUrl = oneLine('healthUrl').refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !/\s/.test(s);
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

/** The options, as written in `deploy({...})` (the CLI maps its flags onto the same names). */
export const deployOptionsSchema = z.object({
  /** `[user@]host[:port]`, in rollout order. */
  hosts: z.array(oneLine('a host')).min(1, 'give at least one host'),
  /** Login name (default: the local user name, as ssh). */
  user: oneLine('user').optional(),
  /** SSH port (default 22). */
  port: z.number().int().min(1).max(65535).optional(),
  /** Private key file; its passphrase from env MKPKG_SSH_PASSPHRASE. Default: ssh-agent and ~/.ssh/id_*. */
  identity: oneLine('identity').optional(),
  /** A known_hosts file to use instead of ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts. */
  knownHosts: oneLine('knownHosts').optional(),
  /** Trust (and record) the key of a host known_hosts has no entry for. Never a changed key. */
  acceptNewHostKey: z.boolean().optional(),
  /** Hosts upgraded at a time (default 1). */
  serial: z.number().int().min(1).optional(),
  /** Seconds for the services to become active, and again for the health check to pass (default 60). */
  timeout: z.number().positive().max(3600).optional(),
  /** Seconds the services must then stay up with the same MainPID and no restart (default 3). */
  settle: z.number().min(0).max(600).optional(),
  /** Seconds for TCP connect + SSH handshake + login (default 15). */
  connectTimeout: z.number().positive().max(600).optional(),
  /** Fetched on the host (curl or wget there) after the services run; must answer 2xx. */
  healthUrl: healthUrl.optional(),
  /** A shell command run on the host as the deploy user after the services run; must exit 0. */
  healthCmd: oneLine('healthCmd').optional(),
  /** Roll a failed host back to the version it had before. */
  rollback: z.boolean().optional(),
  /** Package files to reinstall on rollback (default: the copy the previous deploy kept on the host). */
  previous: z.array(oneLine('a previous package')).optional(),
}).strict();

/** `deploy({...})` options. */
export type DeployOptions = z.input<typeof deployOptionsSchema>;

/** Options resolved for a run. */
export interface ResolvedDeploy {
  targets: DeployTarget[];
  identity?: string;
  hostKeys: HostKeyPolicy;
  serial: number;
  timeoutMs: number;
  settleMs: number;
  connectTimeoutMs: number;
  check?: HealthCheck;
  rollback: boolean;
  previous: string[];
}

/** The local login name, ssh's default remote user. */
function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    const env = process.env.USER ?? process.env.LOGNAME;
    if (env) return env;
    throw new MkpkgError('E_DEPLOY_INVALID', 'deploy: no --user given and the local user has no name (no passwd entry, no $USER)', { hint: 'give --user NAME or user@host' });
  }
}

const HINT = 'see "mkpkg deploy --help" or the README (deploy options): hosts, user, port, identity, knownHosts, acceptNewHostKey, serial, timeout, settle, connectTimeout, healthUrl, healthCmd, rollback, previous';

/** Validate and resolve; relative paths are taken from `baseDir`. */
export function resolveDeployOptions(value: unknown, where: string, baseDir: string): ResolvedDeploy {
  const o = parseOptions(deployOptionsSchema, value, where, 'E_DEPLOY_INVALID', HINT);
  if (o.healthUrl && o.healthCmd) throw new MkpkgError('E_DEPLOY_INVALID', `${where}: give healthUrl or healthCmd, not both`, { hint: 'one health check per deploy; a command can fetch a URL too' });
  if (o.previous?.length && !o.rollback) throw new MkpkgError('E_DEPLOY_INVALID', `${where}: previous packages are given without rollback`, { hint: 'add --rollback (rollback: true): the previous packages are what a failed host is rolled back to' });
  const abs = (p: string) => (isAbsolute(p) ? p : resolvePath(baseDir, p));
  const user = o.user ?? localUser();
  const targets = o.hosts.map((h) => parseTarget(h, { user, port: o.port ?? 22 }));
  const dup = targets.find((t, i) => targets.findIndex((u) => u.host === t.host && u.port === t.port) !== i);
  if (dup) throw new MkpkgError('E_DEPLOY_INVALID', `${where}: host ${dup.host}:${dup.port} is listed twice`, { hint: 'list each host once' });
  return {
    targets,
    identity: o.identity ? abs(o.identity) : undefined,
    hostKeys: hostKeyPolicy({ knownHosts: o.knownHosts ? abs(o.knownHosts) : undefined, acceptNew: o.acceptNewHostKey }),
    serial: o.serial ?? 1,
    timeoutMs: (o.timeout ?? 60) * 1000,
    settleMs: (o.settle ?? 3) * 1000,
    connectTimeoutMs: (o.connectTimeout ?? 15) * 1000,
    check: o.healthUrl ? { url: o.healthUrl } : o.healthCmd ? { command: o.healthCmd } : undefined,
    rollback: Boolean(o.rollback),
    previous: (o.previous ?? []).map(abs),
  };
}
