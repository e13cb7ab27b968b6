/**
 * Ordered flows in one booted container: each `step` is one mocha `it` asserting one named
 * behaviour; after a failed step the rest of the flow is skipped with the reason, instead of
 * failing in confusing ways on a system in an unknown state.
 */
import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { bootContainer, type Container, type UnitState } from '../../../src/verify/index.js';
import { sharedRootfs } from '../../support/rootfs.js';
import { helloServicePort } from '../../support/ports.js';
import { requireRoot, requireTools } from '../../support/tools.js';

/** The fixture service's port inside the container: free when probed (the container shares the host network). */
export const PORT = helloServicePort();
export const UNIT = 'hello-service.service';

/** What hello-service answers. */
export interface Hello { name: string; version: string; greeting: string; pid: number }

/** A flow: one container shared by ordered steps. */
export class Flow {
  c!: Container;
  rootfs!: string;
  private broken: string | undefined;

  /** Register `it(title)` that is skipped (with a message) once an earlier step of this flow failed. */
  step(title: string, fn: (this: Mocha.Context) => Promise<void>): void {
    const flow = this;
    it(title, async function () {
      if (flow.broken) {
        console.log(`      skipped: the earlier step "${flow.broken}" of this flow failed`);
        this.skip();
      }
      try {
        await fn.call(this);
      } catch (e) {
        flow.broken = title;
        throw e;
      }
    });
  }
}

/** Gate (root, nspawn) and boot a container for `flow`; stop it after the describe. Call inside a describe. */
export function withContainer(flow: Flow, name: string, extra: (ctx: Mocha.Context) => Promise<void> = async () => undefined): void {
  before(async function () {
    this.timeout(10 * 60_000);
    requireRoot(this);
    requireTools(this, 'systemd-nspawn', 'debootstrap', 'nsenter', 'dpkg-deb', 'rpm');
    await assertPortFree(PORT);
    flow.rootfs = await sharedRootfs();
    await extra(this);
    flow.c = await bootContainer({ rootfs: flow.rootfs, name });
  });
  after(async () => { await flow.c?.stop(); });
}

/** Fail early, with a clear message, when something on the host already listens on `port`. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', () => fail(new Error(`port ${port} is in use on the host; the containers share the host network and the fixture service listens on 127.0.0.1:${port}`)));
    s.listen(port, '127.0.0.1', () => s.close(() => ok()));
  });
}

/** GET the service (retrying until it answers or `timeoutMs` passes). */
export async function hello(c: Container, timeoutMs = 15_000): Promise<Hello> {
  let last: unknown;
  const ok = await c.waitFor(async () => {
    try { last = JSON.parse(await c.httpGet(PORT)); return true; } catch (e) { last = e; return false; }
  }, timeoutMs, 250);
  if (!ok) throw new Error(`hello-service did not answer on 127.0.0.1:${PORT}: ${(last as Error).message}${await journal(c)}`);
  return last as Hello;
}

/** Wait until the unit is active with a MainPID other than `notPid` (a restart finished), then return its state. */
export async function waitActive(c: Container, unit = UNIT, notPid = -1, timeoutMs = 20_000): Promise<UnitState> {
  let st = await c.unitState(unit);
  await c.waitFor(async () => { st = await c.unitState(unit); return st.active === 'active' && st.mainPid > 0 && st.mainPid !== notPid; }, timeoutMs);
  return st;
}

/** Wait until the unit leaves the active/activating/deactivating states. */
export async function waitInactive(c: Container, unit = UNIT, timeoutMs = 20_000): Promise<UnitState> {
  let st = await c.unitState(unit);
  await c.waitFor(async () => { st = await c.unitState(unit); return !['active', 'activating', 'deactivating', 'reloading'].includes(st.active); }, timeoutMs);
  return st;
}

/** Assert the package's service is running and enabled and answers `version`. Returns its state. */
export async function assertServing(c: Container, version: string, notPid = -1): Promise<UnitState> {
  const st = await waitActive(c, UNIT, notPid);
  assert.equal(st.active, 'active', `${UNIT} should be active${await journal(c)}`);
  const h = await hello(c);
  assert.equal(h.version, version, `HTTP answer ${JSON.stringify(h)}`);
  assert.equal(h.pid, st.mainPid, 'the process answering is the unit\'s MainPID');
  return st;
}

/** Run a shell snippet in the container and return trimmed stdout (throws on non-zero exit). */
export async function shOut(c: Container, script: string): Promise<string> {
  const r = await c.sh(script);
  if (r.code !== 0) throw new Error(`sh -c ${JSON.stringify(script)} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

/** The last journal lines of the unit, for assertion messages. */
export async function journal(c: Container, unit = UNIT): Promise<string> {
  const r = await c.exec(['journalctl', '-u', unit, '-n', '10', '--no-pager', '-o', 'cat']).catch(() => undefined);
  return r?.stdout.trim() ? `\n  journal of ${unit}:\n    ${r.stdout.trim().split('\n').join('\n    ')}` : '';
}
