/** dnf resolves, installs and upgrades the written packages from a yum repository made by createrepo_c. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RPMSENSE } from '../../../src/config/resolved.js';
import { requireTools } from '../../support/tools.js';
import { build, data, dnfRepo, metaOf, planOf } from './helpers.js';

describe('rpm writer: dnf from a createrepo_c repository', function () {
  this.timeout(1_800_000);
  before(function () { requireTools(this, 'dnf', 'createrepo_c', 'rpm'); });

  it('dnf installs the package with its dependency, then upgrades it after the repo is refreshed', async () => {
    const { root, add, createrepo, updateRepo, dnf, installed } = dnfRepo();

    // An empty install root cannot provide /bin/sh, which the scriptlets require: a stub provides it.
    add((await build({ entries: [] }, metaOf({ name: 'sh-stub', relations: { provides: [{ name: '/bin/sh', flags: 0, version: '' }] } }))).path);
    add((await build(planOf(data('/usr/lib/libping/lib.txt', 'lib\n')), metaOf({ name: 'libping', version: '2.0' }))).path);
    const scripts = { post: { body: 'echo post\n' }, preun: { body: 'echo preun\n' } };
    const requires = [{ name: 'libping', flags: RPMSENSE.GREATER | RPMSENSE.EQUAL, version: '2' }];
    add((await build(planOf(data('/usr/lib/ping-svc/server.js', 'v1\n')), metaOf({ relations: { requires } }), scripts, { compression: 'zstd', level: 3 })).path);
    createrepo();

    const r1 = dnf('install', 'ping-svc');
    assert.equal(r1.status, 0, r1.stdout + r1.stderr);
    assert.equal(installed('ping-svc'), 'ping-svc-1.0.0-1.noarch');
    assert.equal(installed('libping'), 'libping-2.0-1.noarch', 'the dependency was resolved from the repo');
    assert.equal(readFileSync(join(root, 'usr/lib/ping-svc/server.js'), 'utf8'), 'v1\n');

    add((await build(planOf(data('/usr/lib/ping-svc/server.js', 'v2\n')), metaOf({ version: '1.1.0', relations: { requires } }), scripts, { compression: 'xz', level: 1 })).path);
    updateRepo();
    const r2 = dnf('upgrade', 'ping-svc');
    assert.equal(r2.status, 0, r2.stdout + r2.stderr);
    assert.equal(installed('ping-svc'), 'ping-svc-1.1.0-1.noarch');
    assert.equal(readFileSync(join(root, 'usr/lib/ping-svc/server.js'), 'utf8'), 'v2\n');

    const r3 = dnf('remove', 'ping-svc');
    assert.equal(r3.status, 0, r3.stdout + r3.stderr);
    assert.match(installed('ping-svc'), /not installed/);
  });
});
