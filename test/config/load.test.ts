import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/config/load.js';
import { MkpkgError } from '../../src/errors.js';
import { expectCode, writeProject } from './project.js';

const pkg = { name: 'ping-svc', version: '1.0.0', description: 'Answers pings', author: 'Acme Ops <ops@acme.example>' };

describe('config/load', () => {
  it('imports a TypeScript config that uses defineConfig from "mkpkg" without mkpkg installed in the project', async () => {
    const dir = writeProject({
      'package.json': pkg,
      'mkpkg.config.ts': [
        "import { defineConfig, MkpkgError, type MkpkgConfig } from 'mkpkg';",
        "const section: string = 'web';",
        "const extra: MkpkgConfig['services'] = [{ name: 'ping-svc', onUpgrade: 'restart' }];",
        "export default defineConfig({ section, services: extra, hooks: { afterPackage: () => new MkpkgError('E_HOOK', 'from config') } });",
      ].join('\n'),
    });
    assert.equal(existsSync(join(dir, 'node_modules')), false);
    const p = await loadProject(dir);
    assert.equal(p.configFile, join(dir, 'mkpkg.config.ts'));
    assert.equal(p.config.section, 'web');
    assert.deepEqual(p.config.services, [{ name: 'ping-svc', onUpgrade: 'restart' }]);
    assert.equal(p.config.name, 'ping-svc');
    assert.equal(p.isNodeApp, true);
    const hook = p.config.hooks?.afterPackage as () => unknown;
    assert.ok(hook() instanceof MkpkgError, 'the config sees the running mkpkg, not a copy');
  });

  it('loads .mjs and .json configs, preferring .ts > .mts > .mjs > .js > .json', async () => {
    const mjs = writeProject({ 'package.json': pkg, 'mkpkg.config.mjs': "export default { section: 'from-mjs' };", 'mkpkg.config.json': { section: 'from-json' } });
    assert.equal((await loadProject(mjs)).config.section, 'from-mjs');
    const json = writeProject({ 'package.json': pkg, 'mkpkg.config.json': { $schema: './schema.json', section: 'from-json' } });
    assert.equal((await loadProject(json)).config.section, 'from-json');
    const ts = writeProject({ 'package.json': pkg, 'mkpkg.config.ts': "export default { section: 'from-ts' };", 'mkpkg.config.js': "export default { section: 'from-js' };" });
    assert.equal((await loadProject(ts)).config.section, 'from-ts');
  });

  it('uses an explicit --config file, and reports a missing one as E_CONFIG_NOT_FOUND', async () => {
    const dir = writeProject({ 'package.json': pkg, 'mkpkg.config.json': { section: 'default' }, 'ci/release.mjs': "export default { section: 'ci' };" });
    assert.equal((await loadProject(dir, { configFile: 'ci/release.mjs' })).config.section, 'ci');
    const e = await expectCode(() => loadProject(dir, { configFile: 'nope.ts' }), 'E_CONFIG_NOT_FOUND');
    assert.match(e.message, /nope\.ts/);
  });

  it('reads the "mkpkg" key of package.json as a config layer', async () => {
    const dir = writeProject({ 'package.json': { ...pkg, mkpkg: { section: 'net', depends: ['curl'] } } });
    const p = await loadProject(dir);
    assert.equal(p.config.section, 'net');
    assert.deepEqual(p.config.depends, ['curl']);
    assert.equal(p.configFile, undefined);
  });

  it('accepts a config-only project without package.json (not a Node app)', async () => {
    const dir = writeProject({ 'mkpkg.config.ts': "export default { name: 'gobin', version: '2.1.0', maintainer: 'Ops <ops@acme.example>', app: false };" });
    const p = await loadProject(dir);
    assert.equal(p.packageJson, undefined);
    assert.equal(p.isNodeApp, false);
    assert.equal(p.config.name, 'gobin');
  });

  it('treats app: false as not a Node app even with a package.json', async () => {
    const dir = writeProject({ 'package.json': { ...pkg, mkpkg: { app: false } } });
    assert.equal((await loadProject(dir)).isNodeApp, false);
  });

  it('fails with E_CONFIG_NOT_FOUND naming the directory when there is neither config nor package.json', async () => {
    const dir = writeProject({ 'README.md': 'hi' });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_NOT_FOUND');
    assert.ok(e.message.includes(dir), e.message);
    assert.ok(e.hint);
  });

  it('reports a config module that throws as E_CONFIG_LOAD naming the file', async () => {
    const dir = writeProject({ 'package.json': pkg, 'mkpkg.config.ts': "throw new Error('boom from config');\nexport default {};" });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_LOAD');
    assert.ok(e.message.includes(join(dir, 'mkpkg.config.ts')), e.message);
    assert.match(e.message, /boom from config/);
  });

  it('reports a TypeScript syntax error as E_CONFIG_LOAD with the file, line and column', async () => {
    const dir = writeProject({ 'mkpkg.config.ts': "export default {\n  section: 'a' +;\n};\n" });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_LOAD');
    assert.ok(e.message.includes(`${join(dir, 'mkpkg.config.ts')}:2:`), e.message);
  });

  it('reports a config module without a default export as E_CONFIG_LOAD listing what it exports', async () => {
    const dir = writeProject({ 'mkpkg.config.ts': "export const config = { name: 'x' };" });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_LOAD');
    assert.match(e.message, /has no default export \(it exports config\)/);
    assert.match(e.hint ?? '', /export default defineConfig/);
  });

  it('loads a CommonJS mkpkg.config.js (module.exports)', async () => {
    const dir = writeProject({ 'mkpkg.config.js': "module.exports = { name: 'cjs-app', version: '1.0.0' };" });
    assert.equal((await loadProject(dir)).config.name, 'cjs-app');
  });

  it('reports a malformed JSON config with its line and column', async () => {
    const dir = writeProject({ 'mkpkg.config.json': '{\n  "name": "x",\n  "section": web\n}\n' });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_PARSE');
    assert.match(e.message, /mkpkg\.config\.json:3:14:/);
  });
});
