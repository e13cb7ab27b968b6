/**
 * The `mkpkg verify` scenario: boot a container and take a package through install, (upgrade),
 * remove, purge and reinstall, checking its systemd services at every step.
 */
import { MkpkgError } from '../errors.js';
import { CheckFailure, checkRestarted, checkUnitsRunning, checkUnitsStopped, leftovers, unitTraces } from './checks.js';
import { bootContainer, type Container, type UnitState } from './container.js';
import { assertVerifyHost } from './host.js';
import { eraseRpm, installDeb, installRpm, purgeDeb, removeDeb } from './install.js';
import { inspectPackage, serviceUnits, type PackageInfo } from './package-info.js';
import { ensureRootfs } from './rootfs.js';
import { checkSettled, parseHealthUrl, type SettleOptions } from './settle.js';

/** One step of a scenario. */
export interface StepResult {
  step: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** Options for {@link runScenario}. */
export interface ScenarioOptions {
  /** The .deb or .rpm to verify. */
  pkg: string;
  /** An older build of the same package: installed first, then upgraded to `pkg`. */
  upgradeFrom?: string;
  cacheDir?: string;
  /** Use this rootfs instead of the cached default one. */
  rootfs?: string;
  /** How long a unit may take to become active or stop (default 20 s). */
  serviceTimeoutMs?: number;
  /**
   * How long each service must then stay up — same MainPID, still active, no restarts — before
   * install, upgrade and reinstall count as passed (default {@link DEFAULT_SETTLE_MS}; 0 turns it off).
   */
  settleMs?: number;
  /** A shell command run in the container after each of those steps; it must exit 0 (retried up to serviceTimeoutMs). */
  healthCommand?: string;
  /** `http://127.0.0.1:PORT/PATH`: GET inside the container after each of those steps must answer 2xx (retried). */
  healthUrl?: string;
  /** Progress messages, e.g. while the rootfs is built on first use (a minute or two). */
  onProgress?: (message: string) => void;
  /** Called as each step finishes (progress output). */
  onStep?: (s: StepResult) => void;
}

/** The outcome: `ok` when every step passed. */
export interface ScenarioResult {
  ok: boolean;
  package: { name: string; version: string; kind: 'deb' | 'rpm'; units: string[] };
  steps: StepResult[];
}

/** How long a service must stay up after it turned active, by default. */
export const DEFAULT_SETTLE_MS = 5_000;

const RPM_NOTE = 'rpm --nodeps: the Debian container\'s rpm database provides nothing, so dependencies are not checked';

/** Run the lifecycle scenario on a package. Throws only when it cannot start (host, package unreadable). */
export async function runScenario(opts: ScenarioOptions): Promise<ScenarioResult> {
  assertVerifyHost();
  if (opts.healthUrl !== undefined) parseHealthUrl(opts.healthUrl);
  if (opts.settleMs !== undefined && !(opts.settleMs >= 0 && Number.isFinite(opts.settleMs))) {
    throw new MkpkgError('E_USAGE', `--settle must be a number of seconds ≥ 0, got ${opts.settleMs / 1000}`, { hint: 'e.g. --settle 10' });
  }
  const info = await inspectPackage(opts.pkg);
  const old = opts.upgradeFrom ? await inspectPackage(opts.upgradeFrom) : undefined;
  if (old && (old.kind !== info.kind || old.name !== info.name)) {
    throw new MkpkgError('E_USAGE', `--upgrade-from ${opts.upgradeFrom} is ${old.kind} package ${old.name}, but ${opts.pkg} is ${info.kind} package ${info.name}`, {
      hint: 'pass an older build of the same package, in the same format',
    });
  }
  const units = serviceUnits(info.files);
  const steps: StepResult[] = [];
  let aborted = false;
  /** Run one step; a failed command (not a failed check) aborts the remaining package steps. */
  const step = async (name: string, fn: () => Promise<string>): Promise<boolean> => {
    if (aborted) return false;
    const t0 = Date.now();
    let ok = true;
    let detail: string;
    try {
      detail = await fn();
    } catch (e) {
      ok = false;
      detail = (e as Error).message;
      if (!(e instanceof CheckFailure)) aborted = true;
    }
    const r = { step: name, ok, detail, ms: Date.now() - t0 };
    steps.push(r);
    opts.onStep?.(r);
    return ok;
  };

  let rootfs = opts.rootfs ?? '';
  await step('prepare rootfs', async () => {
    rootfs ||= await ensureRootfs({ cacheDir: opts.cacheDir, onProgress: opts.onProgress });
    return rootfs;
  });
  let container: Container | undefined;
  await step('boot container', async () => {
    container = await bootContainer({ rootfs, name: `verify-${info.name}` });
    return `${container.name} (systemd running)`;
  });
  if (container) {
    const c = container;
    try {
      const waitMs = opts.serviceTimeoutMs ?? 20_000;
      const settle: SettleOptions = { settleMs: opts.settleMs ?? DEFAULT_SETTLE_MS, healthCommand: opts.healthCommand, healthUrl: opts.healthUrl, healthTimeoutMs: waitMs };
      const ctx: Ctx = { c, info, old, units, rootfs, step, waitMs, settle };
      await (info.kind === 'deb' ? debSteps(ctx) : rpmSteps(ctx));
    } finally {
      aborted = false;
      await step('stop container', async () => { await c.stop(); return 'powered off, overlay removed'; });
    }
  }
  return { ok: steps.every((s) => s.ok), package: { name: info.name, version: info.version, kind: info.kind, units }, steps };
}

type Step = (name: string, fn: () => Promise<string>) => Promise<boolean>;

/** What the per-format step sequences share. */
interface Ctx { c: Container; info: PackageInfo; old?: PackageInfo; units: string[]; rootfs: string; step: Step; waitMs: number; settle: SettleOptions }

const unitsNote = (units: readonly string[]) => (units.length ? '' : ' (the package ships no systemd service)');

function fmtRunning(states: Map<string, UnitState>): string {
  return [...states].map(([u, s]) => `${u} ${s.active}/${s.enabled} pid ${s.mainPid}`).join(', ');
}

/** Every unit active and enabled, then staying up for the settle period, then healthy: the states, and what was checked. */
async function runningAndSettled(ctx: Ctx, units: readonly string[]): Promise<{ states: Map<string, UnitState>; settled: string }> {
  const states = await checkUnitsRunning(ctx.c, units, ctx.waitMs);
  const settled = await checkSettled(ctx.c, units, ctx.settle);
  return { states, settled: settled ? `; ${settled}` : '' };
}

async function installAndUpgrade(ctx: Ctx, install: (path: string, upgrade: boolean) => Promise<string>): Promise<Map<string, UnitState>> {
  const { c, info, old, units, step, waitMs } = ctx;
  let states = new Map<string, UnitState>();
  if (old) {
    const oldUnits = serviceUnits(old.files);
    const dropped = oldUnits.filter((u) => !units.includes(u));
    await step(`install ${old.version}`, async () => {
      const how = await install(old.path, false);
      const up = await runningAndSettled(ctx, oldUnits);
      states = up.states;
      return `${how}: ${fmtRunning(states)}${up.settled}${unitsNote(oldUnits)}`;
    });
    await step(`upgrade ${old.version} → ${info.version}`, async () => {
      const how = await install(info.path, true);
      const up = await runningAndSettled(ctx, units);
      const after = up.states;
      const detail = [checkRestarted(states, after) + up.settled];
      if (dropped.length) {
        // Units the new version no longer ships: stopped, disabled, no enable links or helper state left.
        detail.push(`dropped by ${info.version}: ${await checkUnitsStopped(c, dropped, states, waitMs)}`);
        const traces = await unitTraces(c, dropped);
        if (traces.length) throw new CheckFailure(`${how}: ${detail.join('; ')}; unit state left: ${traces.join(' ')}`);
      }
      states = after;
      return `${how}: ${detail.filter(Boolean).join('; ')}${unitsNote(units)}`;
    });
  } else {
    await step(`install ${info.version}`, async () => {
      const how = await install(info.path, false);
      const up = await runningAndSettled(ctx, units);
      states = up.states;
      return `${how}: ${fmtRunning(states)}${up.settled}${unitsNote(units)}`;
    });
  }
  return states;
}

async function debSteps(ctx: Ctx): Promise<void> {
  const { c, info, units, rootfs, step, waitMs } = ctx;
  const install = async (path: string) => { await installDeb(c, path); return 'dpkg -i'; };
  const states = await installAndUpgrade(ctx, install);
  await step('remove', async () => {
    await removeDeb(c, info.name);
    return `dpkg -r: ${await checkUnitsStopped(c, units, states, waitMs)}${unitsNote(units)}`;
  });
  await step('purge', async () => {
    await purgeDeb(c, info.name);
    const status = await c.exec(['dpkg-query', '-W', '-f', '${db:Status-Abbrev}', info.name]);
    const problems: string[] = [];
    if (status.code === 0 && status.stdout.trim()) problems.push(`dpkg still knows the package (${status.stdout.trim()})`);
    const left = await leftovers(c, info, rootfs);
    if (left.length) problems.push(`files left: ${left.join(' ')}`);
    const traces = await unitTraces(c, units);
    if (traces.length) problems.push(`unit state left: ${traces.join(' ')}`);
    if (problems.length) throw new CheckFailure(`dpkg -P: ${problems.join('; ')}`);
    return `dpkg -P: none of the package's ${info.files.length} paths left (shared directories aside), no unit symlinks or deb-systemd-helper state`;
  });
  await step('reinstall', async () => {
    await installDeb(c, info.path);
    const up = await runningAndSettled(ctx, units);
    return `dpkg -i: ${fmtRunning(up.states)}${up.settled}${unitsNote(units)}`;
  });
}

async function rpmSteps(ctx: Ctx): Promise<void> {
  const { c, info, units, rootfs, step, waitMs } = ctx;
  const install = async (path: string, upgrade: boolean) => {
    await installRpm(c, path, { upgrade });
    return upgrade ? `rpm -U (${RPM_NOTE})` : `rpm -i (${RPM_NOTE})`;
  };
  const states = await installAndUpgrade(ctx, install);
  await step('erase', async () => {
    await eraseRpm(c, info.name);
    const detail = await checkUnitsStopped(c, units, states, waitMs);
    const problems: string[] = [];
    if ((await c.exec(['rpm', '-q', info.name])).code === 0) problems.push('rpm -q still finds the package');
    const left = await leftovers(c, info, rootfs);
    if (left.length) problems.push(`files left: ${left.join(' ')}`);
    const traces = await unitTraces(c, units);
    if (traces.length) problems.push(`unit symlinks left: ${traces.join(' ')}`);
    if (problems.length) throw new CheckFailure(`rpm -e: ${detail}; ${problems.join('; ')}`);
    return `rpm -e: ${detail}${unitsNote(units)}; none of the package's ${info.files.length} paths left (shared directories aside)`;
  });
  await step('reinstall', async () => {
    await installRpm(c, info.path);
    const up = await runningAndSettled(ctx, units);
    return `rpm -i: ${fmtRunning(up.states)}${up.settled}${unitsNote(units)}`;
  });
}

/** The human table: step, result, time, detail. */
export function formatTable(steps: readonly StepResult[]): string {
  const rows = steps.map((s) => [s.step, s.ok ? 'ok' : 'FAIL', `${(s.ms / 1000).toFixed(1)} s`, s.detail]);
  const head = ['STEP', 'RESULT', 'TIME', 'DETAIL'];
  const width = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => [r[0]!.padEnd(width[0]!), r[1]!.padEnd(width[1]!), r[2]!.padStart(width[2]!), r[3]!].join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
