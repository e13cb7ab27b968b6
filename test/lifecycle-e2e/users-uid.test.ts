/**
 * Issue 4, system users with a fixed id (`users: [{ name, uid }]`, `groups: [{ name, gid }]`):
 * the id is used when it is free. When another account already has it, the scripts create the
 * account with a dynamic system id instead and say so on stderr: a fixed id is a wish (shared
 * storage, consistent hosts), and failing the install on a host where it is taken would be worse.
 * This follows the Fedora packaging recipe (`getent passwd UID || useradd -u UID …`).
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn, type Container } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { Flow, withContainer } from './support/flow.js';
import type { Built } from './support/packages.js';
import { buildProject, packageJson, writeProject } from './support/project.js';

const ID = 1234;

/** A package without services that only declares user and group NAME with uid and gid 1234. */
function project(name: string, out: string): Built {
  return buildProject(writeProject({
    'package.json': packageJson(name, '1.0.0'),
    'mkpkg.config.json': JSON.stringify({
      maintainer: 'Acme Ops <ops@acme.example>',
      app: false,
      users: [{ name, uid: ID, home: '/nonexistent' }],
      groups: [{ name, gid: ID }],
    }),
  }, `mkpkg-e2e-${name}-`), out);
}

let built: Promise<{ first: Built; second: Built }> | undefined;
function packagesOnce() {
  built ??= Promise.resolve().then(() => {
    const out = scratch('mkpkg-e2e-uid-out-');
    return { first: project('fixed-first', out), second: project('fixed-second', out) };
  });
  return built;
}

/** `getent DB NAME` → its third field (the numeric id). */
async function idOf(c: Container, db: 'passwd' | 'group', name: string): Promise<number> {
  const r = await c.exec(['getent', db, name]);
  assert.equal(r.code, 0, `getent ${db} ${name}: not found`);
  return Number(r.stdout.split(':')[2]);
}

for (const kind of ['deb', 'rpm'] as const) {
  describe(`a system user and group with a fixed uid/gid, through ${kind === 'deb' ? 'dpkg' : 'rpm --nodeps'}`, function () {
    this.timeout(600_000);
    const flow = new Flow();
    let pkgs: { first: Built; second: Built };
    withContainer(flow, `e2e-uid-${kind}`, async () => { pkgs = await packagesOnce(); });
    const install = async (b: Built) => flow.c.exec(
      kind === 'deb' ? ['dpkg', '-i', await copyPackageIn(flow.c, b.deb)] : ['rpm', '-i', '--nodeps', await copyPackageIn(flow.c, b.rpm)],
      { env: { DEBIAN_FRONTEND: 'noninteractive' } },
    );

    flow.step(`uid and gid ${ID} free: the user and group get exactly ${ID}`, async () => {
      assert.notEqual((await flow.c.exec(['getent', 'passwd', String(ID)])).code, 0, `uid ${ID} is free in the rootfs`);
      const r = await install(pkgs.first);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.equal(await idOf(flow.c, 'passwd', 'fixed-first'), ID);
      assert.equal(await idOf(flow.c, 'group', 'fixed-first'), ID);
    });

    flow.step(`uid and gid ${ID} taken: the install succeeds, warns on stderr, and the new user and group get dynamic system ids`, async () => {
      const r = await install(pkgs.second);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`fixed-second: uid ${ID} is taken; creating system user fixed-second with a dynamic uid`));
      assert.match(r.stderr, new RegExp(`fixed-second: gid ${ID} is taken; creating system group fixed-second with a dynamic gid`));
      const uid = await idOf(flow.c, 'passwd', 'fixed-second');
      const gid = await idOf(flow.c, 'group', 'fixed-second');
      for (const id of [uid, gid]) assert.ok(id > 0 && id < 1000 && id !== ID, `a dynamic system id, got ${id}`);
      assert.equal(await idOf(flow.c, 'passwd', 'fixed-first'), ID, 'the first user keeps its uid');
    });
  });
}
