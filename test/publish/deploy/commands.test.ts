/**
 * The pure parts of a deploy: host specs, remote command lines (every value quoted by the one
 * shell-quoting helper, checked by running them through a real sh), probe parsing, package
 * choice per family/architecture, package manager commands, `systemctl show` parsing.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { isMkpkgError } from '../../../src/errors.js';
import { parseShow } from '../../../src/publish/deploy/health.js';
import { installFiles, installTool, installVersionFromRepo, removePackages } from '../../../src/publish/deploy/install-commands.js';
import { resolveDeployOptions } from '../../../src/publish/deploy/options.js';
import { parseProbe } from '../../../src/publish/deploy/probe.js';
import { commandLine, scriptArgv } from '../../../src/publish/deploy/remote.js';
import { archFits, pickPackages } from '../../../src/publish/deploy/select.js';
import { parseTarget } from '../../../src/publish/deploy/targets.js';
import type { PackageFile } from '../../../src/publish/package-file.js';

const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { return isMkpkgError(e) ? e.code : `not coded: ${String(e)}`; }
  return 'no error';
};

describe('deploy: host specs', () => {
  const d = { user: 'deploy', port: 22 };
  it('parses [user@]host[:port] and bracketed IPv6', () => {
    assert.deepEqual(parseTarget('web1.example', d), { host: 'web1.example', port: 22, user: 'deploy', label: 'deploy@web1.example' });
    assert.deepEqual(parseTarget('root@10.0.0.5:2222', d), { host: '10.0.0.5', port: 2222, user: 'root', label: 'root@10.0.0.5:2222' });
    assert.deepEqual(parseTarget('[2001:db8::1]:2200', d), { host: '2001:db8::1', port: 2200, user: 'deploy', label: 'deploy@[2001:db8::1]:2200' });
  });
  it('refuses what ssh would read as an option or a second word (E_DEPLOY_INVALID)', () => {
    for (const bad of ['-oProxyCommand=x', 'web1 web2', 'web1:0', 'web1:70000', 'bad user@web1', 'web1;id', '[not-ipv6]:22', '']) {
      assert.equal(code(() => parseTarget(bad, d)), 'E_DEPLOY_INVALID', bad);
    }
  });
  it('validates the options all at once, and a host listed twice', () => {
    const e = (() => { try { resolveDeployOptions({ hosts: [], serial: 0, nope: 1 }, 'deploy()', '/'); } catch (x) { return x as Error; } return undefined; })();
    assert.ok(e && isMkpkgError(e) && e.code === 'E_DEPLOY_INVALID');
    assert.match(e.message, /3 problems/);
    assert.match(e.message, /deploy\(\)\.hosts: give at least one host/);
    assert.match(e.message, /deploy\(\)\.serial: .*\(got 0\)/);
    assert.match(e.message, /Unrecognized key: "nope"/);
    assert.equal(code(() => resolveDeployOptions({ hosts: ['a', 'root@a:22'] }, 'deploy', '/')), 'E_DEPLOY_INVALID');
    assert.equal(code(() => resolveDeployOptions({ hosts: ['a'], healthUrl: 'file:///etc/passwd' }, 'deploy', '/')), 'E_DEPLOY_INVALID');
    assert.equal(code(() => resolveDeployOptions({ hosts: ['a'], healthUrl: 'http://a/', healthCmd: 'true' }, 'deploy', '/')), 'E_DEPLOY_INVALID');
    assert.equal(code(() => resolveDeployOptions({ hosts: ['a'], previous: ['x.deb'] }, 'deploy', '/')), 'E_DEPLOY_INVALID');
    const ok = resolveDeployOptions({ hosts: ['a', 'b:2222'], user: 'ops', identity: 'keys/id', timeout: 5, settle: 0 }, 'deploy', '/proj');
    assert.deepEqual([ok.targets.map((t) => t.label), ok.identity, ok.timeoutMs, ok.settleMs, ok.serial], [['ops@a', 'ops@b:2222'], '/proj/keys/id', 5000, 0, 1]);
  });
});

describe('deploy: remote command lines', () => {
  /** What a POSIX sh makes of a command line: its words, one per line (printf through the same shell). */
  function wordsOf(line: string): string[] {
    const r = spawnSync('sh', ['-c', `set -- ${line}; for w; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\0').slice(0, -1);
  }

  it('quotes every word: hostile values arrive as one word each and nothing runs', () => {
    const hostile = ["$(touch /tmp/mkpkg-pwned)", "a'b", 'x; rm -rf /', '`id`', 'two words', '*', '~root', '-'];
    const line = commandLine(['printf', ...hostile]);
    assert.deepEqual(wordsOf(line), ['printf', ...hostile]);
  });

  it('puts sudo -n -- and env NAME=VALUE before the command', () => {
    assert.equal(commandLine(['apt-get', 'install', '-y', '/tmp/x y/p.deb'], { sudo: true, env: { DEBIAN_FRONTEND: 'noninteractive' } }),
      "sudo -n -- env 'DEBIAN_FRONTEND=noninteractive' apt-get install -y '/tmp/x y/p.deb'");
    assert.deepEqual(wordsOf(commandLine(['id'], { env: { A: "it's $HOME" } })), ['env', "A=it's $HOME", 'id']);
    assert.equal(code(() => commandLine(['id'], { env: { 'A B': 'x' } })), 'E_DEPLOY_INVALID');
  });

  it('passes script arguments as positional parameters, never spliced into the script', () => {
    const argv = scriptArgv('printf "%s|" "$@"', ['$(id)', "'"]);
    const r = spawnSync('sh', ['-c', commandLine(argv)], { encoding: 'utf8' });
    assert.equal(r.stdout, "$(id)|'|");
  });
});

describe('deploy: host facts and package choice', () => {
  it('parses the probe output', () => {
    const f = parseProbe('uid=1000\nfamily=deb\ndebarch=amd64\nmachine=x86_64\ntool=apt-get\ntool=systemctl\nsudo=refused\nsudomsg=sudo: a password is required\n');
    assert.deepEqual([f.uid, f.family, f.arch, [...f.tools], f.sudo, f.sudoMessage], [1000, 'deb', 'amd64', ['apt-get', 'systemctl'], 'refused', 'sudo: a password is required']);
    const r = parseProbe('uid=0\nfamily=rpm\ndebarch=amd64\nmachine=aarch64\n');
    assert.equal(r.arch, 'aarch64', 'an rpm host with dpkg installed still reports uname -m');
  });

  const pkg = (file: string, format: 'deb' | 'rpm', arch: string, name = 'app'): PackageFile =>
    ({ path: `/out/${file}`, file, format, name, version: '1.0-1', arch, size: 1, sha256: '', services: [] });

  it('picks one file per package for the host family and architecture, the exact arch before all/noarch', () => {
    const given = [pkg('app_all.deb', 'deb', 'all'), pkg('app_amd64.deb', 'deb', 'amd64'), pkg('app.x86_64.rpm', 'rpm', 'x86_64'), pkg('lib.noarch.rpm', 'rpm', 'noarch', 'lib'), pkg('lib_all.deb', 'deb', 'all', 'lib')];
    assert.deepEqual(pickPackages(given, { label: 'h', family: 'deb', arch: 'amd64' }).map((p) => p.file), ['app_amd64.deb', 'lib_all.deb']);
    assert.deepEqual(pickPackages(given, { label: 'h', family: 'deb', arch: 'arm64' }).map((p) => p.file), ['app_all.deb', 'lib_all.deb']);
    assert.deepEqual(pickPackages(given, { label: 'h', family: 'rpm', arch: 'x86_64' }).map((p) => p.file), ['app.x86_64.rpm', 'lib.noarch.rpm']);
    assert.equal(code(() => pickPackages(given, { label: 'h', family: 'rpm', arch: 'aarch64' })), 'E_DEPLOY_WRONG_PACKAGE');
    assert.equal(code(() => pickPackages([pkg('a.deb', 'deb', 'amd64')], { label: 'h', family: 'rpm', arch: 'x86_64' })), 'E_DEPLOY_WRONG_PACKAGE');
    assert.ok(archFits('x86_64', 'amd64') && archFits('aarch64', 'arm64') && !archFits('arm64', 'amd64') && archFits('noarch', 'mips'));
  });

  it('uses apt-get/dnf when present, else dpkg/rpm; downgrades only when asked', () => {
    assert.equal(installTool('deb', new Set(['apt-get', 'dpkg'])), 'apt-get');
    assert.equal(installTool('deb', new Set(['dpkg'])), 'dpkg');
    assert.equal(installTool('rpm', new Set(['dnf', 'yum', 'rpm'])), 'dnf');
    assert.equal(installTool('rpm', new Set(['yum', 'rpm'])), 'yum');
    assert.equal(installTool('rpm', new Set(['rpm'])), 'rpm');
    assert.deepEqual(installFiles('apt-get', ['/t/a.deb']).argv, ['apt-get', 'install', '-y', '-q', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', '/t/a.deb']);
    assert.ok(installFiles('apt-get', ['/t/a.deb'], true).argv.includes('--allow-downgrades'));
    assert.deepEqual(installFiles('dpkg', ['/t/a.deb']).argv, ['dpkg', '--force-confdef', '--force-confold', '-i', '/t/a.deb']);
    assert.deepEqual(installFiles('dnf', ['/t/a.rpm']).argv, ['dnf', '-y', 'install', '/t/a.rpm']);
    assert.deepEqual(installFiles('dnf', ['/t/a.rpm'], true).argv, ['dnf', '-y', 'downgrade', '/t/a.rpm']);
    assert.deepEqual(installFiles('rpm', ['/t/a.rpm'], true).argv, ['rpm', '-U', '--oldpackage', '/t/a.rpm']);
    assert.deepEqual(removePackages('rpm', ['app']).argv, ['rpm', '-e', 'app']);
    assert.deepEqual(installVersionFromRepo('apt-get', 'app', '1.0-1')?.argv.slice(-2), ['--allow-downgrades', 'app=1.0-1']);
    assert.equal(installVersionFromRepo('dpkg', 'app', '1.0-1'), undefined);
  });

  it('parses systemctl show for several units', () => {
    const s = parseShow('Id=a.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=12\nNRestarts=0\n\nId=b.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\nNRestarts=3\n');
    assert.deepEqual(s, [
      { unit: 'a.service', load: 'loaded', active: 'active', sub: 'running', mainPid: 12, restarts: 0 },
      { unit: 'b.service', load: 'not-found', active: 'inactive', sub: 'dead', mainPid: 0, restarts: 3 },
    ]);
  });
});
