/** The built CLI (`node bin/mkpkg.js`, built once per process), run as a user would: the one runner every test uses. */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { CLI, ensureBuilt } from './dist.js';

/** The SOURCE_DATE_EPOCH every CLI build in the tests uses (2023-11-14T22:13:20Z). */
export const SDE = '1700000000';

export interface CliResult { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Run `node bin/mkpkg.js ARGS` with SOURCE_DATE_EPOCH fixed; never throws on a non-zero exit. */
export function mkpkg(args: string[], opts: SpawnSyncOptions = {}): CliResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', maxBuffer: 64 << 20, ...opts,
    env: { ...process.env, SOURCE_DATE_EPOCH: SDE, NO_COLOR: '1', ...opts.env },
  });
  return { status: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Run mkpkg and require exit 0; returns stdout. */
export function mkpkgOk(args: string[], opts: SpawnSyncOptions = {}): string {
  const r = mkpkg(args, opts);
  assert.equal(r.status, 0, `mkpkg ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** One artifact of `--json` output. */
export interface JsonArtifact { format: 'deb' | 'rpm'; path: string; size: number; sha256: string; name: string; version: string; arch: string }

/** Build with `--json` and return the artifacts mkpkg reports. */
export function buildJson(args: string[], opts: SpawnSyncOptions = {}): JsonArtifact[] {
  return (JSON.parse(mkpkgOk([...args, '--json'], opts)) as { artifacts: JsonArtifact[] }).artifacts;
}

/** A CLI run in progress: the child (to signal it), its output so far, and its end. */
export interface RunningCli { child: ChildProcess; output(): { stdout: string; stderr: string }; done: Promise<CliResult> }

/** Start `node bin/mkpkg.js ARGS` (environment as {@link mkpkg}) without waiting for it. */
export function mkpkgStart(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunningCli {
  ensureBuilt();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, SOURCE_DATE_EPOCH: SDE, NO_COLOR: '1', ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
  const done = new Promise<CliResult>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Like {@link mkpkg} without blocking the event loop, for tests whose own servers (HTTP, TCP) must answer mkpkg. */
export function mkpkgAsync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return mkpkgStart(args, opts).done;
}
