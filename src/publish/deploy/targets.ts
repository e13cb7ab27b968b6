/** Deploy targets: `[user@]host[:port]` (IPv6 as `[addr]:port`), validated before anything connects. */
import { MkpkgError } from '../../errors.js';

/** One host to deploy to. */
export interface DeployTarget {
  host: string;
  port: number;
  user: string;
  /** How it is shown in messages and results: `user@host:port`. */
  label: string;
}

const HOST = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?$/;
const USER = /^[A-Za-z_][A-Za-z0-9._-]*\$?$/;

function invalid(spec: string, why: string, hint: string): MkpkgError {
  return new MkpkgError('E_DEPLOY_INVALID', `deploy host ${JSON.stringify(spec)}: ${why}`, { hint, details: { host: spec } });
}

/** Check a port number (CLI `--port`, `deploy({ port })`). */
function checkPort(port: number, where: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MkpkgError('E_DEPLOY_INVALID', `${where}: ${JSON.stringify(port)} is not a TCP port`, { hint: 'give a port from 1 to 65535 (ssh: 22)', details: { [where]: port } });
  }
  return port;
}

/** Check a login name. */
function checkUser(user: string, where: string): string {
  if (!USER.test(user)) {
    throw new MkpkgError('E_DEPLOY_INVALID', `${where}: ${JSON.stringify(user)} is not a valid login name`, { hint: 'use letters, digits, ".", "_" and "-", starting with a letter or "_"', details: { [where]: user } });
  }
  return user;
}

/** Parse `[user@]host[:port]` with the defaults for user and port. */
export function parseTarget(spec: string, defaults: { user: string; port: number }): DeployTarget {
  let rest = spec.trim();
  let user = defaults.user;
  let port = defaults.port;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER.test(user)) throw invalid(spec, `${JSON.stringify(user)} is not a valid login name`, 'write [user@]host[:port], e.g. deploy@web1.example:2222');
  }
  let host: string;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    if (!IPV6.test(host)) throw invalid(spec, `${JSON.stringify(host)} is not an IPv6 address`, 'brackets are for IPv6 addresses: [2001:db8::1]:22');
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
    if (!m) throw invalid(spec, 'is not host or host:port', 'write [user@]host[:port]; an IPv6 address goes in brackets: [2001:db8::1]:22');
    host = m[1]!;
    if (m[2] !== undefined) port = Number(m[2]);
    if (!HOST.test(host)) throw invalid(spec, `${JSON.stringify(host)} is not a host name or address`, 'use a DNS name or an IP address (letters, digits, ".", "-")');
  }
  checkPort(port, `port of ${spec}`);
  checkUser(user, `user of ${spec}`);
  const shown = host.includes(':') ? `[${host}]` : host;
  return { host, port, user, label: `${user}@${shown}${port === 22 ? '' : `:${port}`}` };
}
