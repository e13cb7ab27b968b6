/**
 * Runtime templates rendered by the launcher (POSIX sh + awk, no Node.js) in a scratch root, under
 * dash + mawk, busybox sh + busybox awk, and bash --posix: substitution rules, awkward values,
 * the missing-variable error, atomic writes, mode/owner, host facts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { resolveRuntimeTemplates, resolveService } from '../../src/lifecycle/index.js';
import { PKG, SHELL_TOOLS, renderSample, requireShells, runLauncher, serviceIds, shells, type Sample } from '../launcher/support.js';
import { requireRoot } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

/** Render as the service user (nobody), as the unit's ExecStartPre without "+" does. */
const AS_SERVICE = { as: 'service' } as const;

const DST = `/run/${PKG}/app.env`;

function setup(template: string, extra: { mode?: string; dst?: string } = {}): { s: Sample; out: string; tmpl: string } {
  const dst = extra.dst ?? DST;
  const s = renderSample({ templates: [{ src: 'config/app.env.tmpl', dst, ...(extra.mode ? { mode: extra.mode } : {}) }] });
  const tmpl = join(s.root, `usr/lib/${PKG}/runtime/config/app.env.tmpl`);
  writeFileSync(tmpl, template);
  return { s, out: join(s.root, dst), tmpl };
}

describe('runtime templates', () => {
  before(function () {
    requireShells(this);
  });

  it('runs under every shell the launcher is tested with', () => {
    assert.deepEqual(shells().map((s) => s.name.split(' ')[0]), [...SHELL_TOOLS]);
  });

  for (const sh of shells()) {
    describe(`rendered by the launcher under ${sh.name}`, () => {
      it('${VAR}, ${VAR:-default} (unset or empty), $${ literal; other $ forms are copied as they are', () => {
        const { s, out } = setup('A=${A}\nB=${B:-fallback}\nC=${C:-fallback}\nD=${D:-}\nE=$${E} $E ${e#x} ${1} $ ${ $$\nF=${A}${A}-${B:-x y/z}\n');
        const r = runLauncher(sh, s.launcher, ['render-config'], { A: 'a', C: '' }, AS_SERVICE);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(readFileSync(out, 'utf8'), 'A=a\nB=fallback\nC=fallback\nD=\nE=${E} $E ${e#x} ${1} $ ${ $$\nF=aa-x y/z\n');
      });

      it('inserts values with "/", "&", "\\", quotes, "$", "${…}" and newlines verbatim (no sub()/gsub() pitfalls)', () => {
        const { s, out } = setup('V=${V}\nW="${W:-d&f\\1}"\n');
        const v = 'a/b&c\\1\\\\d \'single\' "double" $HOME ${A} \\n\nsecond line&\n';
        const r = runLauncher(sh, s.launcher, ['render-config'], { V: v, A: 'not-expanded' }, AS_SERVICE);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(readFileSync(out, 'utf8'), `V=${v}\nW="d&f\\1"\n`);
      });

      it('keeps a missing final newline, and renders an empty template to an empty file', () => {
        const a = setup('X=${X:-1}');
        assert.equal(runLauncher(sh, a.s.launcher, ['render-config'], {}, AS_SERVICE).status, 0);
        assert.equal(readFileSync(a.out, 'utf8'), 'X=1');
        const b = setup('');
        assert.equal(runLauncher(sh, b.s.launcher, ['render-config'], {}, AS_SERVICE).status, 0);
        assert.equal(readFileSync(b.out, 'utf8'), '');
      });

      it('a variable that is not set and has no default fails, naming it, the template and the line; the old file stays', () => {
        const { s, out, tmpl } = setup('A=${A:-1}\nNODE=${NODE_ID}\n');
        mkdirSync(join(out, '..'), { recursive: true });
        writeFileSync(out, 'previous\n');
        const r = runLauncher(sh, s.launcher, ['render-config'], {}, AS_SERVICE);
        assert.equal(r.status, 1);
        assert.match(r.stderr, new RegExp(`${PKG}: runtime template ${tmpl} line 2: \\$\\{NODE_ID\\} is not set \\(rendering ${out}\\); set NODE_ID in the service environment \\(EnvironmentFile\\) or give a default: \\$\\{NODE_ID:-value\\}`));
        assert.equal(readFileSync(out, 'utf8'), 'previous\n');
        assert.deepEqual(readdirSync(join(out, '..')), ['app.env'], 'no temporary file is left behind');
        // foreground (what a manual start runs) refuses to start the command.
        const f = runLauncher(sh, s.launcher, ['foreground', '--', 'true'], {}, AS_SERVICE);
        assert.equal(f.status, 1);
        assert.match(f.stderr, /\$\{NODE_ID\} is not set/);
      });

      it('reads the EnvironmentFile when not started by systemd; the environment and pinned facts win', () => {
        const { s, out } = setup('G=${GREETING}\nCPUS=${MKPKG_CPUS}\n');
        mkdirSync(join(s.root, 'etc/default'), { recursive: true });
        writeFileSync(join(s.root, `etc/default/${PKG}`), '# comment\nGREETING="hello world"\nMKPKG_CPUS=64\n');
        assert.equal(runLauncher(sh, s.launcher, ['render-config'], {}, AS_SERVICE).status, 0);
        assert.equal(readFileSync(out, 'utf8'), 'G=hello world\nCPUS=64\n');
        assert.equal(runLauncher(sh, s.launcher, ['render-config'], { INVOCATION_ID: '1', GREETING: 'from systemd' }, AS_SERVICE).status, 0);
        assert.equal(readFileSync(out, 'utf8'), `G=from systemd\nCPUS=${cpus().length}\n`);
      });

      it('provides the host facts: host name, FQDN, CPU count, memory', () => {
        const { s, out } = setup('${MKPKG_HOSTNAME}|${MKPKG_FQDN}|${MKPKG_CPUS}|${MKPKG_MEMORY_MB}|${MKPKG_PACKAGE}|${MKPKG_SERVICE}|${MKPKG_VERSION}\n');
        const r = runLauncher(sh, s.launcher, ['render-config'], {}, AS_SERVICE);
        assert.equal(r.status, 0, r.stderr);
        const [host, fqdn, n, mem, pkg, svc, version] = readFileSync(out, 'utf8').trim().split('|');
        assert.equal(host, hostname().split('.')[0]);
        assert.ok(fqdn.startsWith(host), `${fqdn} begins with ${host}`);
        assert.equal(Number(n), cpus().length);
        assert.ok(Math.abs(Number(mem) - totalmem() / 1048576) <= 1, `${mem} MiB vs ${totalmem()} bytes`);
        assert.deepEqual([pkg, svc, version], [PKG, PKG, '2.3.4-1']);
        const facts = runLauncher(sh, s.launcher, ['facts']);
        assert.match(facts.stdout, new RegExp(`^MKPKG_HOSTNAME=${host}\\nMKPKG_FQDN=\\S+\\nMKPKG_CPUS=${n}\\nMKPKG_MEMORY_MB=${mem}\\n$`));
      });

      it('writes the mode asked for (default 0640): the service user its own files in its RuntimeDirectory, root the others (with the service group)', function () {
        const a = setup('x\n');
        assert.equal(runLauncher(sh, a.s.launcher, ['render-config'], {}, AS_SERVICE).status, 0);
        assert.equal(statSync(a.out).mode & 0o7777, 0o640);
        requireRoot(this);
        assert.equal(statSync(a.out).uid, serviceIds().uid, 'in /run/NAME: the service user');
        const b = setup('y\n', { mode: '0600', dst: `/etc/${PKG}/generated.conf` });
        const r = runLauncher(sh, b.s.launcher, ['render-config']);
        assert.equal(r.status, 0, `the parent directory is created: ${r.stderr}`);
        assert.equal(statSync(b.out).mode & 0o7777, 0o600);
        assert.equal(statSync(b.out).uid, 0, 'elsewhere: root, with the service group');
        assert.equal(statSync(b.out).gid, Number(spawnSync('getent', ['group', 'nogroup'], { encoding: 'utf8' }).stdout.split(':')[2]));
      });

      it('each renders only its own: root skips the service user\'s files, the service user root\'s, saying so outside systemd', function () {
        requireRoot(this);
        const s = renderSample({ templates: [{ src: 'config/a.tmpl', dst: DST }, { src: 'config/a.tmpl', dst: `/etc/${PKG}/b.conf` }] });
        writeFileSync(join(s.root, `usr/lib/${PKG}/runtime/config/a.tmpl`), 'v\n');
        const asRoot = runLauncher(sh, s.launcher, ['render-config']);
        assert.equal(asRoot.status, 0, asRoot.stderr);
        assert.deepEqual([existsSync(join(s.root, DST)), existsSync(join(s.root, `etc/${PKG}/b.conf`))], [false, true]);
        assert.match(asRoot.stderr, new RegExp(`${PKG}: ${s.root}${DST} is rendered by nobody \\(the unit does it at every start\\); skipped`));
        rmSync(join(s.root, `etc/${PKG}/b.conf`));
        const asService = runLauncher(sh, s.launcher, ['render-config'], { INVOCATION_ID: 'x' }, AS_SERVICE);
        assert.equal(asService.status, 0, asService.stderr);
        assert.deepEqual([existsSync(join(s.root, DST)), existsSync(join(s.root, `etc/${PKG}/b.conf`))], [true, false]);
        assert.equal(asService.stderr, '', 'under systemd nothing is said about the files the other line renders');
      });

      it('root refuses to render where another user could swap the file for a link: a directory a user owns or can write, or a symbolic link on the way (issue 11)', function () {
        requireRoot(this);
        const { uid, gid } = serviceIds();
        const victim = join(scratch('mkpkg-victim-'), 'secret');
        writeFileSync(victim, 'root only\n', { mode: 0o600 });
        const cases: [string, (dir: string) => void][] = [
          ['owned by the service user', (dir) => { mkdirSync(dir, { recursive: true }); chownSync(dir, uid, gid); symlinkSync(victim, join(dir, 'b.conf')); }],
          ['group-writable', (dir) => { mkdirSync(dir, { recursive: true }); chownSync(dir, 0, gid); chmodSync(dir, 0o775); }],
          ['a symbolic link to a directory of root\'s', (dir) => { mkdirSync(join(dir, '..'), { recursive: true }); symlinkSync(join(victim, '..'), dir); }],
          ['below a user-owned directory', (dir) => { mkdirSync(join(dir, '..'), { recursive: true }); chownSync(join(dir, '..'), uid, gid); }],
        ];
        for (const [label, plant] of cases) {
          const t = setup('pwned\n', { dst: `/etc/${PKG}/conf.d/b.conf` });
          const dir = join(t.s.root, `etc/${PKG}/conf.d`);
          plant(dir);
          const r = runLauncher(sh, t.s.launcher, ['render-config']);
          assert.equal(r.status, 1, `${label}: ${r.stderr}`);
          assert.match(r.stderr, new RegExp(`not rendering ${t.out} as root: .* is a symbolic link or can be written by a user other than root`), label);
          const st = statSync(victim);
          assert.deepEqual([st.uid, st.mode & 0o7777, readFileSync(victim, 'utf8')], [0, 0o600, 'root only\n'], `${label}: the victim is untouched`);
        }
      });
    });
  }

  describe('resolveRuntimeTemplates', () => {
    const svc = (name: string, user = name) => resolveService({ name, command: '/bin/true' }, 0, undefined, { user, group: user }).service;

    it('ships each source once under /usr/lib/NAME/runtime and renders per service', () => {
      const r = resolveRuntimeTemplates('pkg', [
        { src: './config/a.tmpl', dst: '/run/web/a.env' },
        { src: 'config/a.tmpl', dst: '/etc/pkg/a-copy.env', service: 'worker', mode: '0644' },
      ], [svc('web'), svc('worker', 'root')]);
      assert.deepEqual(r.files, [{ source: 'config/a.tmpl', path: '/usr/lib/pkg/runtime/config/a.tmpl', mode: 0o644 }]);
      assert.deepEqual(r.byService.get('web'), [{ template: '/usr/lib/pkg/runtime/config/a.tmpl', dst: '/run/web/a.env', mode: '0640', owner: 'web', group: 'web', as: 'service' }]);
      assert.deepEqual(r.byService.get('worker')!.map((t) => [t.dst, t.owner, t.group, t.mode, t.as]), [['/run/web/a.env', 'root', 'root', '0640', 'root'], ['/etc/pkg/a-copy.env', 'root', 'root', '0644', 'root']]);
    });

    it('refuses a source outside the project, a relative destination and an unknown service, naming the field', () => {
      const cases: [Parameters<typeof resolveRuntimeTemplates>[1][0], RegExp][] = [
        [{ src: '../secret', dst: '/run/x/a' }, /runtime\.templates\[0\]\.src: "\.\.\/secret"/],
        [{ src: 'a', dst: 'run/x/a' }, /runtime\.templates\[0\]\.dst "run\/x\/a" is not an absolute path/],
        [{ src: 'a', dst: '/run/x/a', service: 'nope' }, /runtime\.templates\[0\]\.service: "nope" is not one of the package's services \(web\)/],
      ];
      for (const [t, re] of cases) {
        assert.throws(() => resolveRuntimeTemplates('pkg', [t], [svc('web')]), (e: MkpkgError) => e.code === 'E_LAUNCHER_INVALID' && re.test(e.message) && !!e.hint, JSON.stringify(t));
      }
    });
  });
});
