/**
 * `mkpkg init` writes package.json values into mkpkg.config.ts as data literals only (issue 10
 * item 2): hostile names, descriptions and authors never run as code when mkpkg loads the config,
 * and the values that are kept round-trip exactly.
 */
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/config/load.js';
import { maintainerFromPackageJson } from '../../src/config/package-json.js';
import { scratch } from '../support/tmp.js';
import { mkpkg, mkpkgOk } from './helpers.js';

/** JS that writes `marker` when run, spelt with lowercase `\xNN` escapes only (init lowercases names). */
function payload(marker: string): string {
  const code = `process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(marker)}, "pwned")`;
  return `eval("${[...code].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}")`;
}

describe('cli: mkpkg init emits package.json values as data, never as code', function () {
  this.timeout(120_000);

  it('names, descriptions and authors holding */, newlines, quotes, backticks, ${, </script>, U+2028 do not run and round-trip', async () => {
    const dir = scratch('mkpkg-init-inj-');
    const marker = join(dir, 'PWNED');
    const run = payload(marker);
    const pj = {
      // Valid after a line comment in both object and array literals: the spread runs the payload.
      name: `a/b\n...[${run}],//`,
      version: '1.0.0',
      description: `*/ ${run}; /* \n\`\${${run}}\` "'</script>\u2028${run}\u2029 \\" \r\n end`,
      author: { name: `Evil */ ${run} \`\${x}\``, email: 'evil@example.org' },
      main: 'index.js',
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pj, null, 2));
    writeFileSync(join(dir, 'index.js'), 'console.log(1);\n');
    mkpkgOk(['init', dir]);
    const text = readFileSync(join(dir, 'mkpkg.config.ts'), 'utf8');
    assert.ok(!text.includes('\n...['), `the name was spliced into code:\n${text}`);

    // mkpkg loads the generated config (jiti) for a dry run and for `templates list`.
    const dry = mkpkg(['deb', dir, '--dry-run']);
    assert.ok(!existsSync(marker), `injected code ran during the dry run:\n${dry.stderr}`);
    mkpkg(['templates', 'list', '--dir', dir]);
    assert.ok(!existsSync(marker), 'injected code ran during templates list');

    const loaded = await loadProject(dir);
    assert.ok(!existsSync(marker), 'injected code ran while loading the config');
    const service = loaded.config.services?.[0];
    assert.equal(service?.description, pj.description, 'the description round-trips exactly');
    assert.equal(loaded.config.maintainer, maintainerFromPackageJson({ path: '', author: pj.author }));
    assert.match(service?.name ?? '', /^[a-z0-9][a-z0-9+.-]*$/, 'the service name is a package name');
  });

  it('a name that maps to no package name falls back to "app"; --force replaces a symlinked config instead of writing through it', () => {
    const dir = scratch('mkpkg-init-inj-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '\n*/`${}`', version: '1.0.0' }));
    mkpkgOk(['init', dir]);
    assert.match(readFileSync(join(dir, 'mkpkg.config.ts'), 'utf8'), /\/usr\/lib\/app'/);
    const victim = join(scratch('mkpkg-init-victim-'), 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    const target = join(dir, 'mkpkg.config.ts');
    rmSync(target);
    symlinkSync(victim, target);
    mkpkgOk(['init', dir, '--force']);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
    assert.ok(!lstatSync(target).isSymbolicLink());
  });
});
