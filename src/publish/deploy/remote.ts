/**
 * Remote command lines. The SSH server hands a command to the login shell as one string, so
 * every word is quoted by the project's one shell-quoting helper; privileged commands go through
 * `sudo -n` (never a password prompt) when the deploy user is not root.
 */
import { MkpkgError } from '../../errors.js';
import { shQuoteList } from '../../templates/shell.js';
import type { RemoteResult, SshSession } from './ssh.js';

/** Options of one remote command. */
export interface RemoteCommandOptions {
  /** Run as root (through `sudo -n` unless the user is root). */
  root?: boolean;
  /** Environment for the command (set with `env NAME=VALUE`, which works through sudo too). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The command line for `argv`: quoted words, `sudo -n --` first when `sudo`, then `env` when given. */
export function commandLine(argv: readonly string[], opts: { sudo?: boolean; env?: Record<string, string> } = {}): string {
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new MkpkgError('E_DEPLOY_INVALID', `remote environment name ${JSON.stringify(k)} is not valid`, { hint: 'use letters, digits and _' });
    return `${k}=${v}`;
  });
  const words = [...(opts.sudo ? ['sudo', '-n', '--'] : []), ...(env.length ? ['env', ...env] : []), ...argv];
  return shQuoteList(words);
}

/** A shell script with positional arguments, as one argv: `sh -c SCRIPT sh ARG…` (the script reads "$1"…). */
export function scriptArgv(script: string, args: readonly string[] = []): string[] {
  return ['sh', '-c', script, 'sh', ...args];
}

/** Commands on one deploy target. */
export class RemoteHost {
  /** Set once the probe knows whether the user is root. */
  useSudo = false;

  constructor(
    readonly session: SshSession,
    private readonly defaultTimeoutMs: number,
    /** Told about every command line sent (for --verbose). */
    private readonly onCommand?: (line: string) => void,
  ) {}

  get label(): string {
    return this.session.target.label;
  }

  /** Run `argv` on the host. */
  run(argv: readonly string[], opts: RemoteCommandOptions = {}): Promise<RemoteResult> {
    const line = commandLine(argv, { sudo: Boolean(opts.root) && this.useSudo, env: opts.env });
    this.onCommand?.(line);
    return this.session.exec(line, opts.timeoutMs ?? this.defaultTimeoutMs);
  }

  /** Run `argv` and throw `code` with its output unless it exits 0. */
  async runOk(argv: readonly string[], what: string, code: 'E_DEPLOY_REMOTE' | 'E_DEPLOY_INSTALL' | 'E_DEPLOY_ROLLBACK', opts: RemoteCommandOptions = {}): Promise<RemoteResult> {
    const r = await this.run(argv, opts);
    if (r.code !== 0) throw remoteFailure(this.label, what, r, code);
    return r;
  }
}

/** The last `max` characters of a command's output. */
export function outputTail(r: Pick<RemoteResult, 'stdout' | 'stderr'>, max = 1500): string {
  const t = [r.stdout.trim(), r.stderr.trim()].filter(Boolean).join('\n');
  return t.length <= max ? t : `…${t.slice(t.length - max)}`;
}

/** A coded error for a failed remote command, carrying its output. */
export function remoteFailure(host: string, what: string, r: RemoteResult, code: 'E_DEPLOY_REMOTE' | 'E_DEPLOY_INSTALL' | 'E_DEPLOY_ROLLBACK' | 'E_DEPLOY_HEALTH', hint?: string): MkpkgError {
  const status = r.timedOut ? 'timed out' : `exited ${r.code}`;
  const out = outputTail(r);
  return new MkpkgError(code, `${host}: ${what} ${status}${out ? `:\n${out}` : ''}`, {
    hint: hint ?? 'the output above is the host\'s; fix the cause there (or in the package) and deploy again',
    details: { host, exitCode: r.code, timedOut: r.timedOut, output: out },
  });
}
