/** dnf resolves, installs and upgrades the written packages from a yum repository made by createrepo_c. */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RPMSENSE } from '../../../src/config/resolved.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { build, data, metaOf, ok, planOf, run } from './helpers.js';

describe('rpm writer: dnf from a createrepo_c repository', function () {
  this.timeout(600_000);
  before(function () { requireTools(this, 'dnf', 'createrepo_c', 'rpm'); });

  it('dnf installs the package with its dependency, then upgrades it after the repo is refreshed', async () => {
    const repo = scratch('mkpkg-yum-');
    const root = scratch('mkpkg-dnfroot-');
    const home = scratch('mkpkg-dnfhome-');
    writeFileSync(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
    const env = { HOME: home };
    const add = (path: string) => copyFileSync(path, join(repo, basename(path)));

    // An empty install root cannot provide /bin/sh, which the scriptlets require: a stub provides it.
    add((await build({ entries: [] }, metaOf({ name: 'sh-stub', relations: { provides: [{ name: '/bin/sh', flags: 0, version: '' }] } }))).path);
    add((await build(planOf(data('/usr/lib/libping/lib.txt', 'lib\n')), metaOf({ name: 'libping', version: '2.0' }))).path);
    const scripts = { post: { body: 'echo post\n' }, preun: { body: 'echo preun\n' } };
    const requires = [{ name: 'libping', flags: RPMSENSE.GREATER | RPMSENSE.EQUAL, version: '2' }];
    add((await build(planOf(data('/usr/lib/ping-svc/server.js', 'v1\n')), metaOf({ relations: { requires } }), scripts, { compression: 'zstd', level: 3 })).path);
    ok('createrepo_c', ['--quiet', repo], { env });

    const dnf = (...args: string[]) => run('dnf', ['-y', '--refresh', `--installroot=${root}`, '--releasever=40', `--repofrompath=local,file://${repo}`,
      '--repo=local', '--setopt=gpgcheck=0', '--setopt=tsflags=noscripts', '--setopt=install_weak_deps=False', ...args], { env });
    const installed = (name: string) => run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-q', name], { env }).stdout.trim();

    const r1 = dnf('install', 'ping-svc');
    assert.equal(r1.status, 0, r1.stdout + r1.stderr);
    assert.equal(installed('ping-svc'), 'ping-svc-1.0.0-1.noarch');
    assert.equal(installed('libping'), 'libping-2.0-1.noarch', 'the dependency was resolved from the repo');
    assert.equal(readFileSync(join(root, 'usr/lib/ping-svc/server.js'), 'utf8'), 'v1\n');

    add((await build(planOf(data('/usr/lib/ping-svc/server.js', 'v2\n')), metaOf({ version: '1.1.0', relations: { requires } }), scripts, { compression: 'xz', level: 1 })).path);
    mkdirSync(join(repo, 'repodata'), { recursive: true });
    ok('createrepo_c', ['--quiet', '--update', repo], { env });
    const r2 = dnf('upgrade', 'ping-svc');
    assert.equal(r2.status, 0, r2.stdout + r2.stderr);
    assert.equal(installed('ping-svc'), 'ping-svc-1.1.0-1.noarch');
    assert.equal(readFileSync(join(root, 'usr/lib/ping-svc/server.js'), 'utf8'), 'v2\n');

    const r3 = dnf('remove', 'ping-svc');
    assert.equal(r3.status, 0, r3.stdout + r3.stderr);
    assert.match(installed('ping-svc'), /not installed/);
  });
});
