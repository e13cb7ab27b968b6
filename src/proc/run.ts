/** Running a host command to completion and collecting its output; the child dies with mkpkg. */
import { MkpkgError, type ErrorCode } from '../errors.js';
import { spawnOwned } from './children.js';

/** The outcome of a finished command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command (SIGKILL) after this many milliseconds and reject. */
  timeoutMs?: number;
  /** The code of that rejection (default E_VERIFY_FAILED). */
  timeoutCode?: ErrorCode;
}

/** Run `cmd args…` without a shell and collect its output; rejects only on spawn failure or timeout. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnOwned(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs);
    }
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { if (timer) clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new MkpkgError(opts.timeoutCode ?? 'E_VERIFY_FAILED', `command timed out after ${opts.timeoutMs} ms: ${[cmd, ...args].join(' ')}`, {
          hint: 'the command hung; look at its output in details',
          details: { stdout: tail(stdout), stderr: tail(stderr) },
        }));
        return;
      }
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => { /* the command exited without reading its input */ });
    child.stdin.end(opts.input ?? '');
  });
}

/** The last `max` characters of `s`, trimmed. */
export function tail(s: string, max = 2000): string {
  const t = s.trim();
  return t.length <= max ? t : `…${t.slice(t.length - max)}`;
}
