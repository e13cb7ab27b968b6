/**
 * Issue 12's proof for the three real-project patterns, each packaged from its fixture with no
 * workaround: installed in a booted systemd container with dpkg (and apt) and with rpm, run
 * (`--version`, and an HTTP request to the service), removed cleanly; lintian and rpmlint report
 * no more errors than for the minimal hello package.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyPackageIn, type Container } from '../../src/verify/index.js';
import { FIXTURES } from '../cli/helpers.js';
import { platformBinaryProject } from '../support/platform-binary.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { freePortSync } from '../support/ports.js';
import { assertPortFree, Flow, journal, shOut, waitActive, waitInactive, withContainer } from './support/flow.js';
import { buildFormats } from './support/packages.js';

interface Pattern {
  name: string;
  dir: () => string;
  /** The command line run after install, and what it prints. */
  version: [string, RegExp];
  /** The service, its port and a path answering on it. */
  service?: { unit: string; port: number; path: string; answer: RegExp };
}

/**
 * A scratch copy of fixture NAME whose service listens on `port` instead of the fixture's own
 * (8743, 8744): `edit` rewrites its mkpkg.config.json.
 */
function onPort(name: string, edit: (service: Record<string, unknown>) => void): string {
  const dir = join(scratch('mkpkg-real-fx-'), name);
  cpSync(join(FIXTURES, name), dir, { recursive: true, verbatimSymlinks: true });
  const file = join(dir, 'mkpkg.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { services: Record<string, unknown>[] };
  edit(config.services[0]!);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return dir;
}

const REGISTRY_PORT = freePortSync();
const STATIC_PORT = freePortSync();

const PATTERNS: Pattern[] = [
  {
    name: 'registry-server', dir: () => onPort('registry-server', (s) => { s.environment = { PORT: String(REGISTRY_PORT) }; }),
    version: ['registry-server --version', /^2\.1\.0$/],
    service: { unit: 'registry-server.service', port: REGISTRY_PORT, path: '/-/ping', answer: /"ok":true,"version":"2\.1\.0"/ },
  },
  {
    name: 'static-server', dir: () => onPort('static-server', (s) => { s.command = `static-server /usr/lib/static-server/public --port ${STATIC_PORT}`; }),
    version: ['static-server --version', /^v0\.9\.3$/],
    service: { unit: 'static-server.service', port: STATIC_PORT, path: '/', answer: /Hello from static-server\./ },
  },
  { name: 'platform-binary', dir: platformBinaryProject, version: ['platform-binary --version', /^platform-binary 3\.0\.1 \(native\)$/] },
];

/** E: lines of lintian / rpmlint (untolerated or not: the raw count is compared). */
function lintErrors(pkg: string): string[] {
  const r = pkg.endsWith('.deb')
    ? spawnSync('lintian', ['--fail-on', 'none', pkg], { encoding: 'utf8' })
    : spawnSync('rpmlint', [pkg], { encoding: 'utf8', env: { ...process.env, HOME: scratch(), LC_ALL: 'C.UTF-8' } });
  return r.stdout.split('\n').filter((l) => (pkg.endsWith('.deb') ? /^E: /.test(l) : /: E: /.test(l)));
}

async function assertRuns(c: Container, p: Pattern): Promise<void> {
  assert.match(await shOut(c, p.version[0]), p.version[1]);
  if (!p.service) return;
  const st = await waitActive(c, p.service.unit);
  assert.equal(st.active, 'active', `${p.service.unit}${await journal(c, p.service.unit)}`);
  let body = '';
  await c.waitFor(async () => { try { body = await c.httpGet(p.service!.port, p.service!.path); return true; } catch { return false; } }, 15_000, 250);
  assert.match(body, p.service.answer, `GET ${p.service.path} on ${p.service.port}${await journal(c, p.service.unit)}`);
}

/** Nothing of the package is left: files, unit, launcher, running service. */
async function assertGone(c: Container, p: Pattern, kind: 'deb' | 'rpm'): Promise<void> {
  const query = kind === 'deb' ? `dpkg-query -W ${p.name} 2>/dev/null | grep -q .` : `rpm -q ${p.name} >/dev/null`;
  assert.equal((await c.sh(query)).code === 0, false, `${p.name} still installed`);
  const left = await shOut(c, `for f in /usr/lib/${p.name} /usr/bin/${p.name} /usr/sbin/${p.name}-ctl /usr/lib/systemd/system/${p.name}.service; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done; true`);
  assert.equal(left, '', `left behind after removal:\n${left}`);
  if (p.service) assert.notEqual((await waitInactive(c, p.service.unit)).active, 'active');
}

describe('lifecycle-e2e: real-project patterns installed, run and removed (deb and rpm)', function () {
  this.timeout(1_800_000);
  const built: Record<string, Record<string, string>> = {};
  let hello: Record<string, string>;
  const flow = new Flow();
  withContainer(flow, 'mkpkg-real-patterns', async () => {
    for (const p of PATTERNS) if (p.service) await assertPortFree(p.service.port);
    const out = scratch('mkpkg-real-out-');
    for (const p of PATTERNS) built[p.name] = buildFormats(p.dir(), out, 'deb,rpm');
    hello = buildFormats(join(FIXTURES, 'hello-service'), out, 'deb,rpm');
  });

  it('lintian and rpmlint find no more errors than in the minimal hello package', function () {
    requireTools(this, 'lintian', 'rpmlint');
    const base = { deb: lintErrors(hello.deb!).length, rpm: lintErrors(hello.rpm!).length };
    for (const p of PATTERNS) {
      for (const kind of ['deb', 'rpm'] as const) {
        const errors = lintErrors(built[p.name]![kind]!);
        assert.ok(errors.length <= base[kind], `${p.name}.${kind}: ${errors.length} errors, hello has ${base[kind]}:\n${errors.join('\n')}`);
      }
    }
  });

  for (const p of PATTERNS) {
    flow.step(`${p.name}.deb: dpkg -i, runs, dpkg -P leaves nothing`, async () => {
      await flow.c.execOk(['dpkg', '-i', await copyPackageIn(flow.c, built[p.name]!.deb!)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      await assertRuns(flow.c, p);
      await flow.c.execOk(['dpkg', '-P', p.name], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      await assertGone(flow.c, p, 'deb');
    });
    flow.step(`${p.name}.deb: apt-get install of the file, runs, apt-get purge`, async () => {
      const inside = await copyPackageIn(flow.c, built[p.name]!.deb!);
      await flow.c.execOk(['apt-get', 'install', '-y', inside], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      await assertRuns(flow.c, p);
      await flow.c.execOk(['apt-get', 'purge', '-y', p.name], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      await assertGone(flow.c, p, 'deb');
    });
    flow.step(`${p.name}.rpm: rpm -i, runs, rpm -e leaves nothing`, async () => {
      await flow.c.execOk(['rpm', '-i', '--nodeps', await copyPackageIn(flow.c, built[p.name]!.rpm!)]);
      await assertRuns(flow.c, p);
      await flow.c.execOk(['rpm', '-e', '--nodeps', p.name]);
      await assertGone(flow.c, p, 'rpm');
    });
  }
});
