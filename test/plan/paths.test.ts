import { strict as assert } from 'node:assert';
import { normalizeDst, parentsOf } from '../../src/plan/paths.js';
import { rejectsWith } from './helpers.js';

describe('plan/paths normalizeDst', () => {
  it('collapses // and . and drops a trailing slash', () => {
    assert.equal(normalizeDst('//usr///lib/./app/', 'contents[0].dst'), '/usr/lib/app');
    assert.equal(normalizeDst('/usr/lib/x/../y', 'contents[0].dst'), '/usr/lib/y');
  });

  it('rejects a .. that climbs above / with E_PLAN_ESCAPE naming the field and value', async () => {
    await rejectsWith(() => normalizeDst('/../etc/passwd', 'contents[2].dst'), 'E_PLAN_ESCAPE', 'contents[2].dst', '"/../etc/passwd"');
    await rejectsWith(() => normalizeDst('../x', 'contents[0].dst'), 'E_PLAN_ESCAPE', '"../x"');
    await rejectsWith(() => normalizeDst('/usr/../../etc', 'contents[0].dst'), 'E_PLAN_ESCAPE');
  });

  it('rejects relative, empty, NUL, newline and the root itself', async () => {
    await rejectsWith(() => normalizeDst('usr/bin/x', 'contents[1].dst'), 'E_PLAN_INVALID', 'contents[1].dst', 'not an absolute path');
    await rejectsWith(() => normalizeDst('', 'contents[1].dst'), 'E_PLAN_INVALID', 'empty');
    await rejectsWith(() => normalizeDst('/a\0b', 'contents[1].dst'), 'E_PLAN_INVALID', 'NUL');
    await rejectsWith(() => normalizeDst('/a\nb', 'contents[1].dst'), 'E_PLAN_INVALID', 'line break');
    await rejectsWith(() => normalizeDst('/', 'contents[1].dst'), 'E_PLAN_INVALID', 'root directory');
    await rejectsWith(() => normalizeDst('/usr/..', 'contents[1].dst'), 'E_PLAN_INVALID', 'root directory');
    assert.equal(normalizeDst('/', 'x', { allowRoot: true }), '/');
  });

  it('lists the parents outermost first', () => {
    assert.deepEqual(parentsOf('/a/b/c'), ['/a', '/a/b']);
    assert.deepEqual(parentsOf('/a'), []);
  });
});
