/**
 * Golden files for what a build generates, beyond the lifecycle's default sample: the
 * `mkpkg build --dry-run` report (metadata line, every plan entry, maintainer scripts, generated
 * units) of small projects covering several services with hooks and users, per-format overrides and
 * a package without services. Refresh deliberately after a change to templates or planning:
 *
 *   UPDATE_GOLDEN=1 npx mocha test/golden/packages.test.ts   (or: npm run golden:update)
 *
 * and review the diff of test/golden/packages/ before committing it.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkpkg } from '../support/cli.js';
import { assertGolden } from '../support/golden.js';
import { scratch } from '../support/tmp.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'packages');
const MAINTAINER = 'Acme Ops <ops@acme.example>';
const HOOK = (what: string) => `#!/bin/sh\necho ${what}\n`;

/** A sample project: its mkpkg.config.json and the files it names. */
interface Sample {
  config: Record<string, unknown>;
  files: Record<string, string>;
}

/** The keys every sample sets alike: a maintainer, no app, `Architecture: all`, a one-line description. */
function sampleConfig(name: string, version: string, license: string, summary: string, rest: Record<string, unknown>): Record<string, unknown> {
  return { name, version, maintainer: MAINTAINER, license, arch: 'all', app: false, summary, description: 'Golden-file sample.', ...rest };
}

const SAMPLES: Record<string, Sample> = {
  /** Two services (one named "NAME.service"), two users sharing a group, boot hooks, a conffile. */
  'two-services-hooks-users': {
    config: sampleConfig('acme-web', '2.1.0', 'MIT', 'Two services with hooks and users', {
      contents: [{ src: 'config/web.json', dst: '/etc/acme-web/web.json', type: 'config-noreplace' }],
      users: [{ name: 'acme-web', home: '/var/lib/acme-web' }, { name: 'acme-worker', group: 'acme-web' }],
      services: [
        { name: 'acme-web', command: '/usr/bin/env true', user: 'acme-web', environment: { PORT: '8080' } },
        { name: 'acme-worker.service', command: '/usr/bin/env true', user: 'acme-worker', group: 'acme-web', onUpgrade: 'stop-start', environmentFile: false },
      ],
      bootHooks: { 'pre-start': ['hooks/10-migrate.sh'], 'post-upgrade': ['hooks/50-notify.sh'] },
    }),
    files: { 'config/web.json': '{ "port": 8080 }\n', 'hooks/10-migrate.sh': HOOK('migrate'), 'hooks/50-notify.sh': HOOK('notify') },
  },
  /** Per-format overrides (rpm name, group and requires; deb depends), an rpm-only file and an rpm script fragment. */
  'format-overrides': {
    config: sampleConfig('acme-tool', '0.9.0-rc.1', 'Apache-2.0', 'Per-format overrides', {
      contents: [
        { src: 'share/readme.txt', dst: '/usr/share/acme-tool/readme.txt' },
        { src: 'share/el.txt', dst: '/usr/share/acme-tool/el.txt', packager: 'rpm' },
      ],
      services: [{ name: 'acme-tool', command: '/usr/bin/env true', onUpgrade: 'keep-running', failOnStartError: true }],
      scripts: { rpm: { post: 'scripts/rpm-post.sh' } },
      overrides: {
        rpm: { name: 'acme-tool-el', group: 'Applications/System', depends: ['nodejs >= 18'] },
        deb: { depends: ['nodejs (>= 18)'], section: 'admin' },
      },
    }),
    files: { 'share/readme.txt': 'readme\n', 'share/el.txt': 'el only\n', 'scripts/rpm-post.sh': 'echo "rpm post fragment"\n' },
  },
  /** Files only: no services, no users, no launcher. */
  'files-only': {
    config: sampleConfig('acme-data', '1.0.0', 'MIT', 'Files only', {
      contents: [
        { src: 'data/a.txt', dst: '/usr/share/acme-data/a.txt' },
        { dst: '/usr/share/acme-data/link', src: 'a.txt', type: 'symlink' },
        { dst: '/var/lib/acme-data', type: 'dir', mode: '0750' },
      ],
    }),
    files: { 'data/a.txt': 'a\n' },
  },
};

function writeSample(s: Sample): string {
  const dir = scratch('mkpkg-golden-');
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'mkpkg.config.json'), `${JSON.stringify(s.config, null, 2)}\n`);
  for (const [rel, text] of Object.entries(s.files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text, { mode: rel.startsWith('hooks/') ? 0o755 : 0o644 });
  }
  return dir;
}

describe('golden: the dry-run report of sample projects', function () {
  this.timeout(120_000);

  for (const [name, sample] of Object.entries(SAMPLES)) {
    for (const format of ['deb', 'rpm'] as const) {
      it(`${name} (${format})`, () => {
        const dir = writeSample(sample);
        const r = mkpkg(['build', dir, '--formats', format, '--dry-run']);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(!r.stdout.includes(dir), 'the report holds no scratch path');
        assertGolden(GOLDEN, `${name}.${format}.txt`, r.stdout);
      });
    }
  }
});
