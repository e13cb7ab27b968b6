/**
 * Loading user code and data is bounded (issue 10 items 9 and 10): a config module or plugin that
 * never finishes ends in E_LOAD_TIMEOUT naming the file (MKPKG_LOAD_TIMEOUT), deeply nested JSON or
 * config data is a coded error naming the file and the limit, and a config object that cannot be
 * read is E_CONFIG_LOAD / E_CONFIG_INVALID, never the generic E_STEP.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/tmp.js';
import { assertError, mkpkg, type CliResult } from './helpers.js';

const PKG = { name: 'limits', version: '1.0.0', description: 'd', author: 'A <a@example.org>', license: 'MIT' };

function project(files: Record<string, string | object>): string {
  const dir = scratch('mkpkg-limits-');
  writeFileSync(join(dir, 'index.js'), 'console.log(1);\n');
  for (const [name, content] of Object.entries({ 'package.json': PKG, ...files })) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

/** A dry run with a short load limit; the run itself must end on its own (no kill by the test). */
function dryRun(dir: string, env: Record<string, string> = { MKPKG_LOAD_TIMEOUT: '2' }): CliResult {
  const r = mkpkg(['deb', dir, '--dry-run', '-o', scratch()], { env, timeout: 90_000 });
  assert.equal(r.signal, null, `mkpkg hung and was killed\n${r.stderr}`);
  return r;
}

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('cli: loading config and plugins is bounded in time and depth', function () {
  this.timeout(240_000);

  it('a config module whose top-level await never settles is E_LOAD_TIMEOUT naming the file, and mkpkg exits', () => {
    const dir = project({ 'mkpkg.config.ts': 'await new Promise(() => { setInterval(() => {}, 1000); });\nexport default {};\n' });
    assertError(dryRun(dir), 'E_LOAD_TIMEOUT', join(dir, 'mkpkg.config.ts'), 'within 2 s');
  });

  it('a default export that is a promise never settling, and a plugin factory never settling, are E_LOAD_TIMEOUT', () => {
    assertError(dryRun(project({ 'mkpkg.config.mjs': 'export default new Promise(() => {});\n' })), 'E_LOAD_TIMEOUT', "default export (a promise)");
    const dir = project({
      'mkpkg.config.mjs': "export default { plugins: ['./stuck-plugin.mjs'] };\n",
      'stuck-plugin.mjs': 'setInterval(() => {}, 1000);\nexport default () => new Promise(() => {});\n',
    });
    assertError(dryRun(dir), 'E_LOAD_TIMEOUT', 'plugins[0]', join(dir, 'stuck-plugin.mjs'));
  });

  it('MKPKG_LOAD_TIMEOUT must be a number of seconds', () => {
    const r = dryRun(project({ 'mkpkg.config.mjs': 'export default {};\n' }), { MKPKG_LOAD_TIMEOUT: 'soon' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^error E_USAGE: MKPKG_LOAD_TIMEOUT="soon"/m);
  });

  it('deeply nested JSON in package.json, its mkpkg key or mkpkg.config.json is E_CONFIG_PARSE naming the file, line and the limit', () => {
    const inKey = project({ 'package.json': `{"name":"limits","version":"1.0.0","author":"A <a@example.org>","mkpkg":{"contents":${nested(100_000)}}}` });
    assertError(dryRun(inKey), 'E_CONFIG_PARSE', `${join(inKey, 'package.json')}:1:`, 'nested more than 100 levels');
    const inFile = project({ 'mkpkg.config.json': `{"maintainer":${nested(5_000)}}` });
    assertError(dryRun(inFile), 'E_CONFIG_PARSE', join(inFile, 'mkpkg.config.json'), 'nested more than 100 levels');
  });

  it('a JS config nested too deep (or circular) is E_CONFIG_INVALID naming the file and the limit', () => {
    const deep = project({ 'mkpkg.config.mjs': 'let d = {}; for (let i = 0; i < 5000; i++) d = { x: d };\nexport default { overrides: d };\n' });
    assertError(dryRun(deep), 'E_CONFIG_INVALID', join(deep, 'mkpkg.config.mjs'), 'overrides.x.x.x', 'more than 100 levels');
    const loop = project({ 'mkpkg.config.mjs': 'const o = { depends: [] }; o.self = o;\nexport default { overrides: { deb: o } };\n' });
    assertError(dryRun(loop), 'E_CONFIG_INVALID', 'refers to itself');
  });

  it('a config object that throws when read, a rejected default export or a BigInt value get specific codes, not E_STEP', () => {
    assertError(dryRun(project({ 'mkpkg.config.mjs': 'export default { get maintainer() { throw new Error("boom"); } };\n' })), 'E_CONFIG_LOAD', 'reading maintainer', 'boom');
    assertError(dryRun(project({ 'mkpkg.config.mjs': 'export default new Proxy({}, { ownKeys() { throw new Error("trap"); } });\n' })), 'E_CONFIG_LOAD', 'trap');
    assertError(dryRun(project({ 'mkpkg.config.mjs': 'export default Promise.reject(new Error("nope"));\n' })), 'E_CONFIG_LOAD', 'rejected', 'nope');
    const big = dryRun(project({ 'mkpkg.config.mjs': 'export default { release: 10n };\n' }));
    assertError(big, 'E_CONFIG_INVALID');
    assert.match(big.stderr, /mkpkg\.config\.mjs: release: .*10n/);
    const undef = dryRun(project({ 'mkpkg.config.mjs': 'export default undefined;\n' }));
    assertError(undef, 'E_CONFIG_INVALID');
    assert.match(undef.stderr, /\(top level\): expected object, got nothing/);
  });
});
