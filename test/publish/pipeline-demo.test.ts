/**
 * The pipeline-demo fixture end to end: the CLI runs compile → verify → stage → build-info →
 * package → publish (signed apt repository); the real apt inside a booted systemd container
 * installs it from the served repository and the compiled service runs.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { aptInstallFromRepo, bootContainer, serveDirectory, type Container, type ServedDirectory } from '../../src/verify/index.js';
import { requireTools } from '../support/tools.js';
import { freePort } from '../support/ports.js';
import { scratch } from '../support/tmp.js';
import { testRootfs } from '../verify/fixtures.js';
import { cliOk, copyFixture, run } from '../pipeline/support.js';
import { newKey } from './support.js';

describe('pipeline-demo: compile → stage → custom step → .deb → signed apt repository → apt install', function () {
  this.timeout(900_000);
  let c: Container | undefined;
  let srv: ServedDirectory | undefined;
  after(async () => { await c?.stop(); await srv?.close(); });

  it('builds with the CLI and installs from the served repository with apt in a booted container', async function () {
    const rootfs = await testRootfs(this);
    requireTools(this, 'gpg', 'dpkg-deb');
    const key = newKey('demo');
    const dir = copyFixture('pipeline-demo');
    const repo = join(scratch(), 'repo');
    const out = scratch();
    const port = await freePort();
    const r = cliOk(['deb', dir, '-o', out, '--verbose'], { REPO_DIR: repo, REPO_KEY: key.secret, GIT_COMMIT: 'abc123', PIPELINE_DEMO_PORT: String(port) });
    const steps = r.stderr.split('\n').filter((l) => /^step \S+$/.test(l)).map((l) => l.slice(5));
    assert.deepEqual(steps, ['load', 'compile', 'verify', 'stage', 'build-info', 'package', 'publish', 'notify']);
    assert.match(r.stderr, /^apt-repository: .* \(1 added, 1 in stable\/main \[amd64 arm64\], signed\)$/m);

    const pooled = join(repo, 'pool/main/p/pipeline-demo/pipeline-demo_1.0.0-1_all.deb');
    const listing = run('dpkg-deb', ['-c', pooled]);
    assert.match(listing, /\.\/usr\/lib\/pipeline-demo\/dist\/app\.js\n/);
    assert.match(listing, /\.\/usr\/share\/pipeline-demo\/build-info\.json\n/);

    srv = await serveDirectory(repo);
    c = await bootContainer({ rootfs, name: 'pipedemo' });
    await aptInstallFromRepo(c, srv.url, 'stable', 'main', 'pipeline-demo', { keyFile: key.pub, name: 'acme-demo' });
    assert.ok(await c.waitFor(async () => (await c!.unitState('pipeline-demo.service')).active === 'active'), c.log());
    let body = '';
    assert.ok(await c.waitFor(async () => { body = await c!.httpGet(port).catch(() => ''); return body !== ''; }), `service answers on ${port}`);
    const answer = JSON.parse(body) as { name: string; version: string; compiled: boolean };
    assert.deepEqual({ name: answer.name, version: answer.version, compiled: answer.compiled }, { name: 'pipeline-demo', version: '1.0.0', compiled: true });
    assert.deepEqual(JSON.parse(await c.readFile('/usr/share/pipeline-demo/build-info.json')), { built: 1700000000, git: 'abc123' });
  });
});
