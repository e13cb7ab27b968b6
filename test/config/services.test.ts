/** The services[] entries of a config: strict keys, and a service name resolved once (".service" dropped). */
import { strict as assert } from 'node:assert';
import { loadProject } from '../../src/config/load.js';
import type { ConfigIssue } from '../../src/config/validate.js';
import { expectCode, writeProject } from './project.js';

describe('config: services[]', () => {
  it('an unknown key inside services[0] is a load error naming services[0].foo', async () => {
    const dir = writeProject({ 'mkpkg.config.json': { name: 'x', version: '1.0.0', services: [{ name: 'svc', foo: 1 }] } });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_INVALID');
    const issues = e.details?.issues as ConfigIssue[];
    assert.deepEqual(issues.map((i) => `${i.source}: ${i.pathText}: ${i.message}`), ['mkpkg.config.json: services[0].foo: unknown key']);
    assert.match(e.message, /mkpkg\.config\.json: services\[0\]\.foo: unknown key/);
    assert.ok(e.hint);
  });

  it('a typo of a service key suggests the key', async () => {
    const dir = writeProject({ 'mkpkg.config.json': { name: 'x', version: '1.0.0', services: [{ name: 'svc' }, { name: 'b', enviroment: { A: '1' } }] } });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_INVALID');
    assert.match(e.message, /services\[1\]\.enviroment: unknown key; did you mean "environment"\?/);
  });

  it('"NAME.service" is resolved to NAME once, at load, for services and runtime templates', async () => {
    const dir = writeProject({
      'mkpkg.config.json': {
        name: 'x', version: '1.0.0',
        services: [{ name: 'web.service' }, { name: 'worker' }],
        runtime: { templates: [{ src: 'a.tmpl', dst: '/run/web/a', service: 'web.service' }] },
      },
    });
    const p = await loadProject(dir);
    assert.deepEqual(p.config.services!.map((s) => s.name), ['web', 'worker']);
    assert.equal(p.config.runtime!.templates![0]!.service, 'web');
  });
});
