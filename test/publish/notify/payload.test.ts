/**
 * The pure parts of notifications: which changelog entries count as "since the previous
 * release", Slack's size limits and escaping, Retry-After, CI detection, redaction of the URL
 * and options that refuse a URL without echoing it.
 */
import { strict as assert } from 'node:assert';
import { isMkpkgError } from '../../../src/errors.js';
import { parseDebianChangelog } from '../../../src/publish/package-file.js';
import { retryAfterMs } from '../../../src/publish/notify/deliver.js';
import { slackPayload } from '../../../src/publish/notify/payload.js';
import { entriesSince, type ReleaseSummary } from '../../../src/publish/notify/release.js';
import { detectCi } from '../../../src/publish/notify/runner-info.js';
import { redact } from '../../../src/publish/notify/secret.js';
import { checkNotifyOptions } from '../../../src/publish/notify/send.js';

const CHANGELOG = `app (1.2.0-1) unstable; urgency=medium

  * Faster start-up.
  * Fix the config reload,
    which used to leak a file descriptor.

 -- Ops <ops@example.com>  Tue, 14 Nov 2023 22:13:20 +0000

app (1.1.0-1) unstable; urgency=medium

  * Health endpoint.

 -- Ops <ops@example.com>  Mon, 13 Nov 2023 22:13:20 +0000

app (1.0.0-1) unstable; urgency=medium

  * Initial release.

 -- Ops <ops@example.com>  Sun, 12 Nov 2023 22:13:20 +0000
`;

describe('notify: release facts and payloads', () => {
  it('parses a Debian changelog and keeps the entries newer than the previous tag', () => {
    const entries = parseDebianChangelog(CHANGELOG);
    assert.deepEqual(entries.map((e) => e.version), ['1.2.0-1', '1.1.0-1', '1.0.0-1']);
    assert.deepEqual(entries[0]!.changes, ['Faster start-up.', 'Fix the config reload, which used to leak a file descriptor.']);
    assert.deepEqual(entriesSince(entries, 'v1.0.0').map((e) => e.version), ['1.2.0-1', '1.1.0-1']);
    assert.deepEqual(entriesSince(entries, '1.1.0').map((e) => e.version), ['1.2.0-1']);
    assert.deepEqual(entriesSince(entries, undefined).map((e) => e.version), ['1.2.0-1'], 'no previous release: the newest entry');
    assert.deepEqual(entriesSince(entries, 'release-2023').map((e) => e.version), ['1.2.0-1'], 'a tag that is not a version');
  });

  const summary = (n: number): ReleaseSummary => ({
    packages: Array.from({ length: n }, (_, i) => ({ name: `pkg${i}`, version: '1.0.0-1', arch: 'all', format: 'deb', file: `pkg${i}_1.0.0-1_all.deb`, size: 1, sha256: 'a'.repeat(64) })),
    destinations: [{ output: 'deploy', ok: true, location: 'web1 <&> web2' }],
    changes: { since: 'v0.9.0', changelog: [], commits: Array.from({ length: n }, (_, i) => ({ hash: `abc${i}`, subject: `change number ${i} <script>` })), commitsTruncated: true },
    ranBy: { user: 'alice', host: 'ci-1' },
    mkpkg: '0.1.0',
    time: '2023-11-14T22:13:20.000Z',
  });

  it('builds a Slack body within Slack\'s limits, with mrkdwn escaped, however many packages and commits', () => {
    const body = slackPayload(summary(400)) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] };
    assert.ok(body.blocks.length <= 50);
    const header = body.blocks[0]!.text!.text;
    assert.ok(header.length <= 150, `header ${header.length}`);
    for (const b of body.blocks) {
      if (b.text) assert.ok(b.text.text.length <= 3000, `${b.type} text ${b.text.text.length}`);
      for (const f of b.fields ?? []) assert.ok(f.text.length <= 2000, `field ${f.text.length}`);
    }
    assert.ok(body.text.length <= 3000);
    const all = JSON.stringify(body);
    assert.match(all, /… \d+ more/);
    assert.match(all, /web1 &lt;&amp;&gt; web2/);
    assert.doesNotMatch(all, /<script>/);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000 + 5_000).toUTCString(), 10_000), 5000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(null), undefined);
  });

  it('names the CI run from the known variables only', () => {
    assert.deepEqual(detectCi({ GITLAB_CI: 'true', CI_JOB_URL: 'https://gl.example/j/1', CI_PROJECT_PATH: 'acme/app', CI_COMMIT_SHA: 'abc', CI_JOB_TOKEN: 'secret-token' }),
      { provider: 'GitLab CI', url: 'https://gl.example/j/1', repository: 'acme/app', commit: 'abc' });
    assert.deepEqual(detectCi({ CI: 'true' }), { provider: 'CI' });
    assert.equal(detectCi({}), undefined);
    assert.equal(detectCi({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7\nInjected: yes' })?.url, 'https://github.com/a/b/actions/runs/7');
  });

  it('redacts the URL, its path, its tokens (also percent-encoded) and its host', () => {
    const secret = { url: new URL('https://hooks.example.com/services/T0AAA1/B0BBB2/xYzTokenTokenToken123'), source: '$HOOK' };
    const text = `POST https://hooks.example.com/services/T0AAA1/B0BBB2/xYzTokenTokenToken123 failed; path /services/T0AAA1/B0BBB2/xYzTokenTokenToken123; token xYzTokenTokenToken123; ${encodeURIComponent('/services/T0AAA1')}; getaddrinfo ENOTFOUND hooks.example.com; 2 services active`;
    const out = redact(text, secret);
    for (const s of ['xYzTokenTokenToken123', 'T0AAA1', 'B0BBB2', 'hooks.example.com']) assert.ok(!out.includes(s), `${s} in ${out}`);
    assert.match(out, /2 services active/, 'ordinary words stay');
  });

  it('refuses a url option without echoing it, and reports unknown keys by name only', () => {
    for (const opts of [{ url: 'https://hooks.example/T0SECRET/zz' }, { webhook: 'https://hooks.example/T0SECRET/zz' }]) {
      try {
        checkNotifyOptions(opts, 'notify()');
        assert.fail('accepted');
      } catch (e) {
        assert.ok(isMkpkgError(e) && e.code === 'E_NOTIFY_INVALID');
        assert.doesNotMatch((e as Error).message + (e as { hint?: string }).hint, /T0SECRET/);
      }
    }
    assert.throws(() => checkNotifyOptions({ urlEnv: 'A', urlFile: 'f' }, 'notify()'), /not both/);
    assert.throws(() => checkNotifyOptions({ format: 'teams' }, 'notify()'), (e: Error) => isMkpkgError(e) && !e.message.includes('"teams"'));
  });
});
