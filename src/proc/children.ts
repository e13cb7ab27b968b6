/**
 * Child processes that die with mkpkg. A compressor or helper must never outlive the run that
 * started it (an orphaned `xz -T0` keeps compressing for minutes):
 * - on exit, SIGINT, SIGTERM and SIGHUP every child spawned here is killed (SIGKILL; a detached
 *   child with its whole process group);
 * - against SIGKILL of mkpkg itself, where no handler runs, each child is started through
 *   `setpriv --pdeathsig KILL` (util-linux), so the kernel kills it when mkpkg dies. Without a
 *   setpriv that knows --pdeathsig the child is started directly; it still ends soon after, as its
 *   stdin (a pipe from mkpkg) reaches end-of-file and its output pipe breaks.
 * The CLI also kills, at exit, every other descendant (e.g. npm, or a process a plugin started),
 * after the other cleanups (which stop containers in order).
 */
import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptions } from 'node:child_process';
import { which } from '../which.js';
import { onExitCleanup } from './exit.js';
import { descendants } from './procfs.js';

/** Live children spawned here, and whether each leads its own process group (detached). */
const owned = new Map<ChildProcess, boolean>();
let registered = false;
/** The `setpriv --pdeathsig KILL --` prefix, null when unavailable; undefined until probed. */
let deathSignalPrefix: string[] | null | undefined;
/** The probe {@link probeDeathSignal} started, while it runs. */
let probing: ChildProcess | undefined;
const PDEATHSIG = ['--pdeathsig', 'KILL', '--'];

/**
 * Start probing for `setpriv --pdeathsig` in the background (the CLI does this first thing), so
 * that no spawn waits for the probe: a child spawned while it still runs is started directly
 * (it still dies with mkpkg through the exit handlers and its pipes), later ones through setpriv.
 */
export function probeDeathSignal(): void {
  if (deathSignalPrefix !== undefined || probing) return;
  const setpriv = setprivPath();
  if (!setpriv) { deathSignalPrefix = null; return; }
  const probe = spawn(setpriv, [...PDEATHSIG, 'true'], { stdio: 'ignore' });
  probing = probe;
  probe.once('exit', (code) => { deathSignalPrefix = probed(setpriv, code); probing = undefined; });
  probe.once('error', () => { deathSignalPrefix = null; probing = undefined; });
  probe.unref();
}

const setprivPath = (): string | undefined => (process.platform === 'linux' ? which('setpriv') : undefined);

/** The prefix when the probe of `setpriv` exited with `code`. */
const probed = (setpriv: string, code: number | null): string[] | null => (code === 0 ? [setpriv, ...PDEATHSIG] : null);

function prefix(): string[] | null {
  if (deathSignalPrefix === undefined) {
    if (probing) return null;
    const setpriv = setprivPath();
    deathSignalPrefix = setpriv ? probed(setpriv, spawnSync(setpriv, [...PDEATHSIG, 'true'], { stdio: 'ignore' }).status) : null;
  }
  return deathSignalPrefix;
}

function kill(child: ChildProcess, detached: boolean): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(detached ? -child.pid : child.pid, 'SIGKILL'); } catch { /* already gone */ }
}

/**
 * `child_process.spawn`, for a child that must die with this process (see the module comment).
 * Spawn errors (ENOENT for a missing program) are the same as `spawn`'s.
 */
export function spawnOwned(cmd: string, args: readonly string[], options: SpawnOptions & { stdio: ['pipe', 'pipe', 'pipe'] }): ChildProcessWithoutNullStreams;
export function spawnOwned(cmd: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
export function spawnOwned(cmd: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const wrap = prefix();
  // Resolved first, so that a missing program still fails as spawn's ENOENT, not as setpriv's exit 127.
  const program = wrap ? (cmd.includes('/') ? cmd : which(cmd, options.env?.PATH ?? process.env.PATH)) : undefined;
  const child = wrap && program ? spawn(wrap[0]!, [...wrap.slice(1), program, ...args], options) : spawn(cmd, args, options);
  if (!registered) {
    registered = true;
    onExitCleanup(() => { for (const [c, detached] of owned) kill(c, detached); });
  }
  owned.set(child, Boolean(options.detached));
  child.once('exit', () => owned.delete(child));
  child.once('error', () => owned.delete(child));
  return child;
}

/**
 * For the CLI, which owns its process: at exit (and on SIGINT/SIGTERM/SIGHUP) kill every remaining
 * descendant, including children this module did not spawn (npm, plugins' processes). Linux only.
 */
export function killDescendantsAtExit(): void {
  onExitCleanup(() => {
    for (const pid of descendants(process.pid)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }, { last: true });
}
