/**
 * Worker thread of container-guard.ts: polls /proc for a systemd-nspawn among the test process's
 * descendants and marks the shared flag when one runs. A thread, so that it still looks while the
 * main thread is blocked in a spawnSync (most CLI tests).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { descendants } from '../../src/proc/procfs.js';

const { flag, pid, intervalMs } = workerData as { flag: Int32Array; pid: number; intervalMs: number };

function comm(p: number): string {
  try { return readFileSync(`/proc/${p}/comm`, 'utf8').trim(); } catch { return ''; }
}

setInterval(() => {
  if (descendants(pid).some((p) => comm(p) === 'systemd-nspawn')) Atomics.store(flag, 0, 1);
}, intervalMs);
parentPort?.postMessage('watching');
