/** Last-resort cleanup of containers and mounts when the process exits or is interrupted. */

const actions = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const a of [...actions]) {
    actions.delete(a);
    try { a(); } catch { /* keep cleaning the rest */ }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      // Another module (e.g. atomic output) may own the exit for this signal; otherwise exit as the signal would.
      if (process.listenerCount(signal) === 0) process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Register a synchronous cleanup to run on exit/SIGINT/SIGTERM; returns a function that unregisters it. */
export function onExitCleanup(action: () => void): () => void {
  install();
  actions.add(action);
  return () => { actions.delete(action); };
}
