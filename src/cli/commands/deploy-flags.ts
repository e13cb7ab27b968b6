/** The flags of `mkpkg deploy` (parsed at start-up; the deploy code is loaded only when it runs). */
import type { CommandArgs } from '../args/spec.js';

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

/** The arguments of `mkpkg deploy`. */
export const DEPLOY_ARGS: CommandArgs = {
  positionals: [{ name: 'pkgs', variadic: true, required: true, describe: '.deb and/or .rpm files (each host gets the ones of its family and architecture)' }],
  options: {
    host: { type: 'string[]', required: true, describe: '[user@]host[:port]; repeat for several hosts, upgraded in this order' },
    user: { type: 'string', describe: 'login name (default: your local user name)' },
    port: { type: 'number', describe: 'SSH port (default 22)' },
    identity: { alias: 'i', type: 'string', describe: 'private key file (passphrase: $MKPKG_SSH_PASSPHRASE); default: ssh-agent, ~/.ssh/id_*' },
    'known-hosts': { type: 'string', describe: 'known_hosts file (default: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts)' },
    'accept-new-host-key': { type: 'boolean', describe: 'trust and record the key of a host not in known_hosts (never a changed key)' },
    serial: { type: 'number', describe: 'hosts upgraded at a time (default 1)' },
    timeout: { type: 'number', describe: 'seconds for the services to be active, and for the health check to pass (default 60)' },
    settle: { type: 'number', describe: 'seconds the services must then stay up, same MainPID, no restart (default 3)' },
    'connect-timeout': { type: 'number', describe: 'seconds to connect and log in (default 15)' },
    'health-url': { type: 'string', describe: 'URL fetched on the host (curl/wget there) after the install; must answer 2xx' },
    'health-cmd': { type: 'string', describe: 'shell command run on the host after the install; must exit 0' },
    rollback: { type: 'boolean', describe: 'roll a failed host back to the version it had (--previous, else the copy the last deploy kept on the host)' },
    previous: { type: 'string[]', describe: 'package file(s) to reinstall on --rollback' },
    json: { type: 'boolean', describe: 'print the per-host result as JSON on stdout' },
    quiet: { alias: 'q', type: 'boolean', describe: 'print only errors' },
    verbose: { alias: 'v', type: 'boolean', describe: 'print progress and every remote command' },
  },
};
