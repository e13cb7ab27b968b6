/**
 * One SSH connection to a deploy target (the `ssh2` library, loaded on first use): host key
 * checked, public-key login, a bounded connect time; remote commands and SFTP uploads. Every
 * failure to connect is a coded error saying which of unreachable / host key / auth it was.
 */
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { MkpkgError } from '../../errors.js';
import { HostKeyCheck, loadKnownHosts, type HostKeyPolicy } from './host-keys.js';
import { authMethods, type SshAuthOptions } from './ssh-auth.js';
import type { DeployTarget } from './targets.js';

/** How to connect. */
export interface SshConnectOptions extends SshAuthOptions {
  hostKeys: HostKeyPolicy;
  /** TCP connect + SSH handshake + login must finish within this. */
  connectTimeoutMs: number;
  /** Told when a new host key was accepted and recorded. */
  onNewHostKey?: (file: string) => void;
}

/** The outcome of a remote command. */
export interface RemoteResult {
  /** Exit status; -1 when the command was killed or the connection dropped. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const MAX_OUTPUT = 1 << 20;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

type Ssh2 = typeof import('ssh2');
let ssh2: Promise<Ssh2> | undefined;
async function loadSsh2(): Promise<Ssh2> {
  ssh2 ??= import('ssh2').then((m) => ((m as { default?: Ssh2 }).default ?? m) as Ssh2);
  return ssh2;
}

/** An open SSH connection. Always {@link close} it. */
export class SshSession {
  private closed = false;

  /** @internal use {@link openSsh} */
  constructor(private readonly client: Client, readonly target: DeployTarget) {
    client.on('close', () => { this.closed = true; });
  }

  /** Run one command line (already quoted) through the remote login shell; never throws for a non-zero exit. */
  exec(command: string, timeoutMs: number): Promise<RemoteResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) { resolve({ code: -1, stdout: '', stderr: 'the SSH connection is closed', timedOut: false }); return; }
      this.client.exec(command, (err: Error | undefined, ch: ClientChannel) => {
        if (err) { reject(new MkpkgError('E_DEPLOY_REMOTE', `${this.target.label}: cannot start a remote command: ${err.message}`, { hint: 'the server refused a session channel (MaxSessions?)', cause: err })); return; }
        let out = '';
        let errText = '';
        let code: number | undefined;
        let timedOut = false;
        const add = (acc: string, b: Buffer) => (acc.length < MAX_OUTPUT ? acc + b.toString('utf8') : acc);
        ch.on('data', (b: Buffer) => { out = add(out, b); });
        ch.stderr.on('data', (b: Buffer) => { errText = add(errText, b); });
        ch.on('exit', (c: number | null) => { code = typeof c === 'number' ? c : -1; });
        const timer = setTimeout(() => { timedOut = true; ch.signal('KILL'); ch.close(); }, timeoutMs);
        ch.on('close', () => {
          clearTimeout(timer);
          if (code === undefined && !timedOut) errText += `${errText ? '\n' : ''}(the connection closed before the command exited)`;
          resolve({ code: timedOut ? -1 : code ?? -1, stdout: out, stderr: errText, timedOut });
        });
      });
    });
  }

  /** Copy a local file to `remotePath` (created with mode 0600) over SFTP; rejects with the SFTP error. */
  upload(localPath: string, remotePath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) { reject(err); return; }
        sftp.fastPut(localPath, remotePath, { mode: 0o600 }, (e) => {
          sftp.end();
          if (e) reject(e); else resolve();
        });
      });
    });
  }

  close(): void {
    if (!this.closed) this.client.end();
    this.closed = true;
  }
}

function connectError(target: DeployTarget, e: Error & { level?: string; code?: string }, timeoutMs: number): MkpkgError {
  const where = `${target.host}:${target.port}`;
  if (e.level === 'client-authentication') {
    return new MkpkgError('E_DEPLOY_AUTH', `${target.label}: the server refused the login as ${target.user} (public key${e.message ? `: ${e.message}` : ''})`, {
      hint: `put the public key of --identity in ~${target.user}/.ssh/authorized_keys on the host, or log in as another user (--user / user@host)`,
      details: { host: target.label },
    });
  }
  if (e.level === 'client-timeout') {
    return new MkpkgError('E_DEPLOY_UNREACHABLE', `${target.label}: no SSH handshake with ${where} within ${timeoutMs / 1000} s`, {
      hint: 'check the host name, the port and firewalls (does `ssh -p PORT HOST` answer?), or raise --connect-timeout', details: { host: target.label },
    });
  }
  const code = e.code ?? '';
  const why = UNREACHABLE_CODES.has(code) ? `${code}` : e.message;
  return new MkpkgError('E_DEPLOY_UNREACHABLE', `${target.label}: cannot connect to ${where} (${why})`, {
    hint: 'check the host name, the port (--port / host:port) and that sshd runs there', details: { host: target.label, code }, cause: e,
  });
}

/** Connect, check the host key and log in; the coded errors say which step failed. */
export async function openSsh(target: DeployTarget, opts: SshConnectOptions): Promise<SshSession> {
  const lib = await loadSsh2();
  const methods = await authMethods(target.user, opts, lib.utils.parseKey as (d: Buffer | string, p?: string) => unknown);
  const check = new HostKeyCheck(await loadKnownHosts(opts.hostKeys), target, opts.hostKeys);
  const client = new lib.Client();
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: opts.connectTimeoutMs,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    hostVerifier: (key: Buffer) => check.verify(key),
    authHandler: methods,
    algorithms: { serverHostKey: check.algorithms(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256']) as never },
  };
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(check.refusal() ?? connectError(target, e, opts.connectTimeoutMs));
    };
    client.once('ready', () => { if (!settled) { settled = true; resolve(); } });
    client.on('error', fail);
    client.once('close', () => fail(Object.assign(new Error('the server closed the connection during the handshake'), { level: 'client-socket' })));
    client.connect(config);
  });
  if (await check.recordIfNew()) opts.onNewHostKey?.(opts.hostKeys.recordIn);
  return new SshSession(client, target);
}
