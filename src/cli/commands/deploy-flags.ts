/** The flags of `mkpkg deploy` (parsed at start-up; the deploy code is loaded only when it runs). */
import type { Argv } from 'yargs';
import { last } from './last-value.js';

/** The flags of `mkpkg deploy`. */
export interface DeployFlags {
  pkgs: string[];
  host: string[];
  user?: string;
  port?: number;
  identity?: string;
  'known-hosts'?: string;
  'accept-new-host-key'?: boolean;
  serial?: number;
  timeout?: number;
  settle?: number;
  'connect-timeout'?: number;
  'health-url'?: string;
  'health-cmd'?: string;
  rollback?: boolean;
  previous?: string[];
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function deployFlags<T>(y: Argv<T>) {
  return y
    .positional('pkgs', { type: 'string', array: true, demandOption: true, describe: '.deb and/or .rpm files (each host gets the ones of its family and architecture)' })
    .option('host', { type: 'string', array: true, demandOption: true, describe: '[user@]host[:port]; repeat for several hosts, upgraded in this order' })
    .option('user', { type: 'string', coerce: last, describe: 'login name (default: your local user name)' })
    .option('port', { type: 'number', coerce: last, describe: 'SSH port (default 22)' })
    .option('identity', { alias: 'i', type: 'string', coerce: last, describe: 'private key file (passphrase: $MKPKG_SSH_PASSPHRASE); default: ssh-agent, ~/.ssh/id_*' })
    .option('known-hosts', { type: 'string', coerce: last, describe: 'known_hosts file (default: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts)' })
    .option('accept-new-host-key', { type: 'boolean', describe: 'trust and record the key of a host not in known_hosts (never a changed key)' })
    .option('serial', { type: 'number', coerce: last, describe: 'hosts upgraded at a time (default 1)' })
    .option('timeout', { type: 'number', coerce: last, describe: 'seconds for the services to be active, and for the health check to pass (default 60)' })
    .option('settle', { type: 'number', coerce: last, describe: 'seconds the services must then stay up, same MainPID, no restart (default 3)' })
    .option('connect-timeout', { type: 'number', coerce: last, describe: 'seconds to connect and log in (default 15)' })
    .option('health-url', { type: 'string', coerce: last, describe: 'URL fetched on the host (curl/wget there) after the install; must answer 2xx' })
    .option('health-cmd', { type: 'string', coerce: last, describe: 'shell command run on the host after the install; must exit 0' })
    .option('rollback', { type: 'boolean', describe: 'roll a failed host back to the version it had (--previous, else the copy the last deploy kept on the host)' })
    .option('previous', { type: 'string', array: true, describe: 'package file(s) to reinstall on --rollback' })
    .option('json', { type: 'boolean', describe: 'print the per-host result as JSON on stdout' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'print only errors' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'print progress and every remote command' });
}
