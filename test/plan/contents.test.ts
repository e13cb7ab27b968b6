import { strict as assert } from 'node:assert';
import { linkSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import type { PlanEntry } from '../../src/plan/types.js';
import type { ContentSpec } from '../../src/config/schema.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, writeTree } from './helpers.js';

const SDE = 1_700_000_000;

async function plan(projectDir: string, contents: ContentSpec[], format: 'deb' | 'rpm' = 'deb'): Promise<Map<string, PlanEntry>> {
  const r = await buildPlan({ projectDir, contents, format, sourceDateEpoch: SDE });
  return new Map(r.plan.entries.map((e) => [e.path, e]));
}

describe('plan/contents expansion', () => {
  it('copies a single file to dst, or into dst when dst ends with /', async () => {
    const p = writeTree(scratch(), { 'README.md': 'hi' });
    const m = await plan(p, [{ src: 'README.md', dst: '/usr/share/doc/app/README' }, { src: 'README.md', dst: '/opt/x/' }]);
    const f = m.get('/usr/share/doc/app/README');
    assert.equal(f?.kind, 'file');
    assert.equal(f.kind === 'file' && f.source, join(p, 'README.md'));
    assert.equal(f.kind === 'file' && f.size, 2);
    assert.equal(m.get('/opt/x/README.md')?.kind, 'file');
  });

  it('expands a glob relative to its base; dot-files are not matched; ** includes subdirectories', async () => {
    const p = writeTree(scratch(), { 'conf/a.json': '{}', 'conf/b.json': '{}', 'conf/c.txt': '', 'conf/.hidden.json': '', 'conf/sub/d.json': '' });
    const m = await plan(p, [{ src: 'conf/*.json', dst: '/usr/share/app' }]);
    const files = [...m.values()].filter((e) => e.kind === 'file').map((e) => e.path);
    assert.deepEqual(files, ['/usr/share/app/a.json', '/usr/share/app/b.json']);
    const deep = await plan(p, [{ src: 'conf/**/*.json', dst: '/usr/share/app' }]);
    assert.deepEqual([...deep.values()].filter((e) => e.kind === 'file').map((e) => e.path), ['/usr/share/app/a.json', '/usr/share/app/b.json', '/usr/share/app/sub/d.json']);
  });

  it('copies a directory recursively (dot-files included), keeping symlinks as symlinks', async () => {
    const p = writeTree(scratch(), { 'dist/index.js': 'x', 'dist/.env.example': 'A=1', 'dist/lib/util.js': 'y' });
    mkdirSync(join(p, 'dist/empty'));
    symlinkSync('lib/util.js', join(p, 'dist/util-link.js'));
    symlinkSync('/etc/app/config.json', join(p, 'dist/config.json'));
    const m = await plan(p, [{ src: 'dist', dst: '/usr/lib/app' }]);
    assert.equal(m.get('/usr/lib/app/index.js')?.kind, 'file');
    assert.equal(m.get('/usr/lib/app/.env.example')?.kind, 'file');
    assert.equal(m.get('/usr/lib/app/lib/util.js')?.kind, 'file');
    assert.equal(m.get('/usr/lib/app/empty')?.kind, 'dir');
    assert.deepEqual(m.get('/usr/lib/app/util-link.js'), { kind: 'symlink', path: '/usr/lib/app/util-link.js', target: 'lib/util.js', mode: 0o777, owner: 'root', group: 'root', mtime: m.get('/usr/lib/app/util-link.js')!.mtime, flags: {} });
    const abs = m.get('/usr/lib/app/config.json');
    assert.equal(abs?.kind === 'symlink' && abs.target, '/etc/app/config.json');
  });

  it('inline data becomes a data entry with mtime = SOURCE_DATE_EPOCH', async () => {
    const m = await plan(scratch(), [{ data: 'PORT=8080\n', dst: '/usr/share/app/env', mode: '0640', owner: 'app', group: 'app' }]);
    assert.deepEqual(m.get('/usr/share/app/env'), { kind: 'data', path: '/usr/share/app/env', data: 'PORT=8080\n', mode: 0o640, owner: 'app', group: 'app', mtime: SDE, flags: {} });
  });

  it('maps every type to its flags; files under /etc are config(noreplace) unless a type says otherwise', async () => {
    const p = writeTree(scratch(), { f: 'x' });
    const m = await plan(p, [
      { src: 'f', dst: '/etc/app/default.conf' },
      { src: 'f', dst: '/etc/app/plain.conf', type: 'file' },
      { src: 'f', dst: '/etc/app/replace.conf', type: 'config' },
      { src: 'f', dst: '/usr/share/app/keep.conf', type: 'config-noreplace' },
      { src: 'f', dst: '/usr/share/doc/app/README', type: 'doc' },
      { src: 'f', dst: '/usr/share/doc/app/LICENSE', type: 'license' },
      { src: 'f', dst: '/usr/share/app/other' },
      { dst: '/var/lib/app', type: 'dir', owner: 'app', mode: 0o750 },
      { src: '../share/app/other', dst: '/usr/bin/app-other', type: 'symlink' },
    ], 'rpm');
    assert.deepEqual(m.get('/etc/app/default.conf')?.flags, { config: true, noreplace: true });
    assert.deepEqual(m.get('/etc/app/plain.conf')?.flags, {});
    assert.deepEqual(m.get('/etc/app/replace.conf')?.flags, { config: true });
    assert.deepEqual(m.get('/usr/share/app/keep.conf')?.flags, { config: true, noreplace: true });
    assert.deepEqual(m.get('/usr/share/doc/app/README')?.flags, { doc: true });
    assert.deepEqual(m.get('/usr/share/doc/app/LICENSE')?.flags, { license: true });
    assert.deepEqual(m.get('/usr/share/app/other')?.flags, {});
    const d = m.get('/var/lib/app');
    assert.deepEqual([d?.kind, d?.owner, d?.group, d?.mode], ['dir', 'app', 'root', 0o750]);
    const l = m.get('/usr/bin/app-other');
    assert.equal(l?.kind === 'symlink' && l.target, '../share/app/other');
  });

  it('ghost entries are kept for rpm and dropped for deb (dpkg has no ghosts)', async () => {
    const spec: ContentSpec[] = [{ dst: '/var/log/app/app.log', type: 'ghost' }];
    const rpm = await plan(scratch(), spec, 'rpm');
    assert.deepEqual(rpm.get('/var/log/app/app.log')?.flags, { ghost: true });
    const deb = await plan(scratch(), spec, 'deb');
    assert.equal(deb.size, 0);
  });

  it('packager filters entries by format', async () => {
    const p = writeTree(scratch(), { a: '1', b: '2' });
    const spec: ContentSpec[] = [{ src: 'a', dst: '/opt/a', packager: 'deb' }, { src: 'b', dst: '/opt/b', packager: 'rpm' }];
    assert.deepEqual([...(await plan(p, spec, 'deb')).keys()], ['/opt', '/opt/a']);
    assert.deepEqual([...(await plan(p, spec, 'rpm')).keys()], ['/opt', '/opt/b']);
  });

  it('hardlinked files in a source directory become one file plus hardlink entries', async () => {
    const p = writeTree(scratch(), { 'tree/b/one': 'same inode', 'tree/other': 'x' });
    linkSync(join(p, 'tree/b/one'), join(p, 'tree/a-two'));
    const m = await plan(p, [{ src: 'tree', dst: '/opt/t' }]);
    const first = m.get('/opt/t/a-two');
    assert.equal(first?.kind, 'file');
    assert.deepEqual(m.get('/opt/t/b/one'), { kind: 'hardlink', path: '/opt/t/b/one', target: '/opt/t/a-two', mode: 0o644, owner: 'root', group: 'root', mtime: first!.mtime, flags: {} });
    assert.equal(m.get('/opt/t/other')?.kind, 'file');
  });

  it('a file whose other links are outside the tree (a pnpm store) stays a file; a set of three is one file and two links', async () => {
    const p = writeTree(scratch(), { 'store/x': 'from the store', 'tree/c/three': '3' });
    linkSync(join(p, 'store/x'), join(p, 'tree/x'));
    linkSync(join(p, 'tree/c/three'), join(p, 'tree/a3'));
    linkSync(join(p, 'tree/c/three'), join(p, 'tree/b3'));
    const m = await plan(p, [{ src: 'tree', dst: '/opt/t' }]);
    assert.equal(m.get('/opt/t/x')?.kind, 'file');
    assert.equal(m.get('/opt/t/a3')?.kind, 'file');
    for (const p2 of ['/opt/t/b3', '/opt/t/c/three']) {
      const e = m.get(p2);
      assert.equal(e?.kind === 'hardlink' && e.target, '/opt/t/a3', p2);
    }
  });

  it('clamps source mtimes to SOURCE_DATE_EPOCH and keeps older ones', async () => {
    const p = writeTree(scratch(), { old: '1', new: '2' });
    utimesSync(join(p, 'old'), 1_000_000_000, 1_000_000_000);
    utimesSync(join(p, 'new'), SDE + 5000, SDE + 5000);
    const m = await plan(p, [{ src: 'old', dst: '/opt/old' }, { src: 'new', dst: '/opt/new' }]);
    assert.equal(m.get('/opt/old')?.mtime, 1_000_000_000);
    assert.equal(m.get('/opt/new')?.mtime, SDE);
    assert.equal(m.get('/opt')?.mtime, SDE);
  });
});

describe('plan/contents errors', () => {
  it('a missing src → E_SOURCE_MISSING naming the entry and path', async () => {
    const p = scratch();
    await rejectsWith(buildPlan({ projectDir: p, contents: [{ data: 'x', dst: '/a' }, { src: 'nope.txt', dst: '/b' }], format: 'deb', sourceDateEpoch: SDE }),
      'E_SOURCE_MISSING', 'contents[1].src', join(p, 'nope.txt'));
  });

  it('a dangling symlink given as src → E_SOURCE_MISSING naming its target', async () => {
    const p = scratch();
    symlinkSync('gone.txt', join(p, 'link'));
    await rejectsWith(plan(p, [{ src: 'link', dst: '/a' }]), 'E_SOURCE_MISSING', 'contents[0].src', '"gone.txt"');
  });

  it('a glob matching nothing → E_GLOB_EMPTY', async () => {
    const p = writeTree(scratch(), { 'conf/a.txt': '' });
    await rejectsWith(plan(p, [{ src: 'conf/*.json', dst: '/x' }]), 'E_GLOB_EMPTY', 'contents[0].src', '"conf/*.json"');
  });

  it('a symlinked directory pointing to its ancestor → E_SYMLINK_LOOP naming the link', async () => {
    const p = writeTree(scratch(), { 'tree/sub/file': 'x' });
    symlinkSync('../..', join(p, 'tree/sub/up'));
    await rejectsWith(plan(p, [{ src: 'tree', dst: '/opt/t' }]), 'E_SYMLINK_LOOP', 'contents[0].src', join(p, 'tree/sub/up'));
  });

  it('a cyclic symlink chain → E_SYMLINK_LOOP, inside a tree and as src', async () => {
    const p = writeTree(scratch(), { 'tree/ok': 'x' });
    symlinkSync('b', join(p, 'tree/a'));
    symlinkSync('a', join(p, 'tree/b'));
    await rejectsWith(plan(p, [{ src: 'tree', dst: '/opt/t' }]), 'E_SYMLINK_LOOP', 'cyclic');
    await rejectsWith(plan(p, [{ src: 'tree/a', dst: '/opt/a' }]), 'E_SYMLINK_LOOP', join(p, 'tree/a'));
  });

  it('a socket in the source tree → E_SOURCE_UNREADABLE naming it (a socket cannot be packaged)', async () => {
    const p = writeTree(scratch(), { 'tree/ok': 'x' });
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(p, 'tree/app.sock'), r));
    try {
      await rejectsWith(plan(p, [{ src: 'tree', dst: '/opt/t' }]), 'E_SOURCE_UNREADABLE', 'socket', join(p, 'tree/app.sock'));
    } finally {
      server.close();
    }
  });

  it('rejects src together with data, a dir with src, and bad modes/owners with E_PLAN_INVALID', async () => {
    const p = writeTree(scratch(), { f: '' });
    await rejectsWith(plan(p, [{ src: 'f', data: 'x', dst: '/a' }]), 'E_PLAN_INVALID', 'contents[0]', 'both src and data');
    await rejectsWith(plan(p, [{ src: 'f', dst: '/a', type: 'dir' }]), 'E_PLAN_INVALID', 'contents[0]');
    await rejectsWith(plan(p, [{ src: 'f', dst: '/a', mode: '0999' }]), 'E_PLAN_INVALID', 'contents[0].mode', '"0999"');
    await rejectsWith(plan(p, [{ src: 'f', dst: '/a', owner: 'bad name' }]), 'E_PLAN_INVALID', 'contents[0].owner', '"bad name"');
    await rejectsWith(plan(p, [{ dst: '/a' }]), 'E_PLAN_INVALID', 'needs src or data');
  });

  it('E_PLAN_ESCAPE for a dst escaping the root', async () => {
    await rejectsWith(plan(scratch(), [{ data: 'x', dst: '/../etc/passwd' }]), 'E_PLAN_ESCAPE', 'contents[0].dst', '/../etc/passwd');
  });
});
