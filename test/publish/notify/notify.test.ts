/**
 * `mkpkg notify` against a real HTTP receiver on loopback: the payload's fields (Slack and
 * generic), retries after a 500 and after a 429 with Retry-After, a timeout, warn-or-fail by
 * `--required`, and the webhook URL (a secret) in no output, error or --verbose line.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkpkgAsync, type CliResult } from '../../support/cli.js';
import { scratch } from '../../support/tmp.js';
import { requireTools } from '../../support/tools.js';
import { helloService } from '../deploy/fixtures.js';
import { startReceiver, type Answer, type Receiver } from './receiver.js';

interface SlackBody { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] }

const CI_ENV = {
  CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/hello-service', GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_SHA: '0123456789abcdef', GITHUB_REF_NAME: 'main', GITHUB_ACTOR: 'alice',
};

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

describe('mkpkg notify (a real HTTP receiver)', function () {
  this.timeout(120_000);
  let pkgs: { deb: string; rpm: string };
  let repo: string;
  let rx: Receiver | undefined;

  before(function () {
    requireTools(this, 'git');
    pkgs = helloService('1.1.0');
    repo = scratch('mkpkg-notify-git-');
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'a.txt'), '1\n');
    git(repo, 'add', '.'); git(repo, 'commit', '-qm', 'Initial release'); git(repo, 'tag', 'v1.0.0');
    writeFileSync(join(repo, 'a.txt'), '2\n');
    git(repo, 'commit', '-qam', 'Fix the greeting <b>&</b>');
    writeFileSync(join(repo, 'a.txt'), '3\n');
    git(repo, 'commit', '-qam', 'Add a health endpoint');
    git(repo, 'tag', 'v1.1.0');
  });
  afterEach(async () => { await rx?.close(); rx = undefined; });

  /** Run mkpkg notify against a fresh receiver; every output is checked for the URL's secrets. */
  async function notify(answers: Answer[], args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ r: CliResult; rx: Receiver }> {
    rx = await startReceiver(answers);
    const r = await mkpkgAsync(['notify', pkgs.deb, pkgs.rpm, '--dir', repo, ...args], { env: { MKPKG_WEBHOOK_URL: rx.url, ...CI_ENV, ...env } });
    for (const s of rx.secrets) {
      assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `output contains the secret ${JSON.stringify(s)}:\n${r.stdout}\n${r.stderr}`);
    }
    return { r, rx };
  }

  it('posts Slack-compatible JSON: packages, where they went, changes since the previous tag, checksums, who ran it', async () => {
    const { r, rx } = await notify([{ status: 200 }], ['--repository', 'https://apt.acme.example', '--host', 'web1', '--host', 'web2']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /delivered to the webhook in \$MKPKG_WEBHOOK_URL \(slack\)/);
    assert.equal(rx.requests.length, 1);
    const req = rx.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.match(String(req.headers['content-type']), /^application\/json/);
    assert.match(String(req.headers['user-agent']), /^mkpkg\/\d/);
    const body = JSON.parse(req.body) as SlackBody;
    assert.equal(body.text, 'Released hello-service 1.1.0-1 to https://apt.acme.example; web1, web2');
    const all = JSON.stringify(body.blocks);
    assert.equal(body.blocks[0]!.type, 'header');
    const fields = body.blocks[1]!.fields!.map((f) => f.text).join('\n');
    assert.match(fields, /hello-service 1\.1\.0-1 \(deb all\)/);
    assert.match(fields, /hello-service 1\.1\.0-1 \(rpm noarch\)/);
    assert.match(fields, /repository: https:\/\/apt\.acme\.example/);
    assert.match(fields, /deploy: web1, web2/);
    const changes = body.blocks.find((b) => b.text?.text.startsWith('*Changes'))!.text!.text;
    assert.match(changes, /^\*Changes since v1\.0\.0\*/);
    assert.match(changes, /Fix the greeting &lt;b&gt;&amp;&lt;\/b&gt;/, 'mrkdwn control characters are escaped');
    assert.match(changes, /Add a health endpoint/);
    assert.doesNotMatch(changes, /Initial release/);
    assert.match(changes, /hello-service 1\.1\.0-1: Package hello-service 1\.1\.0, built by mkpkg\./, 'the package changelog entry');
    const sha = (f: string) => spawnSync('sha256sum', [f], { encoding: 'utf8' }).stdout.split(' ')[0]!;
    assert.ok(all.includes(sha(pkgs.deb)) && all.includes(sha(pkgs.rpm)), 'both checksums');
    const context = body.blocks.at(-1)!.elements![0]!.text;
    assert.match(context, /^by \S+ on \S+ · GitHub Actions <https:\/\/github\.example\/acme\/hello-service\/actions\/runs\/4242\|run> acme\/hello-service@main by alice · mkpkg \d/);
  });

  it('--format generic posts the release summary as plain JSON', async () => {
    const { r, rx } = await notify([{ status: 204 }], ['--format', 'generic', '--host', 'web1']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const body = JSON.parse(rx.requests[0]!.body) as Record<string, any>;
    assert.equal(body.event, 'release');
    assert.deepEqual(body.packages.map((p: { file: string; format: string }) => [p.file, p.format]), [['hello-service_1.1.0-1_all.deb', 'deb'], ['hello-service-1.1.0-1.noarch.rpm', 'rpm']]);
    assert.match(body.packages[0].sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(body.destinations, [{ output: 'deploy', ok: true, location: 'web1' }]);
    assert.equal(body.changes.since, 'v1.0.0');
    assert.deepEqual(body.changes.commits.map((c: { subject: string }) => c.subject), ['Add a health endpoint', 'Fix the greeting <b>&</b>']);
    assert.equal(body.ranBy.ci.provider, 'GitHub Actions');
    assert.equal(body.ranBy.ci.commit, '0123456789abcdef');
  });

  it('retries after a 500, and after a 429 waits the Retry-After the receiver asked for', async () => {
    const five = await notify([{ status: 500 }, { status: 200 }], ['--verbose']);
    assert.equal(five.r.status, 0, five.r.stderr);
    assert.equal(five.rx.requests.length, 2);
    assert.match(five.r.stderr, /notify: attempt 1: HTTP 500 "error"; retrying in 1\.0 s/);
    assert.match(five.r.stdout, /after 2 attempts/);
    await rx!.close();
    const many = await notify([{ status: 429, headers: { 'retry-after': '3' } }, { status: 200 }], ['--verbose']);
    assert.equal(many.r.status, 0, many.r.stderr);
    assert.equal(many.rx.requests.length, 2);
    assert.match(many.r.stderr, /attempt 1: HTTP 429 "error"; retrying in 3\.0 s \(Retry-After\)/);
    // A lower bound only: the backoff alone would have retried after 1 s.
    assert.ok(many.rx.requests[1]!.at - many.rx.requests[0]!.at >= 2900, `retried after ${many.rx.requests[1]!.at - many.rx.requests[0]!.at} ms`);
  });

  it('gives up after a bounded number of timed-out attempts: a warning (exit 0), or E_NOTIFY_FAILED with --required', async () => {
    const soft = await notify(['hang'], ['--timeout', '1', '--retries', '1', '--verbose']);
    assert.equal(soft.r.status, 0, soft.r.stderr);
    assert.equal(soft.rx.requests.length, 2);
    assert.match(soft.r.stderr, /^warning W_NOTIFY_FAILED: E_NOTIFY_FAILED: the notification to the webhook in \$MKPKG_WEBHOOK_URL failed after 2 attempts: timed out/m);
    await rx!.close();
    const hard = await notify(['hang'], ['--timeout', '1', '--retries', '0', '--required']);
    assert.equal(hard.r.status, 1, hard.r.stderr);
    assert.equal(hard.rx.requests.length, 1);
    assert.match(hard.r.stderr, /^error E_NOTIFY_FAILED: .*failed after 1 attempt: timed out/m);
  });

  it('reads only the start of an error response: a 500 whose body never ends is reported with its first bytes, not waited out to the timeout', async () => {
    const r = await notify(['endless'], ['--timeout', '60', '--retries', '0']);
    assert.equal(r.r.status, 0, r.r.stderr);
    assert.equal(r.rx.requests.length, 1);
    assert.match(r.r.stderr, /^warning W_NOTIFY_FAILED: .*failed after 1 attempt: HTTP 500 "x{300}"$/m);
  });

  it('never prints the URL: not in errors echoing it, --verbose, --json, an invalid URL, a URL file, or a missing one', async () => {
    // The receiver answers 404 with its own URL in the body.
    const echo = await notify([{ status: 404, body: 'no such hook: {url}' }], ['--verbose', '--json', '--required']);
    assert.equal(echo.r.status, 1);
    assert.match(echo.r.stderr, /^error E_NOTIFY_FAILED: .*failed after 1 attempt: HTTP 404 "no such hook: \*\*\*"/m, '404 is not retried; the echoed URL is redacted');
    await rx!.close();

    const down = await notify([{ status: 503 }], ['--retries', '1', '--verbose', '--json']);
    assert.equal(down.r.status, 0);
    assert.equal(JSON.parse(down.r.stdout).delivered, false);
    await rx!.close();

    const file = join(scratch('mkpkg-notify-url-'), 'hook-url');
    rx = await startReceiver([{ status: 200 }]);
    writeFileSync(file, `${rx.url}\n`);
    const viaFile = await mkpkgAsync(['notify', pkgs.deb, '--dir', repo, '--url-file', file, '--verbose', '--json'], { env: { MKPKG_WEBHOOK_URL: '' } });
    assert.equal(viaFile.status, 0, viaFile.stderr);
    assert.equal(rx.requests.length, 1);
    assert.equal(JSON.parse(viaFile.stdout).source, `file ${file}`);
    for (const s of rx.secrets) assert.ok(!viaFile.stdout.includes(s) && !viaFile.stderr.includes(s), `leaked ${s}`);

    const bad = await mkpkgAsync(['notify', pkgs.deb, '--dir', repo, '--url-env', 'HOOK', '--required'], { env: { HOOK: 'hooks.example/T0SECRET01/zXq9TokenOfTheHook4242abcd' } });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error E_NOTIFY_INVALID: the webhook URL in \$HOOK is not an http\(s\) URL/m);
    assert.ok(!bad.stderr.includes('T0SECRET01') && !bad.stderr.includes('zXq9TokenOfTheHook4242abcd'));

    const missing = await mkpkgAsync(['notify', pkgs.deb, '--dir', repo], { env: { MKPKG_WEBHOOK_URL: '' } });
    assert.equal(missing.status, 0, 'a missing URL warns unless --required');
    assert.match(missing.stderr, /^warning W_NOTIFY_FAILED: E_NOTIFY_INVALID: no webhook URL: \$MKPKG_WEBHOOK_URL is not set/m);
    const required = await mkpkgAsync(['notify', pkgs.deb, '--dir', repo, '--required'], { env: { MKPKG_WEBHOOK_URL: '' } });
    assert.equal(required.status, 1);
    assert.match(required.stderr, /^error E_NOTIFY_INVALID: no webhook URL/m);
  });

  it('--dry-run prints the payload and sends nothing, without any URL; an .rpm\'s changelog comes from its header', async () => {
    const r = await mkpkgAsync(['notify', pkgs.rpm, '--dir', repo, '--dry-run', '--format', 'generic'], { env: { MKPKG_WEBHOOK_URL: '' } });
    assert.equal(r.status, 0, r.stderr);
    const body = JSON.parse(r.stdout) as { event: string; changes: { changelog: unknown[] } };
    assert.equal(body.event, 'release');
    assert.deepEqual(body.changes.changelog, [{ package: 'hello-service', version: '1.1.0-1', changes: ['Package hello-service 1.1.0-1 built by mkpkg'] }]);
  });
});
