/** rpmlint on the written packages: no errors beyond the tolerated list. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireTools } from '../../support/tools.js';
import { build, data, metaOf, planOf, run } from './helpers.js';
import { richFixture } from './fixtures.js';

/** Check names from rpmlint-tolerated.txt (`check-name  # reason`). */
function tolerated(): Set<string> {
  const text = readFileSync(fileURLToPath(new URL('./rpmlint-tolerated.txt', import.meta.url)), 'utf8');
  return new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
}

/** rpmlint's error lines (`pkg.arch: E: check-name details`) as [check, line]. */
function lintErrors(pkg: string): [string, string][] {
  const r = run('rpmlint', [pkg]);
  assert.match(r.stdout, /1 packages and 0 specfiles checked/, `rpmlint did not run:\n${r.stdout}${r.stderr}`);
  return r.stdout.split('\n').flatMap((l) => {
    const m = /^\S+: E: (\S+)/.exec(l);
    return m ? [[m[1], l] as [string, string]] : [];
  });
}

describe('rpm writer: rpmlint', function () {
  before(function () { requireTools(this, 'rpmlint'); });

  it('the tolerated list is not empty and every entry has a reason', () => {
    const lines = readFileSync(fileURLToPath(new URL('./rpmlint-tolerated.txt', import.meta.url)), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    assert.ok(lines.length > 0);
    for (const l of lines) assert.match(l, /^\S+\s+#\s*\S/, `"${l}" needs a # reason`);
  });

  const cases = {
    'a service package with configs, docs, a licence, a ghost, scripts and relations': async () => {
      // (named pingd: rpmlint reads a "-svc" suffix as a language code and wants a locales-svc dependency)
      const fx = richFixture('pingd');
      return build(fx.plan, fx.meta, fx.scripts, { compression: 'xz', level: 2 });
    },
    'a metapackage with no files': async () => build({ entries: [] }, metaOf({ name: 'meta-lint', relations: { requires: [{ name: 'ping-svc', flags: 0, version: '' }] } })),
    'a package with a prerelease version': async () => build(planOf(data('/usr/share/pre-lint/a.txt', 'a\n')), metaOf({ name: 'pre-lint', version: '2.0.0~beta.2' }), {}, { compression: 'zstd', level: 3 }),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: no rpmlint errors outside rpmlint-tolerated.txt`, async () => {
      const pkg = await make();
      const allowed = tolerated();
      const unexpected = lintErrors(pkg.path).filter(([check]) => !allowed.has(check)).map(([, line]) => line);
      assert.deepEqual(unexpected, []);
    });
  }
});
