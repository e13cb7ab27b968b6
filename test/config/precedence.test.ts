import { strict as assert } from 'node:assert';
import { loadProject } from '../../src/config/load.js';
import { writeProject } from './project.js';

function project(layers: { key?: object; file?: object }) {
  return writeProject({
    'package.json': { name: 'from-pkg', version: '1.0.0', description: 'From package.json', license: 'MIT', homepage: 'https://pkg.example', author: 'Pkg Author <pkg@acme.example>', ...(layers.key ? { mkpkg: layers.key } : {}) },
    ...(layers.file ? { 'mkpkg.config.json': layers.file } : {}),
  });
}

describe('config/merge precedence', () => {
  it('CLI > config file > package.json mkpkg key > package.json fields, for one key set at every layer', async () => {
    const all = project({ key: { version: '2.0.0' }, file: { version: '3.0.0' } });
    assert.equal((await loadProject(all, { cli: { version: '4.0.0' } })).config.version, '4.0.0');
    assert.equal((await loadProject(all)).config.version, '3.0.0');
    assert.equal((await loadProject(project({ key: { version: '2.0.0' } }))).config.version, '2.0.0');
    assert.equal((await loadProject(project({}))).config.version, '1.0.0');
  });

  it('records which layer supplied each key', async () => {
    const p = await loadProject(project({ key: { section: 'net' }, file: { maintainer: 'Ops <ops@acme.example>' } }), { cli: { release: 3 } });
    assert.deepEqual(
      { name: p.origins.name, section: p.origins.section, maintainer: p.origins.maintainer, release: p.origins.release },
      { name: 'package.json', section: 'package.json#mkpkg', maintainer: 'config', release: 'cli' },
    );
  });

  it('maps standard package.json fields: description → summary, author → maintainer, license, homepage', async () => {
    const p = await loadProject(project({}));
    assert.equal(p.config.summary, 'From package.json');
    assert.equal(p.config.maintainer, 'Pkg Author <pkg@acme.example>');
    assert.equal(p.config.license, 'MIT');
    assert.equal(p.config.homepage, 'https://pkg.example');
  });

  it('replaces arrays instead of concatenating them', async () => {
    const p = await loadProject(project({ key: { depends: ['curl', 'jq'] }, file: { depends: ['wget'] } }));
    assert.deepEqual(p.config.depends, ['wget']);
  });

  it('merges overrides per format and per key', async () => {
    const p = await loadProject(
      project({
        key: { overrides: { deb: { section: 'web', depends: ['a1'] }, rpm: { group: 'System' } } },
        file: { overrides: { deb: { depends: ['b1'], priority: 'extra' } } },
      }),
    );
    assert.deepEqual(p.config.overrides, { deb: { section: 'web', depends: ['b1'], priority: 'extra' }, rpm: { group: 'System' } });
  });

  it('takes the maintainer from the first of package.json maintainers when there is no author', async () => {
    const dir = writeProject({ 'package.json': { name: 'x', version: '1.0.0', maintainers: [{ name: 'Mia Maint', email: 'mia@acme.example', url: 'https://mia.example' }] } });
    assert.equal((await loadProject(dir)).config.maintainer, 'Mia Maint <mia@acme.example>');
  });
});
