/** Process facts from /proc: children by name, liveness (zombies count as gone). */
import { readFileSync, readdirSync } from 'node:fs';

function stat(pid: number | string): { comm: string; state: string; ppid: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const rest = s.slice(close + 2).split(' ');
    return { comm: s.slice(s.indexOf('(') + 1, close), state: rest[0] ?? '', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** The pid of a child of `ppid` whose command name is `comm`. */
export function childNamed(ppid: number, comm: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = stat(entry);
    if (st && st.ppid === ppid && st.comm === comm) return Number(entry);
  }
  return undefined;
}

/** True when `pid` exists and is not a zombie waiting to be reaped. */
export function liveProcess(pid: number): boolean {
  if (pid <= 0) return false;
  const st = stat(pid);
  return st !== undefined && st.state !== 'Z';
}

/** Block (this is for exit handlers) until none of `pids` is live, or `timeoutMs` passes. */
export function waitGoneSync(pids: number[], timeoutMs: number): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (pids.some(liveProcess) && Date.now() < deadline) Atomics.wait(cell, 0, 0, 20);
}
