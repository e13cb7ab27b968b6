import { strict as assert } from 'node:assert';
import { loadProject } from '../../src/config/load.js';
import type { ConfigIssue } from '../../src/config/validate.js';
import { expectCode, writeProject } from './project.js';

describe('config/validate', () => {
  it('rejects unknown keys and bad values in every layer, reporting all problems at once with their paths', async () => {
    const dir = writeProject({
      'package.json': { name: 'x', version: '1.0.0', mkpkg: { sectoin: 'web', users: [{ name: 'u', hme: '/var/lib/u' }] } },
      'mkpkg.config.ts': [
        'export default {',
        "  services: [{ name: 'svc', onUpgrade: 'restartt' }],",
        "  compression: 'bzip2',",
        "  contents: [{ dst: '/etc/x', mode: '999' }],",
        '  unknownTop: 1,',
        '};',
      ].join('\n'),
    });
    const e = await expectCode(() => loadProject(dir, { cli: { level: -1 } }), 'E_CONFIG_INVALID');
    const issues = e.details?.issues as ConfigIssue[];
    const where = issues.map((i) => `${i.source}: ${i.pathText}`).sort();
    assert.deepEqual(where, [
      'command line: level',
      'mkpkg.config.ts: compression',
      'mkpkg.config.ts: contents[0].mode',
      'mkpkg.config.ts: services[0].onUpgrade',
      'mkpkg.config.ts: unknownTop',
      'package.json: mkpkg.sectoin',
      'package.json: mkpkg.users[0].hme',
    ]);
    for (const i of issues) assert.ok(e.message.includes(`${i.source}: ${i.pathText}: ${i.message}`), `message lists ${i.pathText}`);
    assert.match(e.message, /mkpkg\.config\.ts: services\[0\]\.onUpgrade: invalid option "restartt"; expected one of restart\|stop-start\|keep-running/);
    assert.match(e.message, /package\.json: mkpkg\.sectoin: unknown key; did you mean "section"\?/);
    assert.match(e.message, /package\.json: mkpkg\.users\[0\]\.hme: unknown key; did you mean "home"\?/);
    assert.match(e.message, /contents\[0\]\.mode: invalid value "999"/);
    assert.ok(e.hint);
  });

  it('names the type that was expected and the value that was given', async () => {
    const dir = writeProject({ 'mkpkg.config.json': { name: 'x', release: true, depends: 'curl' } });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_INVALID');
    assert.match(e.message, /mkpkg\.config\.json: depends: expected array, got "curl"/);
    assert.match(e.message, /mkpkg\.config\.json: release: invalid value true; expected string, or number/);
  });

  it('rejects a config module whose default export is not an object', async () => {
    const dir = writeProject({ 'mkpkg.config.mjs': 'export default 42;' });
    const e = await expectCode(() => loadProject(dir), 'E_CONFIG_INVALID');
    assert.match(e.message, /mkpkg\.config\.mjs: \(top level\): expected object, got 42/);
  });
});
