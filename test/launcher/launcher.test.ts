/**
 * The launcher rendered for a sample package into a scratch root, run under dash, busybox sh
 * (busybox applets only) and bash --posix: commands, hook order and precedence, hook environment,
 * failing hooks, exec in the foreground.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launcherDirectives, resolveLauncherPath } from '../../src/lifecycle/index.js';
import { MkpkgError } from '../../src/errors.js';
import { PKG, renderSample, requireShells, runLauncher, shells, writeHook, type Sample } from './support.js';
import { requireRoot, requireTools } from '../support/tools.js';

const available = shells();

describe('launcher', () => {
  before(function () {
    requireShells(this);
  });

  it('runs on three POSIX shells here: dash, busybox sh (busybox applets only) and bash --posix', function () {
    assert.deepEqual(available.map((s) => s.name.split(' ')[0]), ['dash', 'busybox', 'bash'], `shells: ${available.map((s) => s.name).join(', ')}`);
  });

  it('passes sh -n in every shell, and embeds values through the quoting helper', () => {
    const s = renderSample({ service: { command: "/bin/echo 'it''s' $HOME" } });
    for (const sh of available) {
      const r = spawnSync(sh.argv[0], [...sh.argv.slice(1), '-n', s.launcher], { encoding: 'utf8', env: { PATH: sh.path } });
      assert.equal(r.status, 0, `${sh.name} -n: ${r.stderr}`);
    }
    assert.match(s.text, /^MKPKG_VERSION=2\.3\.4-1$/m);
    assert.match(s.text, /^#!\/bin\/sh\n/);
  });

  for (const sh of available) {
    describe(`under ${sh.name}`, () => {
      let s: Sample;
      let log: string;
      beforeEach(() => {
        s = renderSample();
        log = join(s.root, 'hooks.log');
      });
      const hookBody = (label: string) =>
        `echo "${label} stage=$MKPKG_HOOK_STAGE pkg=$MKPKG_PACKAGE version=$MKPKG_VERSION service=$MKPKG_SERVICE app=$MKPKG_APP_DIR greeting=\${GREETING:-unset}" >> "$LOG"`;

      it('version and help', () => {
        assert.equal(runLauncher(sh, s.launcher, ['version']).stdout, '2.3.4-1\n');
        const help = runLauncher(sh, s.launcher, ['help']);
        assert.equal(help.status, 0);
        assert.match(help.stdout, /foreground \[--no-prepare\] \[SERVICE\]/);
        assert.match(help.stdout, new RegExp(`${s.root}/usr/lib/${PKG}/hooks/STAGE\\.d/`));
        const bad = runLauncher(sh, s.launcher, ['frobnicate']);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /Usage:/);
      });

      it('runs hooks of both directories in bytewise name order; /etc overrides and masks packaged hooks; backups are ignored', () => {
        const pkgDir = join(s.root, `usr/lib/${PKG}/hooks/pre-start.d`);
        const etcDir = join(s.root, `etc/${PKG}/hooks/pre-start.d`);
        writeHook(join(pkgDir, '10-a'), hookBody('pkg/10-a'));
        writeHook(join(pkgDir, '20-b'), hookBody('pkg/20-b'));
        writeHook(join(pkgDir, '30-c'), hookBody('pkg/30-c'));
        writeHook(join(pkgDir, '40-masked'), hookBody('pkg/40-masked'));
        writeHook(join(pkgDir, '45-linked'), hookBody('pkg/45-linked'));
        writeHook(join(pkgDir, 'Z-upper'), hookBody('pkg/Z-upper'));
        writeHook(join(etcDir, '20-b'), hookBody('etc/20-b'));
        writeHook(join(etcDir, '15-admin'), hookBody('etc/15-admin'));
        writeHook(join(etcDir, '40-masked'), hookBody('etc/40-masked'), 0o644);
        mkdirSync(etcDir, { recursive: true });
        symlinkSync('/dev/null', join(etcDir, '45-linked'));
        writeHook(join(etcDir, '50-x.dpkg-old'), hookBody('etc/50-x.dpkg-old'));
        writeHook(join(etcDir, '60-y.rpmsave'), hookBody('etc/60-y.rpmsave'));
        writeHook(join(etcDir, '70-z~'), hookBody('etc/70-z~'));
        writeHook(join(etcDir, 'a-lower'), hookBody('etc/a-lower'));
        const r = runLauncher(sh, s.launcher, ['hooks', 'pre-start'], { LOG: log });
        assert.equal(r.status, 0, r.stderr);
        const ran = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
        assert.deepEqual(ran, ['pkg/10-a', 'etc/15-admin', 'etc/20-b', 'pkg/30-c', 'pkg/Z-upper', 'etc/a-lower']);
      });

      it('gives hooks the documented environment, including the EnvironmentFile read outside systemd', () => {
        const envFile = join(s.root, `etc/default/${PKG}`);
        mkdirSync(join(envFile, '..'), { recursive: true });
        writeFileSync(envFile, 'GREETING="hi there & $ friends"\n'.replace('$', '\\$'));
        writeHook(join(s.root, `etc/${PKG}/hooks/post-stop.d/10-env`), hookBody('env'));
        const r = runLauncher(sh, s.launcher, ['hooks', 'post-stop'], { LOG: log });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(readFileSync(log, 'utf8'), `env stage=post-stop pkg=${PKG} version=2.3.4-1 service=${PKG} app=/usr/lib/${PKG} greeting=hi there & $ friends\n`);
        // Under systemd (INVOCATION_ID set) the environment comes from systemd, not from the file.
        runLauncher(sh, s.launcher, ['hooks', 'post-stop'], { LOG: log, INVOCATION_ID: 'x', GREETING: 'from systemd' });
        assert.match(readFileSync(log, 'utf8').split('\n')[1], /greeting=from systemd$/);
      });

      it('a failing pre-start hook stops foreground before the command runs, with the hook message and exit status', () => {
        const pkgDir = join(s.root, `usr/lib/${PKG}/hooks/pre-start.d`);
        writeHook(join(pkgDir, '10-ok'), hookBody('ok'));
        writeHook(join(pkgDir, '20-fail'), 'echo "database unreachable" >&2; exit 7');
        writeHook(join(pkgDir, '30-never'), hookBody('never'));
        const marker = join(s.root, 'started');
        const r = runLauncher(sh, s.launcher, ['foreground', PKG, '--', 'touch', marker], { LOG: log });
        assert.equal(r.status, 7);
        assert.match(r.stderr, /database unreachable/);
        assert.match(r.stderr, new RegExp(`${PKG}: pre-start hook ${pkgDir}/20-fail failed \\(exit status 7\\)`));
        assert.ok(!existsSync(marker), 'the command did not run');
        assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]), ['ok']);
        // `hooks pre-start` (the unit's ExecStartPre) fails the same way.
        assert.equal(runLauncher(sh, s.launcher, ['hooks', 'pre-start'], { LOG: log }).status, 7);
      });

      it('as root, refuses a hook directory that is a symbolic link or that another user can write, and runs none of its hooks', function () {
        requireRoot(this);
        const userDir = join(s.root, 'var/lib/app-user');
        writeHook(join(userDir, '10-planted'), hookBody('planted'));
        chownSync(userDir, 65534, 65534);
        const stageDir = join(s.root, `etc/${PKG}/hooks/pre-upgrade.d`);
        mkdirSync(join(stageDir, '..'), { recursive: true });
        symlinkSync(userDir, stageDir);
        const linked = runLauncher(sh, s.launcher, ['hooks', 'pre-upgrade'], { LOG: log });
        assert.equal(linked.status, 1, linked.stderr);
        assert.match(linked.stderr, new RegExp(`${PKG}: not running pre-upgrade hooks as root: ${stageDir}, or a directory above it, is a symbolic link or can be written by a user other than root`));
        rmSync(stageDir);
        writeHook(join(stageDir, '10-planted'), hookBody('planted'));
        chownSync(stageDir, 65534, 65534);
        assert.equal(runLauncher(sh, s.launcher, ['hooks', 'pre-upgrade'], { LOG: log }).status, 1);
        assert.ok(!existsSync(log), 'no hook ran');
        chownSync(stageDir, 0, 0);
        assert.equal(runLauncher(sh, s.launcher, ['hooks', 'pre-upgrade'], { LOG: log }).status, 0, 'a directory only root can write is fine');
        assert.match(readFileSync(log, 'utf8'), /^planted stage=pre-upgrade/);
      });

      it('foreground execs the command: it keeps the launcher PID and gets the arguments verbatim', () => {
        const script = join(s.root, 'pid.sh');
        writeFileSync(script, 'echo "$$|$MKPKG_SERVICE|$1|$2"\n');
        const child = spawnSync(sh.argv[0], [...sh.argv.slice(1), '-c', 'echo "$$"; exec "$@"', 'wrapper', ...sh.argv, s.launcher, 'foreground', '--no-prepare', '--', sh.argv[0], script, 'a b', "it's $x"], {
          encoding: 'utf8',
          env: { PATH: sh.path },
        });
        assert.equal(child.status, 0, child.stderr);
        const [pid, out] = child.stdout.trim().split('\n');
        assert.equal(out, `${pid}|${PKG}|a b|it's $x`);
      });

      it('rejects an unknown stage or service', () => {
        const a = runLauncher(sh, s.launcher, ['hooks', 'pre-flight']);
        assert.equal(a.status, 2);
        assert.match(a.stderr, /unknown hook stage: pre-flight/);
        const b = runLauncher(sh, s.launcher, ['hooks', 'pre-start', 'other']);
        assert.equal(b.status, 2);
        assert.match(b.stderr, /unknown service: other \(this package has: demo-app\)/);
      });
    });
  }

  it('starts no process of its own per service start and stop when there are no hooks (counted with strace)', function () {
    requireTools(this, 'strace', 'dash');
    const s = renderSample();
    // What systemd runs for one start and stop of the unit, without runtime templates.
    const perStart = [['hooks', 'pre-start', PKG], ['foreground', '--no-prepare', PKG, '--', '/bin/true'], ['hooks', 'post-start', PKG], ['hooks', 'pre-stop', PKG], ['hooks', 'post-stop', PKG]];
    const counts = perStart.map((args) => {
      const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=fork,vfork,clone,clone3,execve', '-e', 'signal=none', 'dash', s.launcher, ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', INVOCATION_ID: 'x' } });
      assert.equal(r.status, 0, r.stderr);
      const calls = r.stderr.split('\n');
      return [args[0], calls.filter((l) => /\b(clone3?|v?fork)\(/.test(l) && !/= -1 /.test(l)).length, calls.filter((l) => /\bexecve\(/.test(l)).length];
    });
    // Each is the shell itself (one execve); foreground also execs the command, in the same process.
    assert.deepEqual(counts, [['hooks', 0, 1], ['foreground', 0, 2], ['hooks', 0, 1], ['hooks', 0, 1], ['hooks', 0, 1]]);
  });

  describe('unit wiring and configuration', () => {
    it('wraps the command: pre-start steps in ExecStartPre, the command exec\'d by ExecStart, stop hooks that cannot fail the stop', () => {
      assert.deepEqual(launcherDirectives('/usr/bin/app', 'app', '-/usr/bin/node "/srv/my app.js" $PORT', { root: true, service: true }, 'services[0]'), [
        ['ExecStartPre', '+/usr/bin/app render-config app'],
        ['ExecStartPre', '/usr/bin/app render-config app'],
        ['ExecStartPre', '/usr/bin/app hooks pre-start app'],
        ['ExecStart', '-/usr/bin/app foreground --no-prepare app -- /usr/bin/node "/srv/my app.js" $PORT'],
        ['ExecStartPost', '/usr/bin/app hooks post-start app'],
        ['ExecStop', '-/usr/bin/app hooks pre-stop app'],
        ['ExecStopPost', '-/usr/bin/app hooks post-stop app'],
      ]);
      const none = { root: false, service: false };
      assert.equal(launcherDirectives('/usr/bin/app', 'app', 'node x', none, 's')[0][1], '/usr/bin/app hooks pre-start app');
      assert.equal(launcherDirectives('/usr/bin/app', 'app', 'node x', none, 's').length, 5);
      assert.deepEqual(launcherDirectives('/usr/bin/app', 'app', 'node x', { root: false, service: true }, 's')[0], ['ExecStartPre', '/usr/bin/app render-config app'], 'the service renders its own files without "+", as its user');
      assert.throws(() => launcherDirectives('/usr/bin/app', 'app', '@/usr/bin/node argv0 x', none, 'services[0]'), (e: MkpkgError) => e.code === 'E_LAUNCHER_INVALID' && /services\[0\]\.command/.test(e.message));
    });

    it('is on by default with services, off without (unless asked), and validates its path', () => {
      assert.equal(resolveLauncherPath('app', undefined, true), '/usr/bin/app');
      assert.equal(resolveLauncherPath('app', undefined, false), null);
      assert.equal(resolveLauncherPath('app', {}, false), '/usr/bin/app');
      assert.equal(resolveLauncherPath('app', false, true), null);
      assert.equal(resolveLauncherPath('app', { path: '/usr/sbin/app-ctl' }, true), '/usr/sbin/app-ctl');
      for (const bad of ['usr/bin/app', '/usr/bin/my app', '/usr/bin/../app', '/usr/bin/', "/usr/bin/a'b"]) {
        assert.throws(() => resolveLauncherPath('app', { path: bad }, true), (e: MkpkgError) => e.code === 'E_LAUNCHER_INVALID' && e.message.includes('launcher.path'), bad);
      }
    });
  });
});
