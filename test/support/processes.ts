/**
 * Finding the processes a test run started, whoever their parent is now: each run gets a unique
 * marker in its environment (inherited by every child), and /proc/PID/environ is searched for it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

/** A fresh marker and the environment entry carrying it. */
export function processMarker(): { marker: string; env: Record<string, string> } {
  const marker = randomBytes(8).toString('hex');
  return { marker, env: { MKPKG_TEST_MARKER: marker } };
}

/** Live (not zombie) processes whose environment holds `marker`, with their command names. */
export function markedProcesses(marker: string): { pid: number; comm: string }[] {
  const needle = `MKPKG_TEST_MARKER=${marker}\0`;
  const out: { pid: number; comm: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) continue;
      out.push({ pid: Number(entry), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // gone meanwhile, or not readable
    }
  }
  return out;
}

/** Poll `check` every `pollMs` until it returns a value or `timeoutMs` passes (then undefined). */
export async function waitFor<T>(check: () => T | undefined, timeoutMs: number, pollMs = 50): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Bytes a process has read so far (`rchar` of /proc/PID/io; 0 when unreadable). */
export function bytesRead(pid: number): number {
  try {
    return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
