/**
 * A monorepo's packages as a real system gets them: the workspaces build is published with
 * `mkpkg publish apt|yum`, and inside a booted systemd container `apt-get install METAPACKAGE` (then
 * `dnf install`) installs every app and each service answers on its port. After one app changes,
 * `--since` rebuilds that app and the metapackage only, and upgrading the metapackage upgrades that
 * app only: the other service keeps its MainPID.
 * Run under `flock /tmp/mkpkg-e2e.lock` (containers share the host network).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstallFromRepo, bootContainer, dnfInstallFromRepo, serveDirectory, type Container, type ServedDirectory } from '../../src/verify/index.js';
import { httpGetInside } from '../../src/verify/http-get.js';
import { mkpkgOk } from '../support/cli.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { testRootfs } from '../verify/fixtures.js';
import { buildWorkspacesJson, freePort, monorepoCopy, releaseApp, type WorkspacesJson } from './support.js';

const DEB_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const APPS = ['acme-api', 'acme-web'] as const;
const ALL = ['acme-api', 'acme-greeting', 'acme-stack', 'acme-web'];

/** An rpm providing what the Debian container has but its empty rpm database does not know (for dnf's solver). */
function depsStub(out: string): string {
  const dir = join(scratch('mkpkg-ws-stub-'), 'ws-deps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
    name: 'ws-deps', version: '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', license: 'MIT', app: false, arch: 'noarch',
    summary: 'Provides what the Debian test container has but its rpm database does not know',
    provides: ['/bin/sh', 'nodejs = 20.19.0', '/usr/bin/getent', '/usr/sbin/useradd', '/usr/sbin/groupadd'],
  }));
  const r = JSON.parse(mkpkgOk(['rpm', dir, '-o', out, '--json'])) as { artifacts: { path: string }[] };
  return r.artifacts[0]!.path;
}

describe('workspaces: a monorepo installed with apt and dnf in a booted container, upgraded with --since', function () {
  this.timeout(1_800_000);
  let c: Container;
  let ports: Record<(typeof APPS)[number], number>;
  let first: WorkspacesJson;
  let second: WorkspacesJson;
  let stub: string;
  const servers: ServedDirectory[] = [];
  const serve = async (dir: string) => { const s = await serveDirectory(dir); servers.push(s); return s.url; };
  const files = (r: WorkspacesJson, format: 'deb' | 'rpm') => r.artifacts.filter((a) => a.format === format).map((a) => a.path);

  before(async function () {
    const rootfs = await testRootfs(this);
    requireTools(this, 'git', 'npm', 'createrepo_c');
    this.timeout(900_000);
    ports = { 'acme-api': await freePort(), 'acme-web': await freePort() };
    const dir = monorepoCopy({ api: ports['acme-api'], web: ports['acme-web'] });
    const out = scratch('mkpkg-ws-out-');
    first = buildWorkspacesJson(dir, ['--formats', 'deb,rpm', '-o', join(out, 'v1')]);
    releaseApp(dir, 'api', '1.0.1', '1.0.1');
    second = buildWorkspacesJson(dir, ['--since', 'v1', '--formats', 'deb,rpm', '-o', join(out, 'v2')]);
    stub = depsStub(join(out, 'stub'));
    c = await bootContainer({ rootfs, name: 'workspaces' });
  });
  after(async () => {
    await c?.stop();
    for (const s of servers) await s.close();
  });

  /** Each app's unit is active and its HTTP endpoint answers with its name and version. */
  async function servicesAnswer(versions: Record<(typeof APPS)[number], string>): Promise<void> {
    for (const app of APPS) {
      let body = '';
      for (let i = 0; i < 60 && !body.includes(versions[app]); i++) {
        body = await httpGetInside(c, ports[app]).catch(() => '');
        if (!body.includes(versions[app])) await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal((await c.exec(['systemctl', 'is-active', app])).stdout.trim(), 'active', `${app} is not active`);
      assert.equal(body.trim(), `${app} ${versions[app]}: hello from ${app}`);
    }
  }
  const mainPid = async (unit: string) => Number((await c.exec(['systemctl', 'show', '-p', 'MainPID', '--value', unit])).stdout.trim());

  it('--since v1 after a release of acme-api rebuilds acme-api and the metapackage only', () => {
    assert.deepEqual(first.planned.map((p) => p.name).sort(), ['@acme/greeting', 'acme-api', 'acme-stack', 'acme-web']);
    assert.deepEqual(second.planned.map((p) => `${p.name}: ${p.reason}`), [
      'acme-api: changed files packages/api/package.json, packages/api/server.js',
      'acme-stack: members changed: acme-api',
    ]);
    assert.deepEqual(second.skipped.map((s) => s.name).sort(), ['@acme/greeting', 'acme-web']);
    assert.deepEqual(second.outside, ['mkpkg.config.json', 'package-lock.json']);
    assert.deepEqual(second.artifacts.map((a) => `${a.format} ${a.name} ${a.version}`).sort(), [
      'deb acme-api 1.0.1-1', 'deb acme-stack 1.0.1-1', 'rpm acme-api 1.0.1-1', 'rpm acme-stack 1.0.1-1',
    ]);
  });

  it('apt: installing the metapackage installs every app and runs each service; upgrading it upgrades acme-api only', async () => {
    const repo = scratch('mkpkg-ws-apt-');
    mkpkgOk(['publish', 'apt', repo, ...files(first, 'deb')]);
    const url = await serve(repo);
    await aptInstallFromRepo(c, url, 'stable', 'main', 'acme-stack', { name: 'ws' });
    const versions = async () => (await c.exec(['dpkg-query', '-W', '-f', '${Package} ${Version}\\n', ...ALL])).stdout.trim().split('\n').sort();
    assert.deepEqual(await versions(), ['acme-api 1.0.0-1', 'acme-greeting 1.0.0-1', 'acme-stack 1.0.0-1', 'acme-web 1.0.0-1']);
    await servicesAnswer({ 'acme-api': '1.0.0', 'acme-web': '1.0.0' });
    const before = { api: await mainPid('acme-api'), web: await mainPid('acme-web') };
    assert.ok(before.api > 0 && before.web > 0);

    mkpkgOk(['publish', 'apt', repo, ...files(second, 'deb')]);
    const apt = (args: string[]) => c.execOk(['apt-get', '-o', 'Dir::Etc::SourceList=/etc/apt/sources.list.d/ws.list', '-o', 'Dir::Etc::SourceParts=-', ...args], { env: DEB_ENV });
    await apt(['update', '--error-on=any']);
    await apt(['install', '--only-upgrade', '-y', 'acme-stack']);
    assert.deepEqual(await versions(), ['acme-api 1.0.1-1', 'acme-greeting 1.0.0-1', 'acme-stack 1.0.1-1', 'acme-web 1.0.0-1']);
    await servicesAnswer({ 'acme-api': '1.0.1', 'acme-web': '1.0.0' });
    assert.equal(await mainPid('acme-web'), before.web, 'acme-web was restarted by an upgrade that did not touch it');
    assert.notEqual(await mainPid('acme-api'), before.api, 'acme-api was not restarted on its upgrade');
    await apt(['purge', '-y', ...ALL]);
  });

  it('dnf: installing the metapackage installs every app and runs each service; upgrading it upgrades acme-api only', async () => {
    const repo = scratch('mkpkg-ws-yum-');
    mkpkgOk(['publish', 'yum', repo, ...files(first, 'rpm'), stub]);
    const url = await serve(repo);
    await dnfInstallFromRepo(c, `${url}/`, 'acme-stack', { name: 'ws' });
    const versions = async () => (await c.exec(['rpm', '-q', '--qf', '%{NAME} %{VERSION}-%{RELEASE}\\n', ...ALL])).stdout.trim().split('\n').sort();
    assert.deepEqual(await versions(), ['acme-api 1.0.0-1', 'acme-greeting 1.0.0-1', 'acme-stack 1.0.0-1', 'acme-web 1.0.0-1']);
    await servicesAnswer({ 'acme-api': '1.0.0', 'acme-web': '1.0.0' });
    const before = { api: await mainPid('acme-api'), web: await mainPid('acme-web') };

    mkpkgOk(['publish', 'yum', repo, ...files(second, 'rpm')]);
    await c.execOk(['dnf', '-y', '--refresh', '--releasever=1', '--repo=ws', 'upgrade', 'acme-stack']);
    assert.deepEqual(await versions(), ['acme-api 1.0.1-1', 'acme-greeting 1.0.0-1', 'acme-stack 1.0.1-1', 'acme-web 1.0.0-1']);
    await servicesAnswer({ 'acme-api': '1.0.1', 'acme-web': '1.0.0' });
    assert.equal(await mainPid('acme-web'), before.web, 'acme-web was restarted by an upgrade that did not touch it');
    assert.notEqual(await mainPid('acme-api'), before.api, 'acme-api was not restarted on its upgrade');
  });
});
