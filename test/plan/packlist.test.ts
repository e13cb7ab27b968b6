/**
 * packList (npm's publish rules in-process) against the real `npm pack --dry-run --json` on the
 * fixtures, on a project built to exercise every rule, and on a 10,000-file tree.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packList, type PackedFile } from '../../src/plan/packlist.js';
import { REPO } from '../support/dist.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

/** npm's own list: path, size and mode of each file `npm pack` would publish. */
function npmList(dir: string): PackedFile[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, npm_config_update_notifier: 'false' } });
  const files = (JSON.parse(out.slice(out.indexOf('['))) as { files: PackedFile[] }[])[0]!.files;
  return files.map((f) => ({ path: f.path, size: f.size, mode: f.mode })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

function ours(dir: string): PackedFile[] {
  return packList(dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, never>);
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** A project touching every rule: `files` with directories, globs, negations, `./` and `/*`; nested ignore files; always-kept and never-kept names. */
function rulesProject(withFiles: boolean): string {
  const dir = scratch('mkpkg-packlist-');
  const pkg: Record<string, unknown> = { name: 'rules', version: '1.0.0', main: 'main/entry.js', bin: { rules: './tools/cli.js', other: 'tools/other' }, browser: 'web/browser.js' };
  if (withFiles) pkg.files = ['lib', './docs/', 'assets/*', 'src/**/*.ts', '!src/**/*.test.ts', 'single.txt', '/top.md', 'missing-dir', 'nested/deep/keep.json'];
  write(dir, {
    'package.json': JSON.stringify(pkg, null, 2),
    'README.markdown': 'r', 'readme.txt~': 'editor backup', 'LICENCE': 'l', 'Copying': 'c', 'CHANGELOG.md': 'c', 'NOTICE': 'n',
    'main/entry.js': 'm', 'main/other.js': 'o', 'tools/cli.js': '#!/usr/bin/env node', 'tools/other': 'o', 'tools/unlisted.js': 'u', 'web/browser.js': 'b',
    'lib/a.js': 'a', 'lib/.hidden': 'h', 'lib/sub/b.js': 'b', 'lib/sub/.npmignore': 'ignored.js\n*.map\n', 'lib/sub/ignored.js': 'i', 'lib/sub/b.js.map': 'm',
    'lib/sub/deeper/c.js': 'c', 'lib/sub/deeper/c.js.map': 'm', 'lib/.gitignore': 'gen/\n', 'lib/gen/x.js': 'x', 'lib/keep.orig': 'o', 'lib/.DS_Store': 'd', 'lib/._resource': 'r', 'lib/.x.swp': 's',
    'docs/guide.md': 'g', 'docs/api/index.md': 'i', 'assets/a.png': 'p', 'assets/sub/b.png': 'p',
    'src/index.ts': 'i', 'src/index.test.ts': 't', 'src/deep/x.ts': 'x', 'src/deep/x.test.ts': 't', 'src/deep/x.js': 'j',
    'single.txt': 's', 'top.md': 't', 'nested/deep/keep.json': '{}', 'nested/deep/drop.json': '{}', 'nested/other.txt': 'o',
    'node_modules/dep/index.js': 'd', 'sub/node_modules/x.js': 'x', 'package-lock.json': '{}', 'yarn.lock': '', '.npmrc': 'x=1', 'lib/.npmrc': 'x=1',
    'npm-debug.log': 'l', 'build/config.gypi': 'g', 'build/keep.js': 'k', '.git/HEAD': 'h', 'lib/.git/HEAD': 'h', 'CVS/Entries': 'e',
    '.npmignore': withFiles ? 'lib/a.js\n' : 'coverage/\n*.log\n!keep.log\n/top.md\n# comment\n\n', '.gitignore': 'dist/\n', 'coverage/lcov.info': 'c', 'x.log': 'l', 'keep.log': 'k', 'dist/out.js': 'o',
    'weird*name.js': 'w', 'UPPER/Case.JS': 'u', '.env': 'secret', '.github/workflows/ci.yml': 'y',
  });
  symlinkSync('lib/a.js', join(dir, 'link-to-a.js'));
  mkdirSync(join(dir, 'empty-dir'));
  return dir;
}

describe('plan/packlist: npm publish rules in-process, equal to npm pack --dry-run', function () {
  this.timeout(600_000);
  before(function () {
    requireTools(this, 'npm');
  });

  it('lists what npm lists for every fixture with a package.json, and for mkpkg itself', () => {
    const dirs = [...readdirSync(join(REPO, 'fixtures')).map((f) => join(REPO, 'fixtures', f)).filter((d) => existsSync(join(d, 'package.json'))), REPO];
    assert.ok(dirs.length >= 6);
    for (const d of dirs) assert.deepEqual(ours(d), npmList(d), d);
  });

  it('lists what npm lists for a project exercising each rule, with and without package.json "files"', () => {
    for (const withFiles of [true, false]) {
      const dir = rulesProject(withFiles);
      const list = ours(dir);
      assert.deepEqual(list, npmList(dir), `files: ${withFiles}`);
      const paths = list.map((f) => f.path);
      for (const p of ['package.json', 'README.markdown', 'LICENCE', 'main/entry.js', 'tools/cli.js', 'web/browser.js']) assert.ok(paths.includes(p), `${p} always kept`);
      for (const p of ['package-lock.json', '.npmrc', 'node_modules/dep/index.js', 'link-to-a.js', 'weird*name.js', 'lib/sub/ignored.js', '.git/HEAD']) assert.ok(!paths.includes(p), `${p} never kept`);
    }
  });

  it('lists bundled dependencies as npm does: installed ones with their own dependencies, linked ones with their ignore files', () => {
    const dir = scratch('mkpkg-packlist-bundle-');
    const linked = scratch('mkpkg-packlist-linked-');
    write(linked, { 'package.json': JSON.stringify({ name: 'linked', version: '1.0.0' }), 'index.js': 'l', '.npmignore': 'secret.txt\n', 'secret.txt': 's', 'notes.orig': 'o' });
    write(dir, {
      'package.json': JSON.stringify({ name: 'bundler', version: '1.0.0', dependencies: { a: '1', '@s/b': '1', linked: '1' }, devDependencies: { dev: '1' }, bundleDependencies: ['a', '@s/b', 'linked', 'dev', 'absent'] }),
      'index.js': 'i',
      'node_modules/a/package.json': JSON.stringify({ name: 'a', version: '1.0.0', files: ['lib'], dependencies: { c: '1', d: '1' } }),
      'node_modules/a/lib/a.js': 'a', 'node_modules/a/test/t.js': 't', 'node_modules/a/.npmignore': 'lib/\n', 'node_modules/a/lib/x.orig': 'o',
      'node_modules/a/node_modules/c/package.json': JSON.stringify({ name: 'c', version: '1.0.0' }), 'node_modules/a/node_modules/c/c.js': 'c',
      'node_modules/d/package.json': JSON.stringify({ name: 'd', version: '1.0.0' }), 'node_modules/d/d.js': 'd', 'node_modules/d/.gitignore': 'd.js\n',
      'node_modules/@s/b/package.json': JSON.stringify({ name: '@s/b', version: '1.0.0', optionalDependencies: { e: '1' } }), 'node_modules/@s/b/b.js': 'b', 'node_modules/@s/b/sub/.npmignore': 'y.js\n', 'node_modules/@s/b/sub/y.js': 'y',
      'node_modules/e/package.json': JSON.stringify({ name: 'e', version: '1.0.0' }), 'node_modules/e/e.js': 'e',
      'node_modules/dev/package.json': JSON.stringify({ name: 'dev', version: '1.0.0' }), 'node_modules/dev/dev.js': 'd',
      'node_modules/unbundled/package.json': JSON.stringify({ name: 'unbundled', version: '1.0.0' }),
    });
    symlinkSync(linked, join(dir, 'node_modules/linked'));
    const list = ours(dir);
    assert.deepEqual(list, npmList(dir));
    const paths = list.map((f) => f.path);
    for (const p of ['node_modules/a/lib/a.js', 'node_modules/a/node_modules/c/c.js', 'node_modules/d/d.js', 'node_modules/@s/b/b.js', 'node_modules/e/e.js', 'node_modules/linked/index.js']) assert.ok(paths.includes(p), `${p} bundled`);
    for (const p of ['node_modules/linked/secret.txt', 'node_modules/dev/dev.js', 'node_modules/unbundled/package.json', 'node_modules/@s/b/sub/y.js']) assert.ok(!paths.includes(p), `${p} not bundled`);
  });

  it('lists a 10,000-file tree as npm does (the time is printed, not asserted)', () => {
    const dir = scratch('mkpkg-packlist-big-');
    write(dir, { 'package.json': JSON.stringify({ name: 'big', version: '1.0.0', files: ['lib', 'README.md'] }), 'README.md': 'r', 'lib/.npmignore': '*.map\n' });
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(dir, 'lib', `d${d}`, 'sub'), { recursive: true });
      for (let f = 0; f < 50; f++) {
        writeFileSync(join(dir, 'lib', `d${d}`, `f${f}.js`), `module.exports = ${f};\n`);
        writeFileSync(join(dir, 'lib', `d${d}`, 'sub', f % 5 === 0 ? `f${f}.js.map` : `g${f}.js`), '{}');
      }
    }
    const started = process.hrtime.bigint();
    const list = ours(dir);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`      packList: ${list.length} files in ${ms.toFixed(0)} ms`);
    assert.equal(list.length, 100 * 50 + 100 * 40 + 2);
    assert.deepEqual(list, npmList(dir));
  });
});
