/**
 * Issue 12's proof for the C daemon, on the build host: its packages as built from fixtures/c-daemon
 * (make, then mkpkg, no workaround) carry the libc dependency dpkg-shlibdeps computes and the libc
 * requires an rpmbuild-built equivalent has, and lintian and rpmlint find no more errors in them
 * than in a minimal hello package. (Installing and running them: test/lifecycle-e2e/c-daemon.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../formats/deb/tree-compare.js';
import { buildJson } from '../cli/helpers.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { builtCDaemon, dpkgShlibdeps, META, writeProject } from './support.js';

type Built = Record<string, string>;

function build(dir: string, env: Record<string, string> = {}): Built {
  return Object.fromEntries(buildJson(['build', dir, '--formats', 'deb,rpm', '-o', scratch('cd-out-')], { env }).map((a) => [`${a.name}.${a.format}`, a.path]));
}

const lintianErrors = (deb: string) => spawnSync('lintian', ['--fail-on', 'none', deb], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith('E: '));
const rpmlintErrors = (rpm: string) => spawnSync('rpmlint', [rpm], { encoding: 'utf8' }).stdout.split('\n').filter((l) => / E: /.test(l));
/** The automatic ELF requires: sonames and rtld(). */
const elfRequires = (rpm: string) => run('rpm', ['-qp', '--requires', rpm]).split('\n').filter((r) => /\.so|^rtld\(/.test(r)).sort();

describe('C daemon fixture: packaged as a distribution packager would (host checks)', function () {
  this.timeout(600_000);
  let dir: string;
  let cd: Built;
  let hello: Built;
  let binary: string;

  before(function () {
    requireTools(this, 'gcc', 'make', 'strip', 'objcopy', 'dpkg-deb', 'dpkg-shlibdeps', 'rpm', 'rpmbuild', 'rpm2cpio', 'cpio', 'lintian', 'rpmlint');
    dir = builtCDaemon();
    cd = build(dir, { CDAEMON_PORT: '18124' });
    const x = scratch('cd-x-');
    run('dpkg-deb', ['-x', cd['cdaemon.deb'], x]);
    binary = join(x, 'usr/sbin/cdaemon');
    // The minimal hello package the error counts are held against: one shell script.
    const h = writeProject({ 'bin/hello': { text: '#!/bin/sh\necho hello\n', mode: 0o755 } });
    writeFileSync(join(h, 'mkpkg.config.json'), JSON.stringify({ ...META, name: 'hello', summary: 'Says hello', arch: 'all', contents: [{ src: 'bin/hello', dst: '/usr/bin/hello' }] }));
    hello = build(h);
  });

  it('the .deb depends on libc6 exactly as dpkg-shlibdeps computes it for the same binary', () => {
    const depends = run('dpkg-deb', ['-f', cd['cdaemon.deb'], 'Depends']).trim().split(', ');
    const expected = dpkgShlibdeps([binary]);
    assert.ok(expected.some((d) => /^libc6 \(>= [\d.]+\)$/.test(d)), `dpkg-shlibdeps: ${expected.join(', ')}`);
    assert.deepEqual(depends.filter((d) => d !== 'adduser'), expected, `Depends: ${depends.join(', ')}`);
  });

  it('the .rpm requires what rpm -qp --requires lists for an rpmbuild-built equivalent', () => {
    const top = scratch('cd-rpmbuild-');
    mkdirSync(join(top, 'SOURCES'));
    copyFileSync(binary, join(top, 'SOURCES', 'cdaemon'));
    writeFileSync(join(top, 'cdaemon.spec'), [
      '%global debug_package %{nil}', '%global __os_install_post %{nil}',
      'Name: cdaemon', 'Version: 1.0.0', 'Release: 1', 'Summary: x', 'License: MIT', 'Source0: cdaemon',
      '%description', 'x', '%install', 'mkdir -p %{buildroot}/usr/sbin', 'install -m 0755 %{SOURCE0} %{buildroot}/usr/sbin/cdaemon',
      '%files', '/usr/sbin/cdaemon', '',
    ].join('\n'));
    const r = spawnSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, join(top, 'cdaemon.spec')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const arch = run('rpm', ['-qp', '--qf', '%{ARCH}', cd['cdaemon.rpm']]);
    const theirs = elfRequires(join(top, 'RPMS', arch, `cdaemon-1.0.0-1.${arch}.rpm`));
    assert.ok(theirs.includes('libc.so.6()(64bit)'), theirs.join(' '));
    assert.ok(theirs.some((x) => /^libc\.so\.6\(GLIBC_2\.\d+\)/.test(x)), theirs.join(' '));
    assert.deepEqual(elfRequires(cd['cdaemon.rpm']), theirs);
  });

  it('lintian and rpmlint find no more errors in any of its packages than in a minimal hello package', () => {
    const helloDeb = lintianErrors(hello['hello.deb']);
    const helloRpm = rpmlintErrors(hello['hello.rpm']);
    for (const deb of [cd['cdaemon.deb'], cd['cdaemon-dbgsym.deb']]) {
      const e = lintianErrors(deb);
      assert.ok(e.length <= helloDeb.length, `${deb}: ${e.join('; ')} (hello: ${helloDeb.join('; ')})`);
    }
    for (const rpm of [cd['cdaemon.rpm'], cd['cdaemon-debuginfo.rpm']]) {
      const e = rpmlintErrors(rpm);
      assert.ok(e.length <= helloRpm.length, `${rpm}: ${e.join('; ')} (hello: ${helloRpm.join('; ')})`);
    }
  });

  it('ships its man page compressed and its service unit; the binary is stripped', () => {
    const list = run('dpkg-deb', ['-c', cd['cdaemon.deb']]);
    assert.match(list, / \.\/usr\/share\/man\/man8\/cdaemon\.8\.gz$/m);
    assert.match(list, / \.\/usr\/lib\/systemd\/system\/cdaemon\.service$/m);
    assert.doesNotMatch(run('readelf', ['-S', '-W', binary]), /\.symtab|\.debug_info/);
  });
});
