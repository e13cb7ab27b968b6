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
  result?: Promise<unknown>;
}

const tasks: Task[] = [];

/** Register a shared setup task; returns the getter of its (memoized) result. */
export function sharedSetup<T>(name: string, run: () => T | Promise<T>, when: () => boolean = () => true): () => Promise<T> {
  const task: Task = { name, run, when };
  tasks.push(task);
  return () => (task.result ??= Promise.resolve().then(run)) as Promise<T>;
}

/** Run every registered task that is due and not started yet, in registration order, printing progress. */
export async function runSharedSetup(log: (line: string) => void): Promise<void> {
  for (const t of tasks) {
    if (t.result || !t.when()) continue;
    const started = Date.now();
    log(`  setup: ${t.name} …`);
    t.result = Promise.resolve().then(t.run);
    try {
      await t.result;
      log(`  setup: ${t.name}: done in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (e) {
      log(`  setup: ${t.name}: FAILED after ${Math.round((Date.now() - started) / 1000)} s: ${(e as Error).message}\n  (the tests that need it fail with this error)`);
    }
  }
}
