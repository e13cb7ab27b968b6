/** lintian overrides for a bundled runtime: which tags, for exactly which paths. */
import { strict as assert } from 'node:assert';
import { bundledRuntimeOverrides, renderLintianOverrides } from '../../src/distro/lintian-overrides.js';
import { createTemplateLookup } from '../../src/templates/lookup.js';
import type { PlanEntry } from '../../src/plan/types.js';

const NODE = '/usr/lib/app/runtime/node/bin/node';
const base = { mode: 0o755, owner: 'root', group: 'root', mtime: 0, flags: {} };
const script = (path: string, text: string): PlanEntry => ({ ...base, kind: 'data', path, data: Buffer.from(text).toString('base64'), encoding: 'base64' });
const ENTRIES: PlanEntry[] = [
  { ...base, kind: 'file', path: NODE, source: '/nonexistent', size: 1 },
  script('/usr/lib/app/bin/a.js', `#!${NODE}\nx\n`),
  script('/usr/lib/app/bin/b.js', `#!${NODE} --harmony\nx\n`),
  script('/usr/lib/app/bin/c.py', '#!/usr/bin/python3\nx\n'),
  script('/usr/lib/app/bin/d.js', `#!${NODE}x\n`),
  script('/usr/lib/app/bin/with space.js', `#!${NODE}\nx\n`),
];

describe('distro/lintian-overrides: overrides for a bundled Node.js runtime', () => {
  it('embedded zlib always, the symbol table only when unstripped, interpreter tags only for scripts running the bundled node', () => {
    const all = ['/usr/lib/app/bin/a.js', '/usr/lib/app/bin/b.js', '/usr/lib/app/bin/c.py', '/usr/lib/app/bin/d.js', '/usr/lib/app/bin/with space.js'];
    const o = bundledRuntimeOverrides(ENTRIES, NODE, all, false);
    assert.deepEqual(o.map((x) => `${x.tag} [${x.pointer}]`), [
      'embedded-library [usr/lib/app/runtime/node/bin/node]',
      'unstripped-binary-or-object [usr/lib/app/runtime/node/bin/node]',
      'missing-dep-for-interpreter [usr/lib/app/bin/a.js]',
      'wrong-path-for-interpreter [usr/lib/app/bin/a.js]',
      'missing-dep-for-interpreter [usr/lib/app/bin/b.js]',
      'wrong-path-for-interpreter [usr/lib/app/bin/b.js]',
    ]);
    assert.equal(bundledRuntimeOverrides(ENTRIES, NODE, [], true).map((x) => x.tag).join(), 'embedded-library');
    assert.deepEqual(bundledRuntimeOverrides(ENTRIES.slice(1), NODE, all, false), [], 'no bundled node in the plan, no overrides');
  });

  it('renders one line per override, at /usr/share/lintian/overrides/PKG', () => {
    const e = renderLintianOverrides('app', bundledRuntimeOverrides(ENTRIES, NODE, ['/usr/lib/app/bin/a.js'], false), 7, createTemplateLookup());
    assert.equal(e.path, '/usr/share/lintian/overrides/app');
    assert.equal(e.mode, 0o644);
    assert.deepEqual(e.data.split('\n').filter((l) => l && !l.startsWith('#')), [
      'app: embedded-library zlib [usr/lib/app/runtime/node/bin/node]',
      'app: unstripped-binary-or-object [usr/lib/app/runtime/node/bin/node]',
      `app: missing-dep-for-interpreter ${NODE} * [usr/lib/app/bin/a.js]`,
      `app: wrong-path-for-interpreter ${NODE} * [usr/lib/app/bin/a.js]`,
    ]);
  });
});
