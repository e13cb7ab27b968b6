import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import { comparePaths, type PlanEntry } from '../../src/plan/types.js';
import type { ContentSpec } from '../../src/config/schema.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, writeTree } from './helpers.js';

const SDE = 1_700_000_000;

async function entries(projectDir: string, contents: ContentSpec[], generated?: PlanEntry[]): Promise<PlanEntry[]> {
  return (await buildPlan({ projectDir, contents, format: 'deb', sourceDateEpoch: SDE, generated })).plan.entries;
}

describe('plan/build buildPlan', () => {
  it('adds implicit parents as root:root 0755 even when a child dir has a custom owner and mode', async () => {
    const e = await entries(scratch(), [{ dst: '/var/lib/app/data/cache', type: 'dir', owner: 'app', group: 'app', mode: 0o700 }]);
    assert.deepEqual(e.map((x) => [x.path, x.kind, x.owner, x.group, x.mode]), [
      ['/var', 'dir', 'root', 'root', 0o755],
      ['/var/lib', 'dir', 'root', 'root', 0o755],
      ['/var/lib/app', 'dir', 'root', 'root', 0o755],
      ['/var/lib/app/data', 'dir', 'root', 'root', 0o755],
      ['/var/lib/app/data/cache', 'dir', 'app', 'app', 0o700],
    ]);
  });

  it('an explicit dir equal to an implicit parent is not a collision: the explicit one wins', async () => {
    const e = await entries(scratch(), [
      { data: 'x', dst: '/var/lib/app/state.json' },
      { dst: '/var/lib/app', type: 'dir', owner: 'app', mode: '0750' },
    ]);
    const d = e.find((x) => x.path === '/var/lib/app');
    assert.deepEqual([d?.owner, d?.mode], ['app', 0o750]);
    assert.equal(e.filter((x) => x.path === '/var/lib/app').length, 1);
  });

  it('sanitises source modes: 0666 → 0644, 0777 → 0755, 0700 → 0755, setuid dropped; explicit modes kept', async () => {
    const p = writeTree(scratch(), { 'bin/ww': '', 'bin/wx': '', 'bin/own': '', 'bin/suid': '', 'bin/asked': '' });
    chmodSync(join(p, 'bin/ww'), 0o666);
    chmodSync(join(p, 'bin/wx'), 0o777);
    chmodSync(join(p, 'bin/own'), 0o700);
    chmodSync(join(p, 'bin/suid'), 0o4755);
    mkdirSync(join(p, 'bin/open'), { mode: 0o777 });
    chmodSync(join(p, 'bin/open'), 0o777);
    const e = await entries(p, [
      { src: 'bin', dst: '/opt/x' },
      { src: 'bin/asked', dst: '/usr/bin/asked', mode: 0o4750 },
      { src: 'bin/ww', dst: '/usr/bin/ww-explicit', mode: '0666' },
    ]);
    const mode = (path: string) => e.find((x) => x.path === path)?.mode;
    assert.equal(mode('/opt/x/ww'), 0o644);
    assert.equal(mode('/opt/x/wx'), 0o755);
    assert.equal(mode('/opt/x/own'), 0o755);
    assert.equal(mode('/opt/x/suid'), 0o755);
    assert.equal(mode('/opt/x/open'), 0o755);
    assert.equal(mode('/usr/bin/asked'), 0o4750);
    assert.equal(mode('/usr/bin/ww-explicit'), 0o666);
  });

  it('is sorted in byte order with every parent before its children', async () => {
    const p = writeTree(scratch(), { 'd/B': '', 'd/a': '', 'd/a-b/x': '', 'd/a.b': '', 'd/é': '', 'd/z/y': '' });
    const e = await entries(p, [{ src: 'd', dst: '/opt/d' }]);
    const paths = e.map((x) => x.path);
    assert.deepEqual(paths, [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    assert.deepEqual(paths, ['/opt', '/opt/d', '/opt/d/B', '/opt/d/a', '/opt/d/a-b', '/opt/d/a-b/x', '/opt/d/a.b', '/opt/d/z', '/opt/d/z/y', '/opt/d/é']);
    const seen = new Set<string>();
    for (const x of paths) {
      const parent = x.slice(0, x.lastIndexOf('/'));
      if (parent) assert.ok(seen.has(parent), `${parent} before ${x}`);
      seen.add(x);
    }
    assert.ok(comparePaths('/a/b', '/a-b') > 0);
  });

  it('rejects two entries for one path with E_PLAN_COLLISION naming both sources', async () => {
    const p = writeTree(scratch(), { 'a/config.json': '1', 'b/config.json': '2' });
    await rejectsWith(entries(p, [{ src: 'a/config.json', dst: '/etc/app/config.json' }, { src: 'b/*.json', dst: '/etc/app' }]),
      'E_PLAN_COLLISION', '/etc/app/config.json', 'contents[0] (a/config.json)', 'contents[1] (b/config.json)');
  });

  it('rejects a file that another entry needs as its parent directory', async () => {
    await rejectsWith(entries(scratch(), [{ data: 'x', dst: '/opt/app' }, { data: 'y', dst: '/opt/app/inner' }]), 'E_PLAN_COLLISION', '/opt/app', 'contents[0]');
  });

  it('rejects two explicit dirs with different owners, merges identical ones', async () => {
    await rejectsWith(entries(scratch(), [{ dst: '/srv/a', type: 'dir', owner: 'x' }, { dst: '/srv/a', type: 'dir', owner: 'y' }]), 'E_PLAN_COLLISION', 'x:root 0755 vs y:root 0755');
    const e = await entries(scratch(), [{ dst: '/srv/a', type: 'dir' }, { dst: '/srv/a/', type: 'dir' }]);
    assert.equal(e.filter((x) => x.path === '/srv/a').length, 1);
  });

  it('merges generated data entries from other layers, and they collide like any other entry', async () => {
    const unit: PlanEntry = { kind: 'data', path: '/usr/lib/systemd/system/app.service', data: '[Unit]\n', mode: 0o644, owner: 'root', group: 'root', mtime: SDE + 99, flags: {} };
    const e = await entries(scratch(), [], [unit]);
    assert.deepEqual(e.map((x) => x.path), ['/usr', '/usr/lib', '/usr/lib/systemd', '/usr/lib/systemd/system', '/usr/lib/systemd/system/app.service']);
    assert.equal(e[4].mtime, SDE);
    await rejectsWith(entries(scratch(), [{ data: 'y', dst: '/usr/lib/systemd/system/app.service' }], [unit]), 'E_PLAN_COLLISION', 'generated[0]', 'contents[0]');
  });

  it('is JSON-serialisable, and deterministic whatever order the tree was written in', async () => {
    const files: Record<string, string> = { 'dist/a.js': 'a', 'dist/lib/b.js': 'b', 'dist/z.js': 'z', 'etc/app.conf': 'c' };
    const p1 = writeTree(scratch(), files);
    const p2 = writeTree(scratch(), Object.fromEntries(Object.entries(files).reverse()));
    const spec: ContentSpec[] = [{ src: 'dist', dst: '/usr/lib/app' }, { src: 'etc/*.conf', dst: '/etc/app' }, { data: 'd', dst: '/usr/share/app/d' }];
    const one = await buildPlan({ projectDir: p1, contents: spec, format: 'rpm', sourceDateEpoch: SDE });
    const two = await buildPlan({ projectDir: p2, contents: spec, format: 'rpm', sourceDateEpoch: SDE });
    assert.deepEqual(JSON.parse(JSON.stringify(one.plan)), one.plan);
    assert.equal(JSON.stringify(one).replaceAll(p1, 'P'), JSON.stringify(two).replaceAll(p2, 'P'));
  });

  it('an unreadable file (chmod 000, planned as an unprivileged user) → E_SOURCE_UNREADABLE', function () {
    requireRoot(this);
    requireTools(this, 'setpriv');
    const p = writeTree(scratch(), { 'secret.key': 'k' });
    chmodSync(p, 0o755);
    chmodSync(join(p, 'secret.key'), 0o000);
    const script = `import { buildPlan } from ${JSON.stringify(resolve('src/plan/build.ts'))};
      try { await buildPlan({ projectDir: ${JSON.stringify(p)}, contents: [{ src: 'secret.key', dst: '/etc/app/key' }], format: 'deb', sourceDateEpoch: 1 }); console.log('NO ERROR'); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^E_SOURCE_UNREADABLE contents\[0\] \(secret\.key\): .*secret\.key" cannot be read \(EACCES\)/);
  });
});
