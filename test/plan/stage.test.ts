import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import { stagePlan } from '../../src/plan/stage.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, writeTree } from './helpers.js';

const SDE = 1_700_000_000;

async function samplePlan(): Promise<Plan> {
  const p = writeTree(scratch(), { 'dist/index.js': 'main', 'dist/lib/util.js': 'util', 'bin/tool': '#!/bin/sh\necho hi\n', 'conf/app.conf': 'x=1\n' });
  chmodSync(join(p, 'bin/tool'), 0o775);
  linkSync(join(p, 'dist/index.js'), join(p, 'dist/index-copy.js'));
  const generated: PlanEntry[] = [{ kind: 'data', path: '/usr/lib/systemd/system/app.service', data: '[Service]\nExecStart=/usr/bin/tool\n', mode: 0o644, owner: 'root', group: 'root', mtime: SDE, flags: {} }];
  const r = await buildPlan({
    projectDir: p, format: 'deb', sourceDateEpoch: SDE, generated,
    contents: [
      { src: 'dist', dst: '/usr/lib/app' },
      { src: 'bin/tool', dst: '/usr/lib/app/bin/tool' },
      { src: '../lib/app/bin/tool', dst: '/usr/bin/tool', type: 'symlink' },
      { src: 'conf/*.conf', dst: '/etc/app' },
      { dst: '/var/lib/app', type: 'dir', owner: 'nobody', group: 'nogroup', mode: 0o750 },
      { data: 'secret', dst: '/var/lib/app/token', owner: 'nobody', group: 'nogroup', mode: 0o600 },
      { data: '#!/bin/sh\n', dst: '/usr/sbin/helper', mode: 0o4755 },
      { data: 'owned by a user this host lacks', dst: '/srv/app/data', owner: 'appsvc', group: 'appsvc' },
    ],
  });
  return r.plan;
}

/** What `find -printf` reports for a staged tree: path, type, mode, owner, group, mtime, link target. */
function findListing(root: string): string[] {
  return execFileSync('find', ['.', '-mindepth', '1', '-printf', '%P %y %#m %u %g %T@ %l\\n'], { cwd: root, encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => l.trimEnd()).sort();
}

function expectedListing(plan: Plan, uid0Names: Set<string>): string[] {
  return plan.entries.filter((e) => !e.flags.ghost).map((e) => {
    const type = e.kind === 'dir' ? 'd' : e.kind === 'symlink' ? 'l' : 'f';
    const mode = e.kind === 'symlink' ? '0777' : `0${e.mode.toString(8).padStart(3, '0')}`;
    const owner = uid0Names.has(e.owner) ? 'root' : e.owner;
    const group = uid0Names.has(e.group) ? 'root' : e.group;
    const target = e.kind === 'symlink' ? e.target : '';
    return `${e.path.slice(1)} ${type} ${mode} ${owner} ${group} ${e.mtime}.0000000000 ${target}`.trimEnd();
  }).sort();
}

describe('plan/stage stagePlan', () => {
  it('materialises the plan: find(1) sees exactly the plan\'s paths, types, modes, owners, mtimes and links', async function () {
    requireRoot(this);
    requireTools(this, 'find');
    const plan = await samplePlan();
    const root = join(scratch(), 'stage');
    const res = await stagePlan(plan, root);
    assert.equal(res.ownersApplied, true);
    assert.deepEqual(res.unknownNames, ['appsvc']);
    assert.deepEqual(findListing(root), expectedListing(plan, new Set(['appsvc'])));
    assert.equal(readFileSync(join(root, 'usr/lib/app/index.js'), 'utf8'), 'main');
    const ino = (f: string) => execFileSync('stat', ['-c', '%i', join(root, f)], { encoding: 'utf8' });
    assert.equal(ino('usr/lib/app/index-copy.js'), ino('usr/lib/app/index.js'), 'hardlink shares the inode');
  });

  it('the staged tree packs with dpkg-deb into the same listing as the plan', async function () {
    requireRoot(this);
    requireTools(this, 'dpkg-deb');
    const plan = await samplePlan();
    const root = join(scratch(), 'stage');
    await stagePlan(plan, root);
    const pkgRoot = join(scratch(), 'pkg');
    mkdirSync(pkgRoot);
    execFileSync('cp', ['-a', `${root}/.`, pkgRoot]);
    mkdirSync(join(pkgRoot, 'DEBIAN'));
    writeFileSync(join(pkgRoot, 'DEBIAN/control'), 'Package: staged\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.com>\nDescription: staged tree\n');
    const deb = join(scratch(), 'staged.deb');
    execFileSync('dpkg-deb', ['--build', '-Zgzip', pkgRoot, deb], { stdio: 'pipe', env: { ...process.env, SOURCE_DATE_EPOCH: String(SDE) } });
    const listed = execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { encoding: 'buffer', maxBuffer: 1 << 26 });
    const lines = execFileSync('tar', ['-tvf', '-', '--numeric-owner', '--full-time'], { input: listed, encoding: 'utf8' }).trim().split('\n');
    const paths = lines.map((l) => l.split(/\s+/)[5]).filter((x) => x !== './').map((x) => x.replace(/^\.\//, '/').replace(/\/$/, '')).sort();
    assert.deepEqual(paths, plan.entries.map((e) => e.path).sort());
    const helper = lines.find((l) => l.includes('./usr/sbin/helper'))!;
    assert.match(helper, /^-rwsr-xr-x /, 'setuid survives staging');
    const links = lines.filter((l) => l.includes(' link to '));
    assert.equal(links.length, 1, 'tar records exactly one hardlink');
    assert.match(links[0], /\.\/usr\/lib\/app\/index(-copy)?\.js link to \.\/usr\/lib\/app\/index(-copy)?\.js$/);
  });

  it('refuses a non-empty directory with E_STAGE_NOT_EMPTY, replaces it with force', async () => {
    const plan: Plan = { entries: [{ kind: 'dir', path: '/opt', mode: 0o755, owner: 'root', group: 'root', mtime: SDE, flags: {} }, { kind: 'data', path: '/opt/x', data: 'x', mode: 0o644, owner: 'root', group: 'root', mtime: SDE, flags: {} }] };
    const root = writeTree(scratch(), { 'stale.txt': 'old' });
    await rejectsWith(stagePlan(plan, root), 'E_STAGE_NOT_EMPTY', root);
    await stagePlan(plan, root, { force: true });
    assert.ok(!existsSync(join(root, 'stale.txt')));
    assert.equal(readFileSync(join(root, 'opt/x'), 'utf8'), 'x');
  });

  it('stages a hardlink whose target sorts after it (generated plans may order them so)', async () => {
    const d = (path: string): PlanEntry => ({ kind: 'dir', path, mode: 0o755, owner: 'root', group: 'root', mtime: SDE, flags: {} });
    const plan: Plan = { entries: [d('/opt'), { kind: 'hardlink', path: '/opt/a', target: '/opt/b', mode: 0o644, owner: 'root', group: 'root', mtime: SDE, flags: {} },
      { kind: 'data', path: '/opt/b', data: 'shared', mode: 0o644, owner: 'root', group: 'root', mtime: SDE, flags: {} }] };
    const root = join(scratch(), 'stage');
    await stagePlan(plan, root);
    const st = (f: string) => execFileSync('stat', ['-c', '%i %h', join(root, f)], { encoding: 'utf8' });
    assert.equal(st('opt/a'), st('opt/b'));
    assert.match(st('opt/a'), / 2\n$/);
  });
});
