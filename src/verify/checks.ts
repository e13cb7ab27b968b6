/**
 * Lifecycle assertions against a running container. Each returns a one-line detail on success
 * and throws {@link CheckFailure} (with the same kind of detail) when the system is not as expected.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, UnitState } from './container.js';
import type { PackageInfo } from './package-info.js';

/** A check found the system in the wrong state (as opposed to a command that failed). */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

const isEnabled = (s: string) => s === 'enabled' || s === 'enabled-runtime';

/** Wait (up to `timeoutMs`) until every unit is active, and require it enabled (or static: no [Install]). */
export async function checkUnitsRunning(c: Container, units: readonly string[], timeoutMs = 20_000): Promise<Map<string, UnitState>> {
  const states = new Map<string, UnitState>();
  const bad: string[] = [];
  for (const u of units) {
    let st = await c.unitState(u);
    await c.waitFor(async () => (st = await c.unitState(u)).active === 'active', timeoutMs);
    states.set(u, st);
    if (st.active !== 'active' || !(isEnabled(st.enabled) || st.enabled === 'static')) bad.push(u);
  }
  if (bad.length) throw new CheckFailure(`${describe(states)}; expected active + enabled${await journalTail(c, bad[0]!)}`);
  return states;
}

/** Require every unit of `before` to have a new MainPID (the service was restarted); units new in `after` only need to run. */
export function checkRestarted(before: Map<string, UnitState>, after: Map<string, UnitState>): string {
  const lines: string[] = [];
  const same: string[] = [];
  for (const [u, st] of after) {
    const old = before.get(u)?.mainPid;
    if (old === undefined) {
      lines.push(`${u} new, started (MainPID ${st.mainPid})`);
      continue;
    }
    lines.push(`${u} MainPID ${old} → ${st.mainPid}`);
    if (st.mainPid === 0 || st.mainPid === old) same.push(u);
  }
  if (same.length) throw new CheckFailure(`${lines.join(', ')}; expected a new MainPID (restart on upgrade) for ${same.join(', ')}`);
  return lines.join(', ');
}

/** Wait until every unit is stopped and not enabled, and its old main process is gone. */
export async function checkUnitsStopped(c: Container, units: readonly string[], before: Map<string, UnitState>, timeoutMs = 20_000): Promise<string> {
  const states = new Map<string, UnitState>();
  const bad: string[] = [];
  for (const u of units) {
    let st = await c.unitState(u);
    await c.waitFor(async () => !['active', 'activating', 'deactivating', 'reloading'].includes((st = await c.unitState(u)).active), timeoutMs);
    states.set(u, st);
    const pid = before.get(u)?.mainPid ?? 0;
    const alive = pid > 0 && (await c.exec(['test', '-d', `/proc/${pid}`])).code === 0;
    if (['active', 'activating', 'deactivating', 'reloading'].includes(st.active) || isEnabled(st.enabled) || alive) {
      bad.push(alive ? `${u} (old MainPID ${pid} still running)` : u);
    }
  }
  const detail = describe(states);
  if (bad.length) throw new CheckFailure(`${detail}; expected stopped and not enabled: ${bad.join(', ')}`);
  return detail;
}

/**
 * Paths of `info` still present inside the container. Directories count only when the pristine
 * rootfs did not have them and no other installed package owns them.
 */
export async function leftovers(c: Container, info: PackageInfo, rootfs: string): Promise<string[]> {
  const dirs = new Set(info.dirs);
  const present = (await c.exec(['sh', '-c', 'for p; do if [ -e "$p" ] || [ -L "$p" ]; then printf "%s\\n" "$p"; fi; done', 'sh', ...info.files]))
    .stdout.split('\n').filter(Boolean);
  const left: string[] = [];
  for (const p of present) {
    if (!dirs.has(p)) { left.push(p); continue; }
    if (existsSync(join(rootfs, p))) continue;
    if ((await otherOwners(c, info, p)).length) continue;
    left.push(`${p}/`);
  }
  return left;
}

/** Installed packages other than `info` that own path `p` (dpkg-query -S / rpm -qf). */
async function otherOwners(c: Container, info: PackageInfo, p: string): Promise<string[]> {
  if (info.kind === 'deb') {
    const r = await c.exec(['dpkg-query', '-S', p]);
    if (r.code !== 0) return [];
    return r.stdout.split('\n').filter((l) => l.includes(': ')).flatMap((l) => l.slice(0, l.lastIndexOf(': ')).split(',')).map((n) => n.trim().replace(/:.*$/, ''))
      .filter((n) => n && n !== info.name);
  }
  const r = await c.exec(['rpm', '-qf', '--qf', '%{NAME}\n', p]);
  if (r.code !== 0) return [];
  return r.stdout.split('\n').map((n) => n.trim()).filter((n) => n && n !== info.name);
}

/** Enablement symlinks and deb-systemd-helper state left for `units` under /etc/systemd/system and /var/lib/systemd. */
export async function unitTraces(c: Container, units: readonly string[]): Promise<string[]> {
  if (units.length === 0) return [];
  const names = units.flatMap((u, i) => (i ? ['-o'] : []).concat(['-name', u, '-o', '-name', `${u}.dsh-also`]));
  const r = await c.exec(['find', '/etc/systemd/system', '/var/lib/systemd/deb-systemd-helper-enabled', '(', ...names, ')', '-print']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

function describe(states: Map<string, UnitState>): string {
  return [...states].map(([u, s]) => `${u} ${s.active}/${s.enabled}${s.mainPid ? ` pid ${s.mainPid}` : ''}`).join(', ');
}

/** The last journal lines of `unit`, as "; journal of UNIT: a | b" (empty when there are none). */
export async function journalTail(c: Container, unit: string): Promise<string> {
  const r = await c.exec(['journalctl', '-u', unit, '-n', '8', '--no-pager', '-o', 'cat']).catch(() => undefined);
  const t = r?.stdout.trim();
  return t ? `; journal of ${unit}: ${t.split('\n').join(' | ')}` : '';
}
