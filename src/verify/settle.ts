/**
 * "Up" means staying up: after a unit turned active, it is watched for a settle period and must
 * keep its MainPID, stay active and not be restarted (NRestarts) — one instant of `active` does
 * not tell a running service from a crash loop. Then an optional health check (a command run in
 * the container, or an HTTP URL on the container's loopback) must pass.
 */
import { MkpkgError } from '../errors.js';
import { CheckFailure, journalTail } from './checks.js';
import type { Container } from './container.js';
import { sleep } from './proc.js';

/** What the settle watch reads of a unit (`systemctl show`). */
export interface UnitRun {
  active: string;
  sub: string;
  mainPid: number;
  nRestarts: number;
}

/** Options for {@link checkSettled}. */
export interface SettleOptions {
  /** How long each unit must stay up, in ms (0: not watched). */
  settleMs: number;
  /** A shell command run inside the container (`sh -c`) that must exit 0. */
  healthCommand?: string;
  /** `http://127.0.0.1:PORT/PATH` (or localhost): a GET inside the container must answer 2xx. */
  healthUrl?: string;
  /** How long the health check is retried until it passes, in ms. */
  healthTimeoutMs: number;
}

/** `systemctl show` ActiveState, SubState, MainPID and NRestarts of `unit`. */
export async function unitRun(c: Container, unit: string): Promise<UnitRun> {
  const r = await c.exec(['systemctl', 'show', '-p', 'ActiveState', '-p', 'SubState', '-p', 'MainPID', '-p', 'NRestarts', unit]);
  const v = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
  return { active: v.ActiveState || 'unknown', sub: v.SubState || 'unknown', mainPid: Number(v.MainPID) || 0, nRestarts: Number(v.NRestarts) || 0 };
}

const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;

/** Parse a health URL: only the container's own loopback over plain HTTP. */
export function parseHealthUrl(url: string): { port: number; path: string } {
  const m = /^http:\/\/(?:127\.0\.0\.1|localhost):(\d{1,5})(\/[^\s]*)?$/.exec(url);
  const port = m ? Number(m[1]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new MkpkgError('E_USAGE', `--health-url ${JSON.stringify(url)} is not http://127.0.0.1:PORT/PATH`, {
      hint: 'give the URL the service answers on inside the container, e.g. http://127.0.0.1:8080/health',
    });
  }
  return { port, path: m[2] ?? '/' };
}

/**
 * Watch `units` for `settleMs`: each must keep the MainPID it had, stay active and not be restarted.
 * Throws {@link CheckFailure} naming each unit that did not, with its restart count. Then runs the
 * health check, if any. Returns a one-line detail.
 */
export async function checkSettled(c: Container, units: readonly string[], opts: SettleOptions): Promise<string> {
  const parts: string[] = [];
  if (units.length > 0 && opts.settleMs > 0) {
    const first = new Map<string, UnitRun>();
    for (const u of units) first.set(u, await unitRun(c, u));
    const moved = new Set<string>();
    const last = new Map(first);
    const deadline = Date.now() + opts.settleMs;
    for (;;) {
      for (const u of units) {
        const now = await unitRun(c, u);
        last.set(u, now);
        const f = first.get(u)!;
        if (now.nRestarts !== f.nRestarts || now.mainPid !== f.mainPid || now.active !== 'active') moved.add(u);
      }
      if (Date.now() >= deadline) break;
      await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
    }
    const bad = units.filter((u) => moved.has(u) || first.get(u)!.nRestarts > 0);
    const secs = `${opts.settleMs / 1000} s`;
    if (bad.length > 0) {
      const what = bad.map((u) => {
        const f = first.get(u)!;
        const l = last.get(u)!;
        return `${u} did not stay up for ${secs}: restarted ${times(l.nRestarts)} (NRestarts ${f.nRestarts} → ${l.nRestarts}), MainPID ${f.mainPid} → ${l.mainPid}, now ${l.active}/${l.sub}`;
      });
      throw new CheckFailure(`${what.join('; ')}${await journalTail(c, bad[0]!)}`);
    }
    parts.push(`stayed up for ${secs} (same MainPID, no restarts)`);
  }
  try {
    if (opts.healthCommand !== undefined) parts.push(await healthCommand(c, opts.healthCommand, opts.healthTimeoutMs));
    if (opts.healthUrl !== undefined) parts.push(await healthUrl(c, opts.healthUrl, opts.healthTimeoutMs));
  } catch (e) {
    throw e instanceof CheckFailure ? new CheckFailure([...parts, e.message].join('; ')) : e;
  }
  return parts.join('; ');
}

async function healthCommand(c: Container, cmd: string, timeoutMs: number): Promise<string> {
  let last = { code: -1, stdout: '', stderr: '' };
  const ok = await c.waitFor(async () => (last = await c.exec(['sh', '-c', cmd], { timeoutMs: 60_000 })).code === 0, timeoutMs, 1000);
  if (!ok) throw new CheckFailure(`health command ${JSON.stringify(cmd)} exited ${last.code} (retried for ${timeoutMs / 1000} s): ${(last.stderr || last.stdout).trim().slice(-300)}`);
  return `health command ${JSON.stringify(cmd)} passed`;
}

async function healthUrl(c: Container, url: string, timeoutMs: number): Promise<string> {
  const { port, path } = parseHealthUrl(url);
  let err = '';
  const ok = await c.waitFor(async () => {
    try { await c.httpGet(port, path); return true; } catch (e) { err = (e as Error).message; return false; }
  }, timeoutMs, 1000);
  if (!ok) throw new CheckFailure(`health URL ${url} did not answer 2xx (retried for ${timeoutMs / 1000} s): ${err}`);
  return `health URL ${url} answered`;
}
