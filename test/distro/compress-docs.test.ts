/** compressDocs on plans: which paths are pages, hard links, links to links, and collisions. */
import { strict as assert } from 'node:assert';
import { gunzipSync } from 'node:zlib';
import { compressDocs, isCompressibleDoc } from '../../src/distro/compress-docs.js';
import { dataBytes, type PlanEntry } from '../../src/plan/types.js';

const base = { mode: 0o644, owner: 'root', group: 'root', mtime: 0, flags: {} };
const data = (path: string, text: string): PlanEntry => ({ kind: 'data', path, data: text, ...base });
const link = (path: string, target: string): PlanEntry => ({ kind: 'symlink', path, target, ...base, mode: 0o777 });

describe('distro/compress-docs', () => {
  it('pages are the regular files under /usr/share/man and /usr/share/info, except info\'s dir index and compressed files', () => {
    for (const p of ['/usr/share/man/man1/a.1', '/usr/share/man/de/man8/b.8', '/usr/share/info/a.info', '/usr/share/info/a.info-1']) assert.ok(isCompressibleDoc(p), p);
    for (const p of ['/usr/share/man/man1/a.1.gz', '/usr/share/info/dir', '/usr/share/info/dir.old', '/usr/share/doc/a/README', '/usr/lib/man/a.1', '/usr/share/man/man1/a.1.xz']) assert.ok(!isCompressibleDoc(p), p);
  });

  it('pages become NAME.gz; hard links follow; links, also links to links, are renamed and retargeted; others stay', () => {
    const out = compressDocs([
      data('/usr/share/man/man1/a.1', 'page a\n'),
      { kind: 'hardlink', path: '/usr/share/man/man1/hard.1', target: '/usr/share/man/man1/a.1', ...base },
      link('/usr/share/man/man1/b.1', 'a.1'),
      link('/usr/share/man/man1/c.1', 'b.1'),
      link('/usr/share/man/man1/abs.1', '/usr/share/man/man1/a.1'),
      link('/usr/bin/elsewhere', '../share/man/man1/a.1'),
      link('/usr/share/man/man1/dangling.1', 'nothing.1'),
      data('/usr/share/doc/x/README', 'readme\n'),
    ]);
    const by = new Map(out.map((e) => [e.path, e]));
    const a = by.get('/usr/share/man/man1/a.1.gz');
    assert.ok(a && a.kind === 'data');
    assert.equal(gunzipSync(dataBytes(a)).toString(), 'page a\n');
    assert.deepEqual(by.get('/usr/share/man/man1/hard.1.gz'), { kind: 'hardlink', path: '/usr/share/man/man1/hard.1.gz', target: '/usr/share/man/man1/a.1.gz', ...base });
    assert.equal((by.get('/usr/share/man/man1/b.1.gz') as { target: string }).target, 'a.1.gz');
    assert.equal((by.get('/usr/share/man/man1/c.1.gz') as { target: string }).target, 'b.1.gz');
    assert.equal((by.get('/usr/share/man/man1/abs.1.gz') as { target: string }).target, '/usr/share/man/man1/a.1.gz');
    assert.equal((by.get('/usr/bin/elsewhere.gz') as { target: string }).target, '../share/man/man1/a.1.gz');
    assert.ok(by.has('/usr/share/man/man1/dangling.1'), 'a dangling link is left alone');
    assert.ok(by.has('/usr/share/doc/x/README'));
    assert.deepEqual(out.map((e) => e.path), [...out.map((e) => e.path)].sort(), 'sorted');
  });

  it('a page whose NAME.gz is already in the plan is left as it is (no collision is made)', () => {
    const out = compressDocs([data('/usr/share/man/man1/a.1', 'x'), data('/usr/share/man/man1/a.1.gz', 'y')]);
    assert.deepEqual(out.map((e) => e.path), ['/usr/share/man/man1/a.1', '/usr/share/man/man1/a.1.gz']);
  });
});
