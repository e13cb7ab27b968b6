/** runtime.node wiring without building: commands and shebangs that name `node` run the bundled one. */
import { strict as assert } from 'node:assert';
import { resolveService } from '../../src/lifecycle/index.js';
import { mangleShebangLine } from '../../src/distro/shebangs.js';

const NODE = '/usr/lib/app/runtime/node/bin/node';
const execStart = (command: string | undefined, app: { main?: string; startScript?: string; node?: string }) =>
  resolveService({ name: 'app', ...(command !== undefined ? { command } : {}) }, 0, { dir: '/usr/lib/app', ...app }, { user: 'app', group: 'app' })
    .service.directives.service.find(([k]) => k === 'ExecStart')![1];

describe('cross: the bundled node in commands and shebangs', () => {
  it('the default command, a "node …" command and a "node …" start script run the bundled node', () => {
    assert.equal(execStart(undefined, { main: 'server.js', node: NODE }), `${NODE} /usr/lib/app/server.js`);
    assert.equal(execStart('node server.js --port 8080', { node: NODE }), `${NODE} server.js --port 8080`);
    assert.equal(execStart(undefined, { startScript: 'node dist/main.js', node: NODE }), `/bin/sh -c "exec ${NODE} dist/main.js"`);
  });

  it('without a bundled runtime, commands are unchanged (/usr/bin/node, node on PATH)', () => {
    assert.equal(execStart(undefined, { main: 'server.js' }), '/usr/bin/node /usr/lib/app/server.js');
    assert.equal(execStart('node server.js', {}), 'node server.js');
    assert.equal(execStart('nodemon server.js', { node: NODE }), 'nodemon server.js');
  });

  it('only the node shebang is rewritten when mangleShebangs is off', () => {
    assert.deepEqual(mangleShebangLine('#!/usr/bin/env node', { node: NODE }, ['node']), { line: `#!${NODE}` });
    assert.equal(mangleShebangLine('#!/usr/bin/env python3', { node: NODE }, ['node']), undefined);
    assert.deepEqual(mangleShebangLine('#!/usr/bin/env python3', { node: NODE }), { line: '#!/usr/bin/python3' });
  });
});
