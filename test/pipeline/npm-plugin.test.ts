/**
 * Plugins given by npm package name: resolved from the project's own node_modules (an ESM-only
 * package with an `exports` map, a scoped CommonJS factory with a templates directory), built with
 * the real CLI and checked with dpkg-deb; a package that is not installed is a coded error.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { cli, cliOk, debControlFile, listDir, run, unpackDeb, writeFile } from './support.js';

const DEB = 'npmplug_1.0.0-1_all.deb';

/** A config-only project (mkpkg.config.json) using `plugins`, with `files` written into it. */
function project(plugins: unknown[], files: Record<string, string> = {}): string {
  const dir = scratch('mkpkg-npmplug-');
  writeFile(dir, 'mkpkg.config.json', JSON.stringify({
    name: 'npmplug', version: '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'npm plugins',
    description: 'Package built with plugins from node_modules\nUsed by the npm plugin tests.',
    license: 'MIT', arch: 'all', app: false, contents: [{ src: 'hello.txt', dst: '/usr/share/npmplug/hello.txt' }], plugins,
  }, null, 2));
  writeFile(dir, 'hello.txt', 'hello\n');
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

/** An ESM-only package: `"type": "module"` and an `exports` map with only the `import` condition. */
const HELLO = {
  'node_modules/mkpkg-plugin-hello/package.json': JSON.stringify({
    name: 'mkpkg-plugin-hello', version: '1.0.0', type: 'module', exports: { '.': { import: './src/index.js' } },
  }),
  'node_modules/mkpkg-plugin-hello/src/index.js': `import { definePlugin, withFiles } from 'mkpkg';
export default definePlugin({
  name: 'hello',
  hooks: {
    beforePackage: (target, ctx) => withFiles(target, [{ path: '/usr/share/npmplug/from-hello.txt', data: 'added by mkpkg-plugin-hello\\n' }], 'plugin hello', ctx.options.sourceDateEpoch),
  },
});
`,
};

/** A scoped CommonJS package (`main`): a factory with options, a postinst slot and its own templates. */
const SCOPED = {
  'node_modules/@acme/mkpkg-plugin-x/package.json': JSON.stringify({ name: '@acme/mkpkg-plugin-x', version: '2.0.0', main: 'lib/plugin.cjs' }),
  'node_modules/@acme/mkpkg-plugin-x/lib/plugin.cjs': `const { definePlugin, withFiles } = require('mkpkg');
module.exports = definePlugin((opts) => ({
  name: 'acme-x',
  templates: '../templates',
  hooks: {
    beforePackage: (t, ctx) => withFiles(t, [{ path: '/usr/share/npmplug/' + opts.file, data: 'from @acme/mkpkg-plugin-x\\n', mode: '0755' }], 'plugin acme-x', ctx.options.sourceDateEpoch),
  },
  slots: { 'deb/postinst': 'echo "acme-x configured" >/dev/null' },
}));
`,
  'node_modules/@acme/mkpkg-plugin-x/templates/common/copyright.ejs': `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: <%= packageName %>
Comment: copyright file from @acme/mkpkg-plugin-x

Files: *
Copyright: <%= year %> <%= copyrightHolder %>
License: <%= license.name %>
`,
};

describe('pipeline: plugins given as npm package names', function () {
  this.timeout(600_000);
  before(function () { requireTools(this, 'dpkg-deb'); });

  it('loads an ESM-only package (exports map) by name from the project\'s node_modules', () => {
    const dir = project(['mkpkg-plugin-hello'], HELLO);
    const out = scratch();
    // Run from another directory: the name is resolved from the project, not from the working directory.
    cliOk(['deb', dir, '-o', out], {}, scratch());
    const deb = join(out, DEB);
    const listing = run('dpkg-deb', ['-c', deb]);
    assert.match(listing, /-rw-r--r-- root\/root +28 .* \.\/usr\/share\/npmplug\/from-hello\.txt\n/);
    assert.equal(readFileSync(join(unpackDeb(deb), 'usr/share/npmplug/from-hello.txt'), 'utf8'), 'added by mkpkg-plugin-hello\n');
  });

  it('loads a scoped CommonJS factory with options; its templates directory is relative to the package', () => {
    const dir = project(['mkpkg-plugin-hello', ['@acme/mkpkg-plugin-x', { file: 'x-tool' }]], { ...HELLO, ...SCOPED });
    const out = scratch();
    const r = cliOk(['deb', dir, '-o', out, '--verbose']);
    assert.match(r.stderr, /^template common\/copyright\.ejs <- plugin acme-x: .*\/node_modules\/@acme\/mkpkg-plugin-x\/templates\/common\/copyright\.ejs$/m);
    const deb = join(out, DEB);
    const listing = run('dpkg-deb', ['-c', deb]);
    assert.match(listing, /-rwxr-xr-x root\/root .* \.\/usr\/share\/npmplug\/x-tool\n/);
    assert.match(listing, /\.\/usr\/share\/npmplug\/from-hello\.txt\n/, 'both plugins applied');
    const root = unpackDeb(deb);
    assert.equal(readFileSync(join(root, 'usr/share/npmplug/x-tool'), 'utf8'), 'from @acme/mkpkg-plugin-x\n');
    assert.match(readFileSync(join(root, 'usr/share/doc/npmplug/copyright'), 'utf8'), /^Comment: copyright file from @acme\/mkpkg-plugin-x$/m);
    assert.match(debControlFile(deb, 'postinst'), /echo "acme-x configured" >\/dev\/null/);
  });

  it('a package that is not installed is E_PLUGIN naming the plugin and the project directory; nothing is written', () => {
    const dir = project(['mkpkg-plugin-hello', 'mkpkg-plugin-absent', ['@acme/mkpkg-plugin-gone', {}]], HELLO);
    const out = join(scratch(), 'out');
    const r = cli(['deb', dir, '-o', out]);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /^error E_PLUGIN: 2 plugin problems:/m);
    const line = (spec: string) => r.stderr.split('\n').find((l) => l.includes(`"${spec}"`)) ?? '';
    for (const spec of ['mkpkg-plugin-absent', '@acme/mkpkg-plugin-gone']) {
      assert.match(line(spec), new RegExp(`^ {2}plugins\\[\\d\\] "${spec}": .*not installed`), r.stderr);
      assert.ok(line(spec).includes(dir), `the error names the project directory ${dir}: ${line(spec)}`);
    }
    assert.match(line('mkpkg-plugin-absent'), /^ {2}plugins\[1\] /);
    assert.match(line('@acme/mkpkg-plugin-gone'), /^ {2}plugins\[2\] /);
    assert.match(r.stderr, /^ {2}hint: .*npm package/m);
    assert.deepEqual(listDir(out), [], 'no package written');
  });
});
