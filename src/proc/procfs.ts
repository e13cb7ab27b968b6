/** Process facts from /proc (Linux): children by name, descendants, liveness (zombies count as gone). */
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

/** True when a process with this pid exists (possibly another user's, or a zombie). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The children of `pid` from /proc/PID/task/TID/children (one small read per thread); undefined when the kernel does not provide it. */
function childrenOf(pid: number): number[] | undefined {
  let tasks: string[];
  try { tasks = readdirSync(`/proc/${pid}/task`); } catch { return []; }
  const out: number[] = [];
  for (const tid of tasks) {
    let text: string;
    try { text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && tid === String(pid)) return undefined;
      continue;
    }
    for (const c of text.split(' ')) if (c.trim()) out.push(Number(c));
  }
  return out;
}

/** Every live descendant of `pid` (children first, then theirs), without scanning all of /proc where the kernel lists children; empty without /proc. */
export function descendants(pid: number): number[] {
  const direct = childrenOf(pid);
  if (direct === undefined) return descendantsFromScan(pid);
  const out: number[] = [];
  for (let queue = direct; queue.length;) {
    const live = queue.filter((c) => { const st = stat(c); return st !== undefined && st.state !== 'Z'; });
    out.push(...live);
    queue = live.flatMap((c) => childrenOf(c) ?? []);
  }
  return out;
}

/** {@link descendants} from one scan of every process in /proc. */
function descendantsFromScan(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try { entries = readdirSync('/proc'); } catch { return []; }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const st = stat(entry);
    if (!st || st.state === 'Z') continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(entry));
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  for (let i = -1; i < out.length; i++) out.push(...(children.get(i < 0 ? pid : out[i]!) ?? []));
  return out;
}
