/**
 * Issue 4, "a user-written unit file (and timers, sockets) can be shipped instead of the generated
 * one": a scratch project whose service `tick` ships its own `tick.service` (a oneshot job) plus
 * `tick.timer`, and a socket `tick-echo.socket` (Accept=yes) with its `tick-echo@.service`, built
 * with the real CLI and taken through install → upgrade → remove with dpkg and with rpm.
 *
 * What the package does with them (decided here, see src/lifecycle/services.ts): every unit with
 * an [Install] section is enabled; sockets, timers and paths are started on install; the service
 * behind a `NAME.timer`/`NAME.socket`/`NAME.path` of its own is NOT started directly (it is static
 * and runs when its timer fires, as deb-systemd-invoke would also leave it); template units
 * (`x@.service`) are neither enabled nor started. On upgrade a service's units are try-restarted in
 * one call, so a socket and the service behind it restart together.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyPackageIn, type Container } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { freePortSync } from '../support/ports.js';
import { assertPortFree, Flow, shOut, withContainer } from './support/flow.js';
import type { Built } from './support/packages.js';
import { buildProject, packageJson, writeProject } from './support/project.js';

const ECHO_PORT = freePortSync();
/** The job appends a line here each time it runs. */
const TICKS = '/var/lib/tick/ticks';

function files(version: string): Record<string, string> {
  return {
    'package.json': packageJson('tick', version),
    'mkpkg.config.json': JSON.stringify({
      maintainer: 'Acme Ops <ops@acme.example>',
      app: false,
      services: [{ name: 'tick', unitFile: 'deploy/tick.service', extraUnits: ['deploy/tick.timer', 'deploy/tick-echo.socket', 'deploy/tick-echo@.service'] }],
    }, null, 2),
    // Written by hand, with comments and odd spacing: shipped byte for byte.
    'deploy/tick.service': `# tick.service - written by hand for tick ${version}\n[Unit]\nDescription=Tick job (user-written unit)\n\n[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo tick-${version} >> ${TICKS}'\nStateDirectory=tick\n`,
    'deploy/tick.timer': '[Unit]\nDescription=Run tick.service 5 s after the timer starts, then hourly\n\n[Timer]\nOnActiveSec=5s\nOnUnitActiveSec=1h\nAccuracySec=100ms\n\n[Install]\nWantedBy=timers.target\n',
    'deploy/tick-echo.socket': `[Unit]\nDescription=Tick echo socket\n\n[Socket]\nListenStream=127.0.0.1:${ECHO_PORT}\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n`,
    'deploy/tick-echo@.service': `[Unit]\nDescription=Tick echo connection\n\n[Service]\nExecStart=/bin/echo echo-${version}\nStandardInput=socket\nStandardOutput=socket\n`,
  };
}

const UNITS = ['tick.service', 'tick.timer', 'tick-echo.socket', 'tick-echo@.service'];

interface Project { src: Record<string, string>; built: Built }
let built: Promise<{ v1: Project; v2: Project }> | undefined;
/** Build 1.0.0 and 2.0.0 once per process. */
function projects(): Promise<{ v1: Project; v2: Project }> {
  built ??= Promise.resolve().then(() => {
    const out = scratch('mkpkg-e2e-tick-out-');
    const make = (v: string): Project => {
      const src = files(v);
      return { src, built: buildProject(writeProject(src, `mkpkg-e2e-tick-${v}-`), out) };
    };
    return { v1: make('1.0.0'), v2: make('2.0.0') };
  });
  return built;
}

function host(cmd: string): string {
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Extract a package's payload with the distribution's own tools (dpkg-deb -x, rpm2cpio | cpio). */
function extract(kind: 'deb' | 'rpm', pkg: string): string {
  const dir = scratch(`mkpkg-e2e-tick-x-${kind}-`);
  mkdirSync(dir, { recursive: true });
  if (kind === 'deb') host(`dpkg-deb -x '${pkg}' '${dir}'`);
  else host(`cd '${dir}' && rpm2cpio '${pkg}' | cpio -idm --quiet`);
  return dir;
}

const show = async (c: Container, unit: string, prop: string) => (await c.exec(['systemctl', 'show', '--value', '-p', prop, unit])).stdout.trim();
const isEnabled = async (c: Container, unit: string) => (await c.exec(['systemctl', 'is-enabled', unit])).stdout.trim();
const isActive = async (c: Container, unit: string) => (await c.exec(['systemctl', 'is-active', unit])).stdout.trim();
/** What the socket answers (each connection runs tick-echo@.service once). */
const echoIn = (c: Container) => c.exec(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${ECHO_PORT}; cat <&3`]);
async function echo(c: Container): Promise<string> {
  const r = await echoIn(c);
  assert.equal(r.code, 0, `connecting to 127.0.0.1:${ECHO_PORT}: ${r.stderr}`);
  return r.stdout.trim();
}

for (const kind of ['deb', 'rpm'] as const) {
  describe(`a user-written unit, a timer and a socket, through ${kind === 'deb' ? 'dpkg' : 'rpm --nodeps'}`, function () {
    this.timeout(600_000);
    const flow = new Flow();
    let p: { v1: Project; v2: Project };
    withContainer(flow, `e2e-units-${kind}`, async () => {
      await assertPortFree(ECHO_PORT);
      p = await projects();
    });
    const install = async (b: Built) => {
      const pkg = await copyPackageIn(flow.c, b[kind]);
      // --nodeps: the Debian container's rpm database is empty (see the rpm-rpm flow).
      return flow.c.exec(kind === 'deb' ? ['dpkg', '-i', pkg] : ['rpm', '-U', '--nodeps', pkg], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    };

    flow.step(`the .${kind} ships the user's unit files byte for byte (not a generated tick.service)`, async () => {
      const root = extract(kind, p.v1.built[kind]);
      for (const u of UNITS) {
        assert.equal(readFileSync(join(root, 'usr/lib/systemd/system', u), 'utf8'), p.v1.src[`deploy/${u}`], u);
      }
    });

    flow.step('install: tick.timer and tick-echo.socket enabled and active, in list-timers; tick.service static and not run by the package', async () => {
      const r = await install(p.v1.built);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      // Checked first: the timer fires 5 s after it started.
      assert.equal(await show(flow.c, 'tick.service', 'ExecMainStartTimestampMonotonic'), '0', 'tick.service was never started');
      assert.equal(await isEnabled(flow.c, 'tick.timer'), 'enabled');
      assert.equal(await isActive(flow.c, 'tick.timer'), 'active');
      assert.equal(await isEnabled(flow.c, 'tick-echo.socket'), 'enabled');
      assert.equal(await isActive(flow.c, 'tick-echo.socket'), 'active');
      assert.equal(await isEnabled(flow.c, 'tick.service'), 'static');
      assert.match(await shOut(flow.c, 'systemctl list-timers --all --no-legend tick.timer'), /\btick\.timer\s+tick\.service\b/);
    });

    flow.step('the timer runs the user\'s tick.service, and the socket answers through tick-echo@.service', async () => {
      const ran = await flow.c.waitFor(async () => (await flow.c.exec(['cat', TICKS])).stdout.includes('tick-1.0.0'), 20_000, 250);
      assert.ok(ran, `${TICKS} never got a line; timer: ${await shOut(flow.c, 'systemctl status tick.timer tick.service --no-pager || true')}`);
      assert.equal(await show(flow.c, 'tick.service', 'Result'), 'success');
      assert.equal(await echo(flow.c), 'echo-1.0.0');
    });

    flow.step('upgrade to 2.0.0: the timer and the socket stay enabled and active, the socket answers with the new unit', async () => {
      const r = await install(p.v2.built);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      for (const u of ['tick.timer', 'tick-echo.socket']) {
        assert.equal(await isEnabled(flow.c, u), 'enabled', u);
        assert.equal(await isActive(flow.c, u), 'active', u);
      }
      assert.equal(await echo(flow.c), 'echo-2.0.0');
    });

    flow.step(`${kind === 'deb' ? 'purge (dpkg -P)' : 'erase (rpm -e)'}: the timer and the socket are stopped and no unit of the package is left enabled`, async () => {
      const r = await flow.c.exec(kind === 'deb' ? ['dpkg', '-P', 'tick'] : ['rpm', '-e', '--nodeps', 'tick']);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      for (const u of ['tick.timer', 'tick-echo.socket']) assert.notEqual(await isActive(flow.c, u), 'active', u);
      assert.notEqual((await echoIn(flow.c)).code, 0, 'nothing listens on the echo port');
      assert.equal(await shOut(flow.c, 'find /etc/systemd/system -name "tick*"'), '', 'no enablement symlink left');
      assert.doesNotMatch(await shOut(flow.c, 'systemctl list-timers --all --no-legend'), /tick/);
    });
  });
}
