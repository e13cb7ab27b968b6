/**
 * Expensive setup shared by test files (the CLI build, the container root filesystem, the lifecycle
 * packages). A task is registered when a test file that needs it is loaded, and the root hook in
 * setup.ts runs every registered task once before any test, under its own generous limit and with
 * its progress printed, so no single test's or hook's timeout ever contains it. Tests await the
 * result through the getter: the same promise, or at once the same error if the setup failed.
 */

interface Task {
  name: string;
  run: () => unknown;
  /** Whether the root hook should run it (e.g. only as root); the getter always may. */
  when: () => boolean;
  /** Started first and run beside the others (it mostly waits: a download, a debootstrap). */
  alongside: boolean;
  result?: Promise<unknown>;
}

/** How a task is run by the root hook. */
export interface SetupOptions {
  /** Whether the root hook should run it (default: always); the getter always may. */
  when?: () => boolean;
  /** Start it before the other tasks and let them run meanwhile (default: one task after another). */
  alongside?: boolean;
}

const tasks: Task[] = [];

/** Register a shared setup task; returns the getter of its (memoized) result. */
export function sharedSetup<T>(name: string, run: () => T | Promise<T>, opts: SetupOptions = {}): () => Promise<T> {
  const task: Task = { name, run, when: opts.when ?? (() => true), alongside: opts.alongside ?? false };
  tasks.push(task);
  return () => (task.result ??= Promise.resolve().then(run)) as Promise<T>;
}

/** Start a task, returning the promise that logs its outcome (never rejects: the getter hands the error to the tests). */
function start(t: Task, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const secs = () => Math.round((Date.now() - started) / 1000);
  log(`  setup: ${t.name} …`);
  t.result = Promise.resolve().then(t.run);
  return t.result.then(
    () => log(`  setup: ${t.name}: done in ${secs()} s`),
    (e: unknown) => log(`  setup: ${t.name}: FAILED after ${secs()} s: ${(e as Error).message}\n  (the tests that need it fail with this error)`),
  );
}

/**
 * Run every registered task that is due and not started yet: those marked `alongside` first, all at
 * once, then the others in registration order; resolves when all have ended, printing progress.
 */
export async function runSharedSetup(log: (line: string) => void): Promise<void> {
  const due = tasks.filter((t) => !t.result && t.when());
  const beside = due.filter((t) => t.alongside).map((t) => start(t, log));
  for (const t of due.filter((x) => !x.alongside)) await start(t, log);
  await Promise.all(beside);
}
