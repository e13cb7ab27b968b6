/** Install, verify, upgrade and erase the written packages with the real rpm, into scratch roots. */
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../../support/tools.js';
import { build, data, dir, file, hardlink, installRoot, metaOf, ok, planOf, rpmRoot, run, sourceTree, symlink } from './helpers.js';

describe('rpm writer: install, upgrade, erase with rpm --root', function () {
  before(function () { requireTools(this, 'rpm'); });

  /** The ping-svc tree at version 1 or 2: 2 changes server.js and the config and drops old.js. */
  const pingSvc = (v: 1 | 2) => planOf(
    data('/usr/lib/ping-svc/server.js', `v${v}\n`),
    ...(v === 1 ? [data('/usr/lib/ping-svc/old.js', 'old\n')] : []),
    data('/usr/lib/ping-svc/bin/run', '#!/bin/sh\necho run\n', 0o755),
    symlink('/usr/bin/ping-svc', '../lib/ping-svc/bin/run'),
    data('/etc/ping-svc/config.json', `{"v":${v}}\n`, 0o640, { config: true, noreplace: true }),
    dir('/var/lib/ping-svc', 0o750),
    data('/var/log/ping-svc/ping.log', '', 0o640, { ghost: true }),
  );
  const v1 = () => pingSvc(1);
  const v2 = () => pingSvc(2);

  it('rpm -i puts files, modes and symlinks on disk, skips ghosts, and rpm -V finds nothing to report', async () => {
    const root = installRoot();
    const p = await build(v1(), metaOf());
    const r = rpmRoot(root, '-i', p.path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(root, 'usr/lib/ping-svc/server.js'), 'utf8'), 'v1\n');
    assert.equal(lstatSync(join(root, 'usr/lib/ping-svc/bin/run')).mode & 0o7777, 0o755);
    assert.equal(lstatSync(join(root, 'etc/ping-svc/config.json')).mode & 0o7777, 0o640);
    assert.equal(lstatSync(join(root, 'var/lib/ping-svc')).mode & 0o7777, 0o750);
    assert.equal(readlinkSync(join(root, 'usr/bin/ping-svc')), '../lib/ping-svc/bin/run');
    assert.equal(existsSync(join(root, 'var/log/ping-svc/ping.log')), false, 'a ghost is not installed');
    assert.equal(lstatSync(join(root, 'usr/lib/ping-svc/server.js')).mtimeMs / 1000, 1_700_000_000);
    const v = rpmRoot(root, '-V', 'ping-svc');
    // The ghost is missing on disk; rpm -V does not report ghosts unless asked.
    assert.equal(v.status, 0, `${v.stdout}${v.stderr}`);
    assert.equal(ok('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-q', 'ping-svc']).trim(), 'ping-svc-1.0.0-1.noarch');
  });

  it('rpm -U replaces changed files, removes dropped ones and keeps an edited noreplace config (new one as .rpmnew)', async () => {
    const root = installRoot();
    assert.equal(rpmRoot(root, '-i', (await build(v1(), metaOf())).path).status, 0);
    writeFileSync(join(root, 'etc/ping-svc/config.json'), '{"admin":true}\n');
    const r = rpmRoot(root, '-U', (await build(v2(), metaOf({ version: '1.1.0' }))).path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(root, 'usr/lib/ping-svc/server.js'), 'utf8'), 'v2\n');
    assert.equal(existsSync(join(root, 'usr/lib/ping-svc/old.js')), false);
    assert.equal(readFileSync(join(root, 'etc/ping-svc/config.json'), 'utf8'), '{"admin":true}\n');
    assert.equal(readFileSync(join(root, 'etc/ping-svc/config.json.rpmnew'), 'utf8'), '{"v":2}\n');
    assert.equal(ok('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-q', 'ping-svc']).trim(), 'ping-svc-1.1.0-1.noarch');
  });

  it('rpm -e removes the files and directories the package owned, saving an edited config as .rpmsave', async () => {
    const root = installRoot();
    assert.equal(rpmRoot(root, '-i', (await build(v1(), metaOf())).path).status, 0);
    writeFileSync(join(root, 'etc/ping-svc/config.json'), '{"admin":true}\n');
    const r = rpmRoot(root, '-e', 'ping-svc');
    assert.equal(r.status, 0, r.stderr);
    for (const gone of ['usr/lib/ping-svc', 'usr/bin/ping-svc', 'var/lib/ping-svc', 'etc/ping-svc/config.json']) {
      assert.equal(existsSync(join(root, gone)), false, `${gone} should be gone`);
    }
    assert.equal(readFileSync(join(root, 'etc/ping-svc/config.json.rpmsave'), 'utf8'), '{"admin":true}\n');
    assert.ok(existsSync(join(root, 'usr/bin')), 'a distribution directory stays');
  });

  it('a hardlink pair is installed as one inode with two names', async () => {
    const root = installRoot();
    const s = sourceTree({ tool: 'same bytes\n' });
    const p = await build(planOf(file('/opt/hl/a', `${s}/tool`, 11, 0o755), hardlink('/opt/hl/b', '/opt/hl/a')), metaOf({ name: 'hl' }));
    assert.equal(rpmRoot(root, '-i', p.path).status, 0);
    const a = lstatSync(join(root, 'opt/hl/a'));
    const b = lstatSync(join(root, 'opt/hl/b'));
    assert.equal(a.ino, b.ino);
    assert.equal(a.nlink, 2);
    assert.equal(readFileSync(join(root, 'opt/hl/b'), 'utf8'), 'same bytes\n');
    assert.equal(rpmRoot(root, '-V', 'hl').status, 0);
  });

  it('never owns distribution directories: no /usr/bin line, and it installs beside a filesystem-like package without conflicts', async () => {
    const ours = planOf(dir('/usr'), dir('/usr/bin'), data('/usr/bin/pingctl', '#!/bin/sh\n', 0o755), dir('/etc'), data('/etc/pingctl.conf', 'x\n'));
    const p = await build(ours, metaOf({ name: 'pingctl' }));
    assert.deepEqual(ok('rpm', ['-qpl', p.path]).trim().split('\n'), ['/etc/pingctl.conf', '/usr/bin/pingctl']);
    // A stand-in for Fedora's `filesystem`: owns the directories, /usr and /usr/bin with mode 0555 as Fedora does.
    const fsPlan = { entries: [dir('/etc'), dir('/usr', 0o555), dir('/usr/bin', 0o555)] };
    const fs = await build(fsPlan, metaOf({ name: 'filesystem-like' }), {}, { ownDistroDirs: true });
    assert.deepEqual(ok('rpm', ['-qpl', fs.path]).trim().split('\n'), ['/etc', '/usr', '/usr/bin']);
    const root = installRoot();
    const r = rpmRoot(root, '-i', fs.path, p.path);
    assert.equal(r.status, 0, r.stderr);
    const owner = (path: string) => run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qf', path]).stdout.trim();
    assert.equal(owner('/usr/bin/pingctl'), 'pingctl-1.0.0-1.noarch');
    assert.equal(owner('/usr/bin'), 'filesystem-like-1.0.0-1.noarch');
    // Control: had the package owned /usr/bin (0755), rpm would report the conflict this test guards against.
    const owning = await build(ours, metaOf({ name: 'pingctl' }), {}, { ownDistroDirs: true });
    const clash = rpmRoot(installRoot(), '-i', fs.path, owning.path);
    assert.notEqual(clash.status, 0);
    assert.match(clash.stderr, /conflicts/);
  });
});
