import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDeb } from '../../../src/formats/deb/writer.js';
import { comparePaths, type PlanEntry } from '../../../src/plan/types.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { dataEntry } from './plan-from-tree.js';
import { EPOCH, PKG, VERSION, metadata, writeOptions } from './fixture.js';
import { run } from './tree-compare.js';

const TOLERATED = readFileSync(new URL('./lintian-tolerated.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.replace(/#.*/, '').trim())
  .filter(Boolean);

const owner = { owner: 'root', group: 'root', mtime: EPOCH, flags: {} };
const dir = (path: string): PlanEntry => ({ kind: 'dir', path, mode: 0o755, ...owner });

/** A small, well-formed package: a script in /usr/bin, a conffile, copyright and a Debian changelog. */
function smallPlan(): PlanEntry[] {
  const changelog = join(scratch(), 'changelog.Debian');
  writeFileSync(changelog, `${PKG} (${VERSION}) unstable; urgency=medium\n\n  * Initial release.\n\n -- Acme Ops <ops@acme.example>  Tue, 14 Nov 2023 22:13:20 +0000\n`);
  run('gzip', ['-9n', changelog]);
  const doc = `/usr/share/doc/${PKG}`;
  return [
    dir('/etc'), dir(`/etc/${PKG}`), dir('/usr'), dir('/usr/bin'), dir('/usr/share'), dir('/usr/share/doc'), dir(doc),
    { ...dataEntry(`/etc/${PKG}/config.json`, '{ "port": 8080 }\n'), flags: { config: true } },
    dataEntry(`/usr/bin/${PKG}`, '#!/bin/sh\necho hello\n', 0o755),
    dataEntry(`${doc}/copyright`, `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: ${PKG}\n\nFiles: *\nCopyright: 2023 Acme\nLicense: MIT\n`),
    { kind: 'file' as const, path: `${doc}/changelog.Debian.gz`, source: `${changelog}.gz`, size: statSync(`${changelog}.gz`).size, mode: 0o644, ...owner },
  ].sort((a, b) => comparePaths(a.path, b.path));
}

describe('formats/deb writer: lintian', function () {
  it('reports no E: tag and only tolerated W: tags on a small well-formed package', async function () {
    requireTools(this, 'lintian', 'gzip');
    const art = await writeDeb({ entries: smallPlan() }, metadata({ relations: {} }), {
      postinst: { body: `#!/bin/sh\nset -e\nif [ "$1" = configure ]; then\n  chmod 0644 /etc/${PKG}/config.json\nfi\n` },
    }, writeOptions(scratch()));
    const r = spawnSync('lintian', ['--fail-on', 'none', art.path], { encoding: 'utf8' });
    assert.equal(r.status, 0, `lintian failed to run: ${r.stderr}`);
    const tags = r.stdout.split('\n').map((l) => /^([EW]): \S+: (\S+)/.exec(l)).filter((m) => m !== null);
    assert.ok(r.stdout.trim() === '' || tags.length > 0, `unparsed lintian output:\n${r.stdout}`);
    const errors = tags.filter((m) => m[1] === 'E').map((m) => m[0]);
    const warnings = tags.filter((m) => m[1] === 'W' && !TOLERATED.includes(m[2]!)).map((m) => m[0]);
    assert.deepEqual(errors, [], `lintian errors:\n${r.stdout}`);
    assert.deepEqual(warnings, [], `lintian warnings not in lintian-tolerated.txt:\n${r.stdout}`);
  });
});
