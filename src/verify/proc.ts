/** Running host commands, for the verify harness. */
import { MkpkgError } from '../errors.js';
import { run, tail, type RunOptions, type RunResult } from '../proc/run.js';

export { run, tail, type RunOptions, type RunResult } from '../proc/run.js';

/** Run a command and throw E_VERIFY_FAILED (with its output) unless it exits 0. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new MkpkgError('E_VERIFY_FAILED', `${[cmd, ...args].join(' ')} exited ${r.code}: ${tail(r.stderr || r.stdout, 600)}`, {
      hint: 'see the command output above',
      details: { stdout: tail(r.stdout), stderr: tail(r.stderr) },
    });
  }
  return r;
}

/** Resolve after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
