/**
 * Cleanups that must run however the process ends: on exit, and on SIGINT, SIGTERM or SIGHUP,
 * after which the process exits as the signal would (128 + n) with an E_INTERRUPTED line. They
 * remove temporary files, undo half-published output, kill child processes and stop containers.
 * They are synchronous: nothing asynchronous runs once the process is exiting.
 */

const actions = new Set<() => void>();
/** Run after all others (e.g. a sweep killing whatever processes remain). */
const lastActions = new Set<() => void>();
let installed = false;

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

function runAll(): void {
  for (const set of [actions, lastActions]) {
    for (const a of [...set]) {
      set.delete(a);
      try { a(); } catch { /* keep cleaning the rest */ }
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const [signal, n] of Object.entries(SIGNAL_NUMBERS) as [NodeJS.Signals, number][]) {
    process.once(signal, () => {
      runAll();
      process.stderr.write(`\nerror E_INTERRUPTED: interrupted by ${signal}; no partial package was left behind and child processes were stopped\n  hint: run the command again\n`);
      process.exit(128 + n);
    });
  }
}

/**
 * Register a synchronous cleanup to run on exit/SIGINT/SIGTERM/SIGHUP, in registration order (with
 * `last`, after all the others); returns a function that unregisters it.
 */
export function onExitCleanup(action: () => void, options: { last?: boolean } = {}): () => void {
  install();
  const set = options.last ? lastActions : actions;
  set.add(action);
  return () => { set.delete(action); };
}
