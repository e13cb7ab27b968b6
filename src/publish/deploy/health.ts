/**
 * Health after an install: every service the packages ship is `active` within the timeout and
 * stays up for a settle period (same MainPID, NRestarts unchanged: not crash-looping behind
 * Restart=), then the optional health check (a URL fetched on the host, or a command) passes.
 * (mkpkg verify has its own settle check in src/verify; the two may later share one.)
 */
import { MkpkgError } from '../../errors.js';
import { outputTail, scriptArgv, type RemoteHost } from './remote.js';
import type { RemoteResult } from './ssh.js';

/** One service as systemd reports it. */
export interface ServiceState {
  unit: string;
  load: string;
  active: string;
  sub: string;
  mainPid: number;
  restarts: number;
}

/** The optional check after the services run. */
export type HealthCheck = { url: string } | { command: string };

/** What the health check did. */
export interface HealthResult {
  check: 'none' | 'url' | 'command';
  ok: boolean;
  attempts: number;
  output?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Parse `systemctl show` output for several units (blank-line separated blocks). */
export function parseShow(text: string): ServiceState[] {
  return text.split(/\n\s*\n/).map((block) => {
    const kv = new Map<string, string>();
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
    }
    return {
      unit: kv.get('Id') ?? '', load: kv.get('LoadState') ?? '', active: kv.get('ActiveState') ?? '', sub: kv.get('SubState') ?? '',
      mainPid: Number(kv.get('MainPID') ?? 0) || 0, restarts: Number(kv.get('NRestarts') ?? 0) || 0,
    };
  }).filter((s) => s.unit);
}

/** The state of `units` now. */
async function serviceStates(remote: RemoteHost, units: readonly string[]): Promise<ServiceState[]> {
  if (units.length === 0) return [];
  const r = await remote.run(['systemctl', 'show', '-p', 'Id', '-p', 'LoadState', '-p', 'ActiveState', '-p', 'SubState', '-p', 'MainPID', '-p', 'NRestarts', '--', ...units]);
  const states = parseShow(r.stdout);
  if (r.code !== 0 || states.length !== units.length) {
    throw new MkpkgError('E_DEPLOY_REMOTE', `${remote.label}: systemctl show ${units.join(' ')} failed (exit ${r.code}): ${outputTail(r, 600)}`, { hint: 'the host must run systemd', details: { host: remote.label } });
  }
  return states;
}

const describe = (s: ServiceState) => `${s.unit} ${s.active}/${s.sub}${s.mainPid ? ` pid ${s.mainPid}` : ''}${s.restarts ? ` restarts ${s.restarts}` : ''}`;

async function statusOutput(remote: RemoteHost, unit: string): Promise<string> {
  const r = await remote.run(['systemctl', 'status', '--no-pager', '-l', '-n', '20', '--', unit], { root: true, timeoutMs: 30_000 });
  return outputTail(r, 2500);
}

async function unhealthy(remote: RemoteHost, what: string, states: ServiceState[], bad: ServiceState, hint: string): Promise<MkpkgError> {
  const status = await statusOutput(remote, bad.unit);
  return new MkpkgError('E_DEPLOY_HEALTH', `${remote.label}: ${what}: ${states.map(describe).join(', ')}${status ? `\n${status}` : ''}`, {
    hint, details: { host: remote.label, services: states, output: status },
  });
}

/**
 * Wait until every unit is active (up to `timeoutMs`), then require it to stay up for `settleMs`.
 * Returns the final states; throws E_DEPLOY_HEALTH with `systemctl status` of the first bad unit.
 */
export async function waitServicesSteady(remote: RemoteHost, units: readonly string[], timeoutMs: number, settleMs: number): Promise<ServiceState[]> {
  if (units.length === 0) return [];
  const deadline = Date.now() + timeoutMs;
  let states = await serviceStates(remote, units);
  while (states.some((s) => s.active !== 'active') && Date.now() < deadline) {
    await sleep(500);
    states = await serviceStates(remote, units);
  }
  const inactive = states.find((s) => s.active !== 'active');
  if (inactive) {
    return Promise.reject(await unhealthy(remote, `services not active within ${timeoutMs / 1000} s`, states, inactive,
      'the service did not start after the install: see systemctl status above (journalctl -u UNIT on the host for more); raise --timeout if it only starts slowly'));
  }
  if (settleMs <= 0) return states;
  await sleep(settleMs);
  const after = await serviceStates(remote, units);
  const moved = after.find((s, i) => s.active !== 'active' || s.restarts !== states[i]!.restarts || (states[i]!.mainPid !== 0 && s.mainPid !== states[i]!.mainPid));
  if (moved) {
    const before = states.find((s) => s.unit === moved.unit)!;
    return Promise.reject(await unhealthy(remote, `${moved.unit} did not stay up for ${settleMs / 1000} s (was ${describe(before)})`, after, moved,
      'the service starts and then exits or restarts: see systemctl status above and its journal on the host'));
  }
  return after;
}

/** The command for one health check attempt (curl or wget on the host for a URL). */
function healthArgv(check: HealthCheck, tools: ReadonlySet<string>): string[] {
  if ('command' in check) return scriptArgv(check.command);
  if (tools.has('curl')) return ['curl', '-fsS', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}\\n', check.url];
  if (tools.has('wget')) return ['wget', '-q', '-O', '/dev/null', '-T', '10', '-t', '1', check.url];
  throw new MkpkgError('E_DEPLOY_HEALTH', `--health-url needs curl or wget on the host, and it has neither`, { hint: 'install curl on the host, or give --health-cmd instead' });
}

/** Run the health check until it passes or `timeoutMs` passes (E_DEPLOY_HEALTH with its last output). */
export async function runHealthCheck(remote: RemoteHost, check: HealthCheck | undefined, tools: ReadonlySet<string>, timeoutMs: number): Promise<HealthResult> {
  if (!check) return { check: 'none', ok: true, attempts: 0 };
  const kind = 'url' in check ? 'url' : 'command';
  const argv = healthArgv(check, tools);
  const deadline = Date.now() + timeoutMs;
  let last: RemoteResult | undefined;
  let attempts = 0;
  for (;;) {
    attempts++;
    last = await remote.run(argv, { timeoutMs: Math.max(5_000, Math.min(30_000, deadline - Date.now())) });
    if (last.code === 0) return { check: kind, ok: true, attempts, output: outputTail(last, 500) || undefined };
    if (Date.now() >= deadline) break;
    await sleep(1000);
  }
  const out = outputTail(last);
  const what = kind === 'url' ? `GET ${'url' in check ? check.url : ''} on the host` : 'the health command';
  throw new MkpkgError('E_DEPLOY_HEALTH', `${remote.label}: ${what} failed ${attempts} time(s) within ${timeoutMs / 1000} s (last exit ${last.code}${last.timedOut ? ', timed out' : ''})${out ? `:\n${out}` : ''}`, {
    hint: 'the services run but the health check does not pass: the output above is the check\'s, run on the host',
    details: { host: remote.label, check: kind, attempts, exitCode: last.code, output: out },
  });
}
