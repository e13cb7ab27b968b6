/**
 * For the host group of test/run.mjs, which runs beside the container group: notes each test during
 * which a systemd container ran under this process (a worker thread polls /proc, container-watch.ts),
 * and fails the run's last root hook naming them. Such a test belongs in the container group
 * (test/support/test-groups.mjs); beside it, the two would share the host's network at once.
 */
import { Worker } from 'node:worker_threads';

const POLL_MS = 500;

/** The guard's parts: start watching; a root afterEach noting the test; a root afterAll failing if any did. */
export interface ContainerGuard {
  /** Resolves once the watcher polls. */
  start(): Promise<void>;
  afterEach(this: Mocha.Context): void;
  afterAll(): void;
}

export function containerGuard(): ContainerGuard {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const seen: string[] = [];
  return {
    async start() {
      const watcher = new URL('./container-watch.ts', import.meta.url).href;
      // A worker does not get the parent's --import tsx on Node 20: it registers tsx itself.
      const w = new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(watcher)}); })`, {
        eval: true, workerData: { flag, pid: process.pid, intervalMs: POLL_MS },
      });
      w.unref();
      await new Promise<void>((resolve) => {
        w.once('message', () => resolve());
        w.once('error', (e) => { seen.push(`(the /proc watcher failed: ${e.message})`); resolve(); });
      });
    },
    afterEach(this: Mocha.Context) {
      if (Atomics.exchange(flag, 0, 0) === 1) seen.push(this.currentTest?.fullTitle() ?? '(a hook)');
    },
    afterAll() {
      if (seen.length === 0) return;
      throw new Error(`a systemd container ran in the host group (beside the container group) during: ${seen.join('; ')}. `
        + 'Its file must run in the container group: it, or a test module it imports, names bootContainer or sharedRootfs (test/support/test-groups.mjs).');
    },
  };
}
