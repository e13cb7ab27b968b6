/**
 * A booted systemd in a container: systemd-nspawn on an overlay of the cached rootfs, so every
 * container starts pristine and leaves nothing behind. Commands run inside through nsenter.
 */
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, mkdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MkpkgError } from '../errors.js';
import { spawnOwned } from '../proc/children.js';
import { onExitCleanup } from '../proc/exit.js';
import { assertVerifyHost } from './host.js';
import { removeTreeSync, unmountAllSync } from './mounts.js';
import { run, runOk, sleep, tail, type RunResult } from './proc.js';
import { httpGetInside } from './http-get.js';
import { childNamed, waitGoneSync } from '../proc/procfs.js';

/** Options for {@link bootContainer}. */
export interface BootOptions {
  /** A complete root filesystem (from `ensureRootfs`); it is only ever the read-only lower layer. */
  rootfs: string;
  /** A prefix for the machine name; a unique suffix is added. Default `mkpkg`. */
  name?: string;
  /** The container's hostname (default: the machine name). */
  hostname?: string;
  /** How long to wait for `systemctl is-system-running` to settle. Default 90 s. */
  bootTimeoutMs?: number;
}

/** Options for {@link Container.exec}. */
export interface ExecOptions {
  input?: string;
  env?: Record<string, string>;
  /** Default 300 s. */
  timeoutMs?: number;
}

/** The state of a systemd unit, as systemctl reports it. */
export interface UnitState {
  /** `systemctl is-active`: active, inactive, failed, activating, … */
  active: string;
  /** `systemctl is-enabled`: enabled, disabled, static, not-found, … */
  enabled: string;
  /** `systemctl show -p MainPID` (0 when not running). */
  mainPid: number;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
let counter = 0;

/** A running container. Always call {@link Container.stop} (it is also done on process exit). */
export class Container {
  private stopped = false;
  private readonly unregister: () => void;

  /** @internal use {@link bootContainer} */
  constructor(
    /** The machine name (unique per boot). */
    readonly name: string,
    /** The pid of the container's systemd (PID 1 inside), on the host. */
    readonly leader: number,
    private readonly nspawn: ChildProcess,
    /** The host scratch dir holding the overlay (upper, work, merged) and nspawn.log. */
    readonly workDir: string,
  ) {
    this.unregister = onExitCleanup(() => this.killSync());
  }

  /** The container's root as seen from the host (its mount namespace, through /proc). */
  get root(): string {
    return `/proc/${this.leader}/root`;
  }

  /** The nspawn log (boot messages), for error reports. */
  log(): string {
    return readLog(this.workDir);
  }

  /** Run `argv` inside the container with a clean environment (PATH, LANG=C.UTF-8, HOME=/root + `env`). */
  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<RunResult> {
    const env = Object.entries({ PATH, LANG: 'C.UTF-8', HOME: '/root', ...opts.env }).map(([k, v]) => `${k}=${v}`);
    const args = ['-t', String(this.leader), '-m', '-u', '-i', '-n', '-p', '-C', '-r', '-w', 'env', '-i', ...env, ...argv];
    return run('nsenter', args, { input: opts.input, timeoutMs: opts.timeoutMs ?? 300_000 });
  }

  /** Like {@link exec} but throws E_VERIFY_FAILED (with the output) on a non-zero exit. */
  async execOk(argv: readonly string[], opts: ExecOptions = {}): Promise<RunResult> {
    const r = await this.exec(argv, opts);
    if (r.code !== 0) {
      throw new MkpkgError('E_VERIFY_FAILED', `in container ${this.name}: ${argv.join(' ')} exited ${r.code}: ${tail(r.stderr || r.stdout, 800)}`, {
        hint: 'the command failed inside the container; see its output in details',
        details: { stdout: tail(r.stdout), stderr: tail(r.stderr) },
      });
    }
    return r;
  }

  /** Run a shell script with `/bin/sh -c` inside the container. */
  sh(script: string, opts: ExecOptions = {}): Promise<RunResult> {
    return this.exec(['/bin/sh', '-c', script], opts);
  }

  /** Copy a host file into the container (parents created, mode kept). */
  async copyIn(hostPath: string, containerPath: string): Promise<void> {
    const dst = this.hostPathOf(containerPath);
    await mkdir(dirname(dst), { recursive: true });
    await copyFile(hostPath, dst);
  }

  /** Write a file inside the container. */
  async writeFile(containerPath: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
    const dst = this.hostPathOf(containerPath);
    await mkdir(dirname(dst), { recursive: true });
    await writeFile(dst, data, { mode });
  }

  /** Read a text file from inside the container. */
  readFile(containerPath: string): Promise<string> {
    return readFile(this.hostPathOf(containerPath), 'utf8');
  }

  /** `systemctl is-active` / `is-enabled` / `show -p MainPID` of one unit. */
  async unitState(unit: string): Promise<UnitState> {
    const [a, e, p] = await Promise.all([
      this.exec(['systemctl', 'is-active', unit]),
      this.exec(['systemctl', 'is-enabled', unit]),
      this.exec(['systemctl', 'show', '-p', 'MainPID', '--value', unit]),
    ]);
    return { active: a.stdout.trim() || 'unknown', enabled: e.stdout.trim() || 'not-found', mainPid: Number(p.stdout.trim()) || 0 };
  }

  /** Poll `pred` until it is true (→ true) or `timeoutMs` passes (→ false). */
  async waitFor(pred: () => boolean | Promise<boolean>, timeoutMs = 15_000, intervalMs = 200): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await pred()) return true;
      if (Date.now() >= deadline) return false;
      await sleep(intervalMs);
    }
  }

  /** GET http://127.0.0.1:PORT/PATH from inside the container; returns the body, throws on failure. */
  httpGet(port: number, path = '/'): Promise<string> {
    return httpGetInside(this, port, path);
  }

  /** Power the container off, wait for it, unmount the overlay and remove the scratch dirs. Idempotent. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (this.running()) {
        await this.exec(['systemctl', 'poweroff'], { timeoutMs: 5_000 }).catch(() => undefined);
        const deadline = Date.now() + timeoutMs;
        while (this.running() && Date.now() < deadline) await sleep(100);
      }
    } finally {
      this.killSync();
      this.unregister();
    }
  }

  private running(): boolean {
    return this.nspawn.exitCode === null && this.nspawn.signalCode === null;
  }

  private hostPathOf(containerPath: string): string {
    if (!containerPath.startsWith('/')) throw new MkpkgError('E_USAGE', `container path must be absolute: ${containerPath}`);
    return `${this.root}${containerPath}`;
  }

  /** Kill whatever is left and remove the overlay; synchronous so it can run at process exit. */
  private killSync(): void {
    this.stopped = true;
    if (this.running()) {
      for (const pid of [this.leader, -(this.nspawn.pid ?? 0)]) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      waitGoneSync([this.leader, this.nspawn.pid ?? 0], 5_000);
    }
    unmountAllSync(join(this.workDir, 'merged'));
    removeTreeSync(this.workDir);
  }
}

/** Boot a container from `rootfs` and wait until systemd reports running (or degraded). */
export async function bootContainer(opts: BootOptions): Promise<Container> {
  assertVerifyHost();
  if (/[,:]/.test(opts.rootfs)) {
    throw new MkpkgError('E_VERIFY_UNAVAILABLE', `the rootfs path ${opts.rootfs} contains ',' or ':', which overlayfs cannot take as a lower directory`, {
      hint: 'set MKPKG_CACHE_DIR to a path without commas or colons',
    });
  }
  const name = `${(opts.name ?? 'mkpkg').toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-${process.pid}-${++counter}`;
  const workDir = mkdtempSync(join(tmpdir(), 'mkpkg-ct-'));
  const merged = join(workDir, 'merged');
  for (const d of ['upper', 'work', 'merged']) mkdirSync(join(workDir, d));
  const removeEarly = onExitCleanup(() => { unmountAllSync(merged); removeTreeSync(workDir); });
  let nspawn: ChildProcess | undefined;
  try {
    await runOk('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${opts.rootfs},upperdir=${join(workDir, 'upper')},workdir=${join(workDir, 'work')}`, merged]);
    const logFd = openSync(join(workDir, 'nspawn.log'), 'a');
    const args = ['-q', '-D', merged, '-b', `--machine=${name}`, '--register=no', '--keep-unit', '--console=passive'];
    if (opts.hostname) args.push(`--hostname=${opts.hostname}`);
    nspawn = spawnOwned('systemd-nspawn', args, { detached: true, stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    nspawn.unref();
    const child = nspawn;
    const leader = await waitForLeader(child, 15_000, () => readLog(workDir));
    const c = new Container(name, leader, child, workDir);
    removeEarly();
    nspawn = undefined;
    await waitBooted(c, child, opts.bootTimeoutMs ?? 90_000).catch(async (e: unknown) => { await c.stop(); throw e; });
    return c;
  } catch (e) {
    if (nspawn?.pid) { try { process.kill(-nspawn.pid, 'SIGKILL'); } catch { /* gone */ } }
    const log = readLog(workDir);
    removeEarly();
    unmountAllSync(merged);
    removeTreeSync(workDir);
    if (e instanceof MkpkgError) throw e;
    throw new MkpkgError('E_VERIFY_FAILED', `booting container ${name} failed: ${(e as Error).message}`, { details: { log: tail(log) }, cause: e });
  }
}

function readLog(workDir: string): string {
  try { return readFileSync(join(workDir, 'nspawn.log'), 'utf8'); } catch { return ''; }
}

/** The `systemd` child of the nspawn process: the container's PID 1. */
async function waitForLeader(nspawn: ChildProcess, timeoutMs: number, log: () => string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (nspawn.exitCode !== null || nspawn.signalCode !== null) break;
    const pid = childNamed(nspawn.pid ?? -1, 'systemd');
    if (pid) return pid;
    await sleep(50);
  }
  throw new MkpkgError('E_VERIFY_FAILED', `systemd-nspawn did not start systemd (${nspawn.exitCode === null ? `still running after ${timeoutMs} ms` : `exit ${nspawn.exitCode}`}): ${tail(log(), 1500)}`, {
    hint: 'the nspawn log tail is above; check that the rootfs is complete and that this host allows systemd-nspawn',
    details: { log: tail(log()) },
  });
}

async function waitBooted(c: Container, nspawn: ChildProcess, timeoutMs: number): Promise<void> {
  let last = '';
  const ok = await c.waitFor(async () => {
    if (nspawn.exitCode !== null || nspawn.signalCode !== null) return true;
    last = (await c.exec(['systemctl', 'is-system-running'], { timeoutMs: 10_000 }).catch(() => ({ stdout: 'unreachable' }))).stdout.trim();
    return last === 'running' || last === 'degraded';
  }, timeoutMs, 200);
  if (ok && (last === 'running' || last === 'degraded')) return;
  const why = nspawn.exitCode !== null || nspawn.signalCode !== null
    ? `systemd-nspawn exited (${nspawn.exitCode ?? nspawn.signalCode}) while booting`
    : `did not finish booting within ${timeoutMs} ms (systemctl is-system-running: ${last || 'no answer'})`;
  throw new MkpkgError('E_VERIFY_FAILED', `container ${c.name} ${why}: ${tail(c.log(), 1500)}`, {
    hint: 'look at the boot log above; `systemctl --failed` inside a container shows failed units',
    details: { log: tail(c.log()) },
  });
}
