/**
 * Plugins: local files, factories with options, npm packages, inline objects; all problems of all
 * plugins reported at once before anything runs; plugin templates between project and built-ins.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../src/pipeline/build.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { cli, cliOk, copyFixture, debControlFile, listDir, rejectsWith, run, tinyProject, unpackDeb, writeFile } from './support.js';

const SDE = 1700000000;

describe('pipeline: plugins', function () {
  this.timeout(600_000);
  before(function () { requireTools(this, 'dpkg-deb'); });

  it('reports the problems of all plugins in one E_PLUGIN error before any step runs, and writes nothing', async () => {
    const dir = tinyProject(`
      pipeline: (steps) => { (globalThis.__mkpkgEvents ??= []).push('pipeline fn ran'); return steps; },
      plugins: [
        './plugins/missing.ts',
        ['./plugins/needs-level.ts', { level: 'high' }],
        { name: 'typo', hooks: { beforeLunch: () => {} } },
        './plugins/bad-anchor.ts',
        './plugins/fine.ts',
      ],`, {
      'plugins/needs-level.ts': `import { definePlugin } from 'mkpkg';
export default definePlugin((o: { level: number }) => {
  if (typeof o?.level !== 'number') throw new Error('option "level" must be a number, got ' + JSON.stringify(o?.level));
  return { name: 'needs-level' };
});`,
      'plugins/bad-anchor.ts': `export default { name: 'anchored', steps: [{ step: { name: 'lint', run() {} }, after: 'compile-assets' }] };`,
      'plugins/fine.ts': `export default { name: 'fine', hooks: { beforePackage: () => { throw new Error('must not run'); } } };`,
    });
    (globalThis as { __mkpkgEvents?: string[] }).__mkpkgEvents = [];
    const out = join(scratch(), 'out');
    const e = await rejectsWith(() => build({ dir, outDir: out }), 'E_PLUGIN');
    const problems = (e.details?.problems ?? []) as string[];
    assert.equal(problems.length, 4, e.message);
    assert.match(e.message, /^4 plugin problems:/);
    assert.match(e.message, /plugins\[0\] "\.\/plugins\/missing\.ts": .*(Cannot find|not find|ENOENT)/i);
    assert.match(e.message, /plugins\[1\] "\.\/plugins\/needs-level\.ts": option "level" must be a number, got "high"/);
    assert.match(e.message, /plugins\[2\] "typo": unknown hook "beforeLunch"/);
    assert.match(e.message, /plugin "anchored": step "lint" is inserted after "compile-assets", which does not exist/);
    assert.deepEqual(listDir(out), [], 'no package and no output directory');
    assert.deepEqual((globalThis as { __mkpkgEvents?: string[] }).__mkpkgEvents, [], 'the pipeline function did not run');
  });

  it('loads a local plugin file, a factory with options and an npm package, and applies them in order', async () => {
    const dir = tinyProject(`plugins: ['./local-plugin.ts', ['./factory.mjs', { file: 'from-factory' }], 'mkpkg-plugin-extra'],`, {
      'local-plugin.ts': `import { definePlugin, withFiles } from 'mkpkg';
export default definePlugin({ name: 'local', hooks: { beforeStage: (t, ctx) => withFiles(t, [{ path: '/usr/share/tiny/from-local', data: 'x' }], 'local', ctx.options.sourceDateEpoch) } });`,
      'factory.mjs': `import { withFiles } from 'mkpkg';
export default (opts) => ({ name: 'factory', hooks: { beforePackage: (t, ctx) => withFiles(t, [{ path: '/usr/share/tiny/' + opts.file, data: 'y', mode: '0755' }], 'factory', ctx.options.sourceDateEpoch) } });`,
      'node_modules/mkpkg-plugin-extra/package.json': JSON.stringify({ name: 'mkpkg-plugin-extra', version: '1.0.0', type: 'module', main: 'index.js' }),
      'node_modules/mkpkg-plugin-extra/index.js': `export default { name: 'extra', slots: { 'deb/postinst': 'echo "extra plugin configured" >/dev/null' } };`,
    });
    const r = await build({ dir, outDir: scratch(), sourceDateEpoch: SDE });
    const deb = r.artifacts[0]!.path;
    const listing = run('dpkg-deb', ['-c', deb]);
    assert.match(listing, /-rw-r--r-- root\/root .* \.\/usr\/share\/tiny\/from-local\n/);
    assert.match(listing, /-rwxr-xr-x root\/root .* \.\/usr\/share\/tiny\/from-factory\n/);
    assert.match(debControlFile(deb, 'postinst'), /# slot deb\/postinst #1\n\(\necho "extra plugin configured" >\/dev\/null\n\)/);
  });

  it('plugin-demo: adds a file, a postinst fragment, its own copyright template and a manifest output', async () => {
    const dir = copyFixture('plugin-demo');
    const out = scratch();
    const r = cliOk(['deb', dir, '-o', out, '--verbose']);
    assert.match(r.stderr, /^template common\/copyright\.ejs <- plugin stamp: .*plugins\/templates\/common\/copyright\.ejs$/m);
    assert.match(r.stderr, /^template deb\/postinst\.ejs <- builtin: /m);
    assert.match(r.stderr, /^output manifest \(plugin stamp\)$/m);
    const deb = join(out, 'plugin-demo_1.0.0-1_all.deb');
    const root = unpackDeb(deb);
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'usr/share/plugin-demo/stamp.json'), 'utf8')), { stampedBy: 'stamp', format: 'deb' });
    assert.match(readFileSync(join(root, 'usr/share/doc/plugin-demo/copyright'), 'utf8'), /^Comment: copyright file from the stamp plugin's templates$/m);
    assert.match(debControlFile(deb, 'postinst'), /echo "configured by stamp \(\$1 \$2\)" > \/var\/lib\/plugin-demo\/configured/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { file: string; sha256: string }[];
    assert.deepEqual(manifest.map((m) => m.file), ['plugin-demo_1.0.0-1_all.deb']);
    assert.equal(manifest[0]!.sha256, run('sha256sum', [deb]).split(' ')[0]);
  });

  it('a project template overrides the plugin\'s, which overrides the built-in', async () => {
    const dir = copyFixture('plugin-demo');
    writeFile(dir, 'packaging/common/copyright.ejs', 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: <%= packageName %>\nComment: the project\'s own copyright template\n\nFiles: *\nCopyright: <%= year %> <%= copyrightHolder %>\nLicense: <%= license.name %>\n');
    const out = scratch();
    const r = cliOk(['deb', dir, '-o', out, '--verbose']);
    assert.match(r.stderr, /^template common\/copyright\.ejs <- project: .*packaging\/common\/copyright\.ejs$/m);
    const root = unpackDeb(join(out, 'plugin-demo_1.0.0-1_all.deb'));
    assert.match(readFileSync(join(root, 'usr/share/doc/plugin-demo/copyright'), 'utf8'), /^Comment: the project's own copyright template$/m);
    assert.ok(existsSync(join(root, 'usr/share/plugin-demo/stamp.json')));
  });

  it('the CLI prints the plugin problems and exits 1', () => {
    const dir = tinyProject(`plugins: ['./nope.ts', { name: '' }],`);
    const r = cli(['deb', dir, '-o', scratch()]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error E_PLUGIN: 2 plugin problems:/m);
    assert.match(r.stderr, /plugins\[1\]: "name" must be a non-empty string/);
  });
});
