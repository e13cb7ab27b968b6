/**
 * strip and debugPackage on the C daemon fixture: the packaged binary is stripped, its symbols are
 * in cdaemon-dbgsym (.deb) and cdaemon-debuginfo (.rpm) where gdb finds them by build-id; lintian
 * and rpmlint judge the packages, rpmlint against an rpmbuild-built debuginfo package.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../formats/deb/tree-compare.js';
import { buildJson, lintianProblems, mkpkg } from '../cli/helpers.js';
import { synthElf } from '../support/elf-synth.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { builtCDaemon, META, writeProject } from './support.js';

function extract(pkg: string): string {
  const out = scratch('dbg-x-');
  if (pkg.endsWith('.deb')) run('dpkg-deb', ['-x', pkg, out]);
  else assert.equal(spawnSync('sh', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', pkg], { cwd: out }).status, 0);
  return out;
}

const buildId = (file: string) => /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', file]))![1];
const sections = (file: string) => run('readelf', ['-S', '-W', file]);
const errors = (lint: string) => [...new Set(lint.split('\n').map((l) => /: E: (\S+)/.exec(l)?.[1]).filter((x): x is string => !!x))].sort();

/** `gdb -batch` on `binary`, with `debugDir` as the debug-file-directory (or none). */
function gdb(binary: string, debugDir?: string): string {
  const args = ['-batch', '-nx', ...(debugDir ? ['-ex', `set debug-file-directory ${debugDir}`] : ['-ex', 'set debug-file-directory /nonexistent']), '-ex', `file ${binary}`, '-ex', 'info functions ^main$', '-ex', 'info line main'];
  return spawnSync('gdb', args, { encoding: 'utf8' }).stdout;
}

describe('distro: strip and the debug package (C daemon fixture)', function () {
  this.timeout(600_000);
  let dir: string;
  let pkgs: Record<string, string>;

  before(function () {
    requireTools(this, 'gcc', 'make', 'strip', 'objcopy', 'readelf', 'gdb', 'dpkg-deb', 'rpm', 'rpm2cpio', 'cpio', 'lintian', 'rpmlint');
    dir = builtCDaemon();
    pkgs = Object.fromEntries(buildJson(['build', dir, '--formats', 'deb,rpm', '-o', scratch('dbg-out-')], { env: { CDAEMON_PORT: '18123' } }).map((a) => [`${a.name}.${a.format}`, a.path]));
    assert.deepEqual(Object.keys(pkgs).sort(), ['cdaemon-dbgsym.deb', 'cdaemon-debuginfo.rpm', 'cdaemon.deb', 'cdaemon.rpm']);
  });

  it('the packaged binary is stripped (no symbol table, no debug sections) and keeps the build-id of the built one', () => {
    const built = join(dir, 'build', 'cdaemon');
    assert.match(sections(built), /\.debug_info/);
    for (const main of [pkgs['cdaemon.deb'], pkgs['cdaemon.rpm']]) {
      const bin = join(extract(main), 'usr/sbin/cdaemon');
      assert.doesNotMatch(sections(bin), /\.symtab|\.debug_|\.comment/);
      assert.equal(buildId(bin), buildId(built));
      assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout, 'cdaemon 1.0.0\n', 'the stripped binary runs');
    }
  });

  it('cdaemon-dbgsym: Debian\'s fields, the debug file at /usr/lib/debug/.build-id/xx/yyyy.debug', () => {
    const deb = pkgs['cdaemon-dbgsym.deb'];
    const f = (name: string) => run('dpkg-deb', ['-f', deb, name]).trim();
    const id = buildId(join(dir, 'build', 'cdaemon'));
    assert.equal(f('Package'), 'cdaemon-dbgsym');
    assert.equal(f('Version'), run('dpkg-deb', ['-f', pkgs['cdaemon.deb'], 'Version']).trim());
    assert.equal(f('Depends'), `cdaemon (= ${f('Version')})`);
    assert.equal(f('Section'), 'debug');
    assert.equal(f('Priority'), 'optional');
    assert.equal(f('Auto-Built-Package'), 'debug-symbols');
    assert.equal(f('Build-Ids'), id);
    const files = run('dpkg-deb', ['-c', deb]).split('\n').filter((l) => l && !l.startsWith('d')).map((l) => l.replace(/^.* \.\//, '/'));
    assert.deepEqual(files, [`/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`, '/usr/share/doc/cdaemon-dbgsym -> cdaemon']);
  });

  it('cdaemon-debuginfo: Fedora\'s layout and the debuginfo(build-id) provide', () => {
    const rpm = pkgs['cdaemon-debuginfo.rpm'];
    const id = buildId(join(dir, 'build', 'cdaemon'));
    const list = run('rpm', ['-qlp', rpm]).split('\n').filter(Boolean);
    assert.ok(list.includes('/usr/lib/debug/usr/sbin/cdaemon-1.0.0-1.x86_64.debug') || process.arch !== 'x64', list.join(' '));
    assert.ok(list.includes(`/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`), list.join(' '));
    assert.match(run('rpm', ['-qp', '--provides', rpm]), new RegExp(`^debuginfo\\(build-id\\) = ${id}$`, 'm'));
    assert.match(run('rpm', ['-qp', '--qf', '%{GROUP}|%{SUMMARY}', rpm]), /^Development\/Debug\|Debug information for package cdaemon$/);
  });

  it('gdb finds main in src/cdaemon.c through either debug package, and nothing without it', () => {
    const main = join(extract(pkgs['cdaemon.deb']), 'usr/sbin/cdaemon');
    assert.doesNotMatch(gdb(main), /cdaemon\.c/);
    for (const dbg of [pkgs['cdaemon-dbgsym.deb'], pkgs['cdaemon-debuginfo.rpm']]) {
      const out = gdb(main, join(extract(dbg), 'usr/lib/debug'));
      assert.match(out, /File src\/cdaemon\.c:\n\d+:\s+int main\(int, char \*\*\);/, out);
      assert.match(out, /Line \d+ of "src\/cdaemon\.c" starts at address/, out);
    }
  });

  it('lintian: no error and no untolerated warning on either .deb', () => {
    for (const deb of [pkgs['cdaemon.deb'], pkgs['cdaemon-dbgsym.deb']]) {
      const p = lintianProblems(deb);
      assert.deepEqual([...p.errors, ...p.warnings], [], p.output);
    }
  });

  it('rpmlint: the debuginfo package has no error an rpmbuild-built debuginfo package of the same binary lacks', function () {
    requireTools(this, 'rpmbuild', 'eu-strip', 'find-debuginfo');
    const top = scratch('rpmbuild-dbg-');
    mkdirSync(join(top, 'SOURCES'), { recursive: true });
    copyFileSync(join(dir, 'build', 'cdaemon'), join(top, 'SOURCES', 'cdaemon'));
    writeFileSync(join(top, 'cdaemon.spec'), [
      '%global _enable_debug_packages 1', 'Name: cdaemon', 'Version: 1.0.0', 'Release: 1', 'Summary: x', 'License: MIT', 'Group: Applications/System',
      'URL: https://acme.example/cdaemon', 'Packager: Acme Ops <ops@acme.example>', 'Source0: cdaemon', '%description', 'x', '%debug_package',
      '%install', 'mkdir -p %{buildroot}/usr/sbin', 'install -m 0755 %{SOURCE0} %{buildroot}/usr/sbin/cdaemon', '%files', '/usr/sbin/cdaemon',
      '%changelog', '* Tue Nov 14 2023 Acme Ops <ops@acme.example> - 1.0.0-1', '- x', '',
    ].join('\n'));
    const r = spawnSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, join(top, 'cdaemon.spec')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const theirs = join(top, 'RPMS', process.arch === 'x64' ? 'x86_64' : 'aarch64', 'cdaemon-debuginfo-1.0.0-1.' + (process.arch === 'x64' ? 'x86_64' : 'aarch64') + '.rpm');
    assert.ok(existsSync(theirs), theirs);
    const lint = (rpm: string) => spawnSync('rpmlint', [rpm], { encoding: 'utf8' }).stdout;
    const ours = errors(lint(pkgs['cdaemon-debuginfo.rpm']));
    const base = errors(lint(theirs));
    assert.deepEqual(ours.filter((e) => !base.includes(e)), [], `ours: ${ours.join(' ')}; rpmbuild's: ${base.join(' ')}`);
  });

  it('mkpkg stage -o DIR writes the main tree to DIR and the debug package\'s beside it, to DIR-debug', () => {
    const stage = join(scratch('dbg-stage-'), 'tree');
    const r = mkpkg(['stage', dir, '-o', stage], { env: { CDAEMON_PORT: '18123' } });
    assert.equal(r.status, 0, r.stderr);
    const id = buildId(join(dir, 'build', 'cdaemon'));
    assert.ok(existsSync(join(stage, 'usr/sbin/cdaemon')));
    assert.ok(!existsSync(join(stage, 'usr/lib/debug')), 'the main tree holds no debug files');
    assert.ok(existsSync(join(`${stage}-debug`, `usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`)));
  });

  it('a binary without debug information: stripped, no debug package, W_DEBUG_PACKAGE_EMPTY', () => {
    const p = writeProject({});
    mkdirSync(join(p, 'build'));
    copyFileSync('/bin/true', join(p, 'build', 'tool'));
    writeFileSync(join(p, 'mkpkg.config.json'), JSON.stringify({ ...META, name: 'nodebug', summary: 'x', contents: [{ src: 'build/tool', dst: '/usr/bin/tool' }], debugPackage: true }));
    const r = mkpkg(['build', p, '--formats', 'deb,rpm', '-o', scratch(), '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /W_DEBUG_PACKAGE_EMPTY/);
    assert.deepEqual((JSON.parse(r.stdout) as { artifacts: { name: string }[] }).artifacts.map((a) => a.name), ['nodebug', 'nodebug']);
  });

  it('a file built for another architecture is packaged unstripped with W_STRIP_FOREIGN_ARCH, and its libraries degrade to W_SHLIB_NOT_FOUND', () => {
    const p = writeProject({});
    mkdirSync(join(p, 'build'));
    const foreign = process.arch === 'arm64' ? { machine: 62, deb: 'amd64' } : { machine: 183, deb: 'arm64' };
    writeFileSync(join(p, 'build', 'tool'), synthElf({ bits: 64, littleEndian: true, machine: foreign.machine, type: 2, interp: '/lib/ld-linux-aarch64.so.1', needed: ['libc.so.6'], hash: true, debugTag: true }), { mode: 0o755 });
    writeFileSync(join(p, 'mkpkg.config.json'), JSON.stringify({ ...META, name: 'foreign', summary: 'x', contents: [{ src: 'build/tool', dst: '/usr/bin/tool' }], strip: true }));
    const r = mkpkg(['deb', p, '-o', scratch(), '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`W_STRIP_FOREIGN_ARCH.*/usr/bin/tool is built for ${foreign.deb}`));
    assert.match(r.stderr, /W_SHLIB_NOT_FOUND.*libc\.so\.6 needed by \/usr\/bin\/tool/);
    const deb = (JSON.parse(r.stdout) as { artifacts: { path: string }[] }).artifacts[0].path;
    assert.equal(run('dpkg-deb', ['-f', deb, 'Architecture']).trim(), foreign.deb);
  });
});
