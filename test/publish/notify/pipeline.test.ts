/**
 * `notify({...})` as a config output: it runs in the notify step after the publish outputs and
 * announces where they put the packages; a failed delivery warns (the build succeeds) unless
 * `required: true`; the URL is never an option and never printed.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mkpkgAsync, type CliResult } from '../../support/cli.js';
import { scratch } from '../../support/tmp.js';
import { tinyProject } from '../../pipeline/support.js';
import { startReceiver, type Receiver } from './receiver.js';

describe('notify({...}) output in the pipeline', function () {
  this.timeout(120_000);
  let rx: Receiver | undefined;
  afterEach(async () => { await rx?.close(); rx = undefined; });

  const project = (notifyOptions: string) => tinyProject(
    `outputs: [aptRepository({ dir: process.env.REPO_DIR! }), notify(${notifyOptions})],`, {}, 'aptRepository, defineConfig, notify');
  const noSecret = (r: CliResult, receiver: Receiver) => {
    for (const s of receiver.secrets) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `output contains ${s}:\n${r.stdout}\n${r.stderr}`);
  };

  it('announces the built package and the repository the publish step put it in', async () => {
    rx = await startReceiver([{ status: 200 }]);
    const repo = join(scratch('mkpkg-notify-repo-'), 'repo');
    const r = await mkpkgAsync(['deb', project("{ format: 'generic', urlEnv: 'HOOK' }"), '-o', scratch(), '--verbose'], { env: { HOOK: rx.url, REPO_DIR: repo } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    noSecret(r, rx);
    assert.match(r.stderr, /^notify: delivered to the webhook in \$HOOK \(generic\)$/m);
    assert.equal(rx.requests.length, 1);
    const body = JSON.parse(rx.requests[0]!.body) as { packages: { name: string; version: string }[]; destinations: { output: string; location: string; detail: string }[] };
    assert.deepEqual(body.packages.map((p) => `${p.name} ${p.version}`), ['tiny 1.2.3-1']);
    assert.deepEqual(body.destinations.map((d) => [d.output, d.location]), [['apt-repository', repo]]);
    assert.match(body.destinations[0]!.detail, /1 added/);
  });

  it('a failed delivery is a warning and the build succeeds; with required: true it fails the build (E_NOTIFY_FAILED)', async () => {
    rx = await startReceiver([{ status: 500 }]);
    const out = scratch();
    const soft = await mkpkgAsync(['deb', project("{ urlEnv: 'HOOK', retries: 1 }"), '-o', out, '--verbose'], { env: { HOOK: rx.url, REPO_DIR: join(out, 'repo') } });
    assert.equal(soft.status, 0, soft.stderr);
    noSecret(soft, rx);
    assert.equal(rx.requests.length, 2);
    assert.match(soft.stderr, /^warning W_NOTIFY_FAILED: E_NOTIFY_FAILED: the notification to the webhook in \$HOOK failed after 2 attempts: HTTP 500/m);
    assert.ok(readdirSync(out).some((f) => f.endsWith('.deb')));
    const hard = await mkpkgAsync(['deb', project("{ urlEnv: 'HOOK', retries: 0, required: true }"), '-o', scratch(), '--verbose'], { env: { HOOK: rx.url, REPO_DIR: join(out, 'repo2') } });
    assert.equal(hard.status, 1, hard.stderr);
    noSecret(hard, rx);
    assert.match(hard.stderr, /^error E_NOTIFY_FAILED: .*HTTP 500.* \(step notify\)$/m);
  });

  it('refuses a URL written into the config, without printing it', async () => {
    const out = scratch();
    const r = await mkpkgAsync(['deb', project("{ url: 'https://hooks.example/services/T0SECRET01/zXq9TokenOfTheHook4242abcd' } as never"), '-o', out], { env: { REPO_DIR: join(scratch(), 'repo') } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /E_NOTIFY_INVALID|E_CONFIG_LOAD/);
    assert.match(r.stderr, /the webhook URL cannot be an option/);
    assert.ok(!r.stderr.includes('zXq9TokenOfTheHook4242abcd') && !r.stderr.includes('T0SECRET01'), r.stderr);
    assert.deepEqual(readdirSync(out), [], 'refused when the config loads, before anything is built');
  });
});
