/**
 * The packager steps through the real CLI, judged by dpkg-deb, rpm, lintian and rpmlint: man and
 * info pages compressed, package.json `man`, env shebangs, shared-library dependencies and how they
 * are overridden, and the service user.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { run } from '../formats/deb/tree-compare.js';
import { qf } from '../formats/rpm/helpers.js';
import { assertError, buildJson, mkpkg } from '../cli/helpers.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { META, writeProject } from './support.js';
import { synthElf } from '../support/elf-synth.js';

const PAGE = '.TH TOOL 1 "2024-01-01" "tool 1.0.0" "User Commands"\n.SH NAME\ntool \\- print a greeting\n.SH SYNOPSIS\n.B tool\n.SH DESCRIPTION\n.B tool\nprints a greeting.\n';
const INFO = 'This is tool.info.\n\nINFO-DIR-SECTION Utilities\nSTART-INFO-DIR-ENTRY\n* tool: (tool).  Print a greeting.\nEND-INFO-DIR-ENTRY\n\n\x1f\nFile: tool.info,  Node: Top,  Up: (dir)\n\ntool\n****\n\nPrints a greeting.\n';

function build(dir: string, formats = 'deb,rpm', extra: string[] = []): Record<string, string> {
  return Object.fromEntries(buildJson(['build', dir, '--formats', formats, '-o', scratch('distro-out-'), ...extra]).map((a) => [`${a.name}.${a.format}`, a.path]));
}

function config(dir: string, cfg: Record<string, unknown>): void {
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({ ...META, ...cfg }, null, 2));
}

/** rpmlint as Fedora runs it: gzip is the man page compression (upstream's default says bz2). */
function rpmlint(rpm: string): string {
  const cfg = join(scratch('rpmlint-cfg-'), 'fedora.toml');
  writeFileSync(cfg, 'CompressExtension = "gz"\n');
  return spawnSync('rpmlint', ['-c', cfg, rpm], { encoding: 'utf8' }).stdout;
}

function lintian(deb: string): string {
  return spawnSync('lintian', ['--fail-on', 'none', '-I', deb], { encoding: 'utf8' }).stdout;
}

function extractDeb(deb: string): string {
  const out = scratch('distro-x-');
  run('dpkg-deb', ['-x', deb, out]);
  return out;
}

function extractRpm(rpm: string): string {
  const out = scratch('distro-x-');
  const r = spawnSync('sh', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', rpm], { cwd: out, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

describe('distro: packager steps through the CLI', function () {
  this.timeout(300_000);
  before(function () {
    requireTools(this, 'dpkg-deb', 'rpm', 'rpm2cpio', 'cpio', 'lintian', 'rpmlint', 'gzip');
  });

  describe('man and info pages', () => {
    let dir: string;
    let out: Record<string, string>;
    const pre = gzipSync(PAGE.replace(/tool/g, 'pre').replace('TOOL', 'PRE'), { level: 9 });
    before(() => {
      dir = writeProject({
        'bin/tool': { text: '#!/bin/sh\necho hello\n', mode: 0o755 },
        'man/tool.1': PAGE,
        'man/de/tool.1': PAGE.replace('print a greeting', 'gibt einen Gruss aus'),
        'info/tool.info': INFO,
      });
      writeFileSync(join(dir, 'man', 'pre.1.gz'), pre);
      config(dir, {
        name: 'doc-demo', summary: 'Man and info page demo', arch: 'all',
        contents: [
          { src: 'bin/tool', dst: '/usr/bin/tool' },
          { src: 'man/tool.1', dst: '/usr/share/man/man1/tool.1' },
          { src: 'tool.1', dst: '/usr/share/man/man1/tool-alias.1', type: 'symlink' },
          { src: 'man/de/tool.1', dst: '/usr/share/man/de/man1/tool.1' },
          { src: 'man/pre.1.gz', dst: '/usr/share/man/man1/pre.1.gz' },
          { src: 'info/tool.info', dst: '/usr/share/info/tool.info' },
        ],
      });
      out = build(dir);
    });

    it('are shipped as NAME.gz (already compressed ones as they are), links renamed and retargeted, in both formats', () => {
      const list = run('dpkg-deb', ['-c', out['doc-demo.deb']]);
      for (const p of ['usr/share/man/man1/tool.1.gz', 'usr/share/man/de/man1/tool.1.gz', 'usr/share/info/tool.info.gz', 'usr/share/man/man1/pre.1.gz']) {
        assert.match(list, new RegExp(` \\./${p.replace(/\./g, '\\.')}$`, 'm'), p);
      }
      assert.match(list, / \.\/usr\/share\/man\/man1\/tool-alias\.1\.gz -> tool\.1\.gz$/m);
      assert.doesNotMatch(list, /\/(tool|tool-alias)\.1$|tool\.info$/m, 'no uncompressed page is left');
      const rpmFiles = run('rpm', ['-qlp', out['doc-demo.rpm']]).split('\n');
      for (const p of ['/usr/share/man/man1/tool.1.gz', '/usr/share/man/man1/tool-alias.1.gz', '/usr/share/man/de/man1/tool.1.gz', '/usr/share/info/tool.info.gz']) assert.ok(rpmFiles.includes(p), p);
      assert.match(qf(out['doc-demo.rpm'], '[%{FILENAMES} %{FILELINKTOS}\n]'), /^\/usr\/share\/man\/man1\/tool-alias\.1\.gz tool\.1\.gz$/m);
      // rpmbuild marks what lies under the man and info directories as %doc.
      assert.match(run('rpm', ['-qdp', out['doc-demo.rpm']]), /^\/usr\/share\/man\/man1\/tool\.1\.gz$/m);
      assert.equal(readFileSync(join(extractDeb(out['doc-demo.deb']), 'usr/share/man/man1/pre.1.gz')).toString('hex'), pre.toString('hex'));
    });

    it('are gzip -9n: maximum compression, no file name, mtime 0, and decompress to the source', () => {
      for (const root of [extractDeb(out['doc-demo.deb']), extractRpm(out['doc-demo.rpm'])]) {
        for (const [page, src] of [['usr/share/man/man1/tool.1.gz', 'man/tool.1'], ['usr/share/man/de/man1/tool.1.gz', 'man/de/tool.1'], ['usr/share/info/tool.info.gz', 'info/tool.info']]) {
          const gz = readFileSync(join(root, page));
          assert.deepEqual([...gz.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3], `${page}: header (FLG no name, MTIME 0, XFL 2 = -9, OS 3)`);
          assert.equal(gunzipSync(gz).toString(), readFileSync(join(dir, src), 'utf8'), page);
          assert.equal(spawnSync('gzip', ['-t', join(root, page)]).status, 0, `gzip -t ${page}`);
        }
      }
    });

    it('lintian and rpmlint (Fedora\'s gz setting) report nothing about them', () => {
      const l = lintian(out['doc-demo.deb']);
      assert.doesNotMatch(l, /manpage|gzip|info-document|compress|binary-without-manpage/, l);
      // (rpmlint's info-files-without-install-info-post{in,un} is left out: Fedora's info package
      // registers pages with a file trigger since Fedora 28, packages no longer call install-info.)
      const r = rpmlint(out['doc-demo.rpm']);
      assert.doesNotMatch(r, /manpage|not-listed-as-documentation|info-document|compress/, r);
    });

    it('compressMan: false ships them as they are, and lintian then reports it', () => {
      config(dir, { ...JSON.parse(readFileSync(join(dir, 'mkpkg.config.json'), 'utf8')), compressMan: false });
      const plain = build(dir, 'deb');
      assert.match(run('dpkg-deb', ['-c', plain['doc-demo.deb']]), / \.\/usr\/share\/man\/man1\/tool\.1$/m);
      assert.match(lintian(plain['doc-demo.deb']), /uncompressed-manual-page \[usr\/share\/man\/man1\/tool\.1\]/);
    });
  });

  it('package.json "man" is installed like npm installs it, into /usr/share/man/manN, compressed', () => {
    const dir = writeProject({
      'package.json': JSON.stringify({ name: 'man-demo', version: '1.0.0', description: 'Man field demo', author: META.maintainer, license: 'MIT', bin: { 'man-demo': 'cli.js' }, man: ['./man/man-demo.1', 'doc/man-demo.conf.5'], files: ['cli.js', 'man/', 'doc/'] }),
      'cli.js': { text: '#!/usr/bin/env node\nconsole.log("hi");\n', mode: 0o755 },
      'man/man-demo.1': PAGE.replace(/tool/g, 'man-demo').replace('TOOL', 'MAN-DEMO'),
      'doc/man-demo.conf.5': PAGE.replace(/tool/g, 'man-demo.conf').replace('TOOL 1', 'MAN-DEMO.CONF 5').replace('User Commands', 'File Formats'),
    });
    const out = build(dir, 'deb,rpm');
    const list = run('dpkg-deb', ['-c', out['man-demo.deb']]);
    assert.match(list, / \.\/usr\/share\/man\/man1\/man-demo\.1\.gz$/m);
    assert.match(list, / \.\/usr\/share\/man\/man5\/man-demo\.conf\.5\.gz$/m);
    assert.match(list, / \.\/usr\/lib\/man-demo\/man\/man-demo\.1$/m, 'the page also stays in the app directory, as npm publishes it');
    assert.ok(run('rpm', ['-qlp', out['man-demo.rpm']]).split('\n').includes('/usr/share/man/man1/man-demo.1.gz'));
    assert.doesNotMatch(lintian(out['man-demo.deb']), /binary-without-manpage|no-manual-page|manpage-not-compressed/);
    // npm refuses a page without a section number: so does mkpkg, naming it.
    const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pj, man: 'man/man-demo' }));
    writeFileSync(join(dir, 'man', 'man-demo'), PAGE);
    assertError(mkpkg(['deb', dir, '-o', scratch()]), 'E_PLAN_INVALID', 'man/man-demo', 'section number');
  });

  describe('env shebangs (mangleShebangs)', () => {
    let dir: string;
    const files = {
      'bin/node-tool': { text: '#!/usr/bin/env node\nconsole.log("hi");\n', mode: 0o755 },
      'bin/py-tool': { text: '#!/usr/bin/env python3 -u\nprint("hi")\n', mode: 0o755 },
      'bin/sh-tool': { text: '#!/usr/bin/env bash\necho hi\n', mode: 0o755 },
      'bin/split-tool': { text: '#!/usr/bin/env -S node --no-warnings\nconsole.log("hi");\n', mode: 0o755 },
      'bin/abs-tool': { text: '#!/bin/sh\necho hi\n', mode: 0o755 },
      'lib/not-exec.js': { text: '#!/usr/bin/env node\nmodule.exports = 1;\n', mode: 0o644 },
    };
    const contents = Object.keys(files).map((f) => ({ src: f, dst: `/usr/${f.startsWith('bin/') ? 'bin' : 'lib/shebang-demo'}/${f.split('/')[1]}` }));
    before(() => {
      dir = writeProject(files);
    });

    it('without it, rpmlint reports env-script-interpreter as an error', () => {
      config(dir, { name: 'shebang-demo', summary: 'Shebang demo', arch: 'all', contents });
      assert.match(rpmlint(build(dir, 'rpm')['shebang-demo.rpm']), /E: env-script-interpreter \/usr\/bin\/node-tool/);
    });

    it('with it, executable scripts get the interpreter\'s absolute path, others are untouched, and rpmlint has no such error', () => {
      config(dir, { name: 'shebang-demo', summary: 'Shebang demo', arch: 'all', contents, mangleShebangs: true });
      const r = mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', scratch(), '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /W_SHEBANG_KEPT.*\/usr\/bin\/split-tool.*passes options or variables to env/);
      const out = Object.fromEntries((JSON.parse(r.stdout) as { artifacts: { format: string; path: string }[] }).artifacts.map((a) => [a.format, a.path]));
      for (const root of [extractDeb(out.deb), extractRpm(out.rpm)]) {
        const first = (p: string) => readFileSync(join(root, p), 'utf8').split('\n')[0];
        assert.equal(first('usr/bin/node-tool'), '#!/usr/bin/node');
        assert.equal(first('usr/bin/py-tool'), '#!/usr/bin/python3 -u');
        assert.equal(first('usr/bin/sh-tool'), '#!/bin/bash');
        assert.equal(first('usr/bin/split-tool'), '#!/usr/bin/env -S node --no-warnings');
        assert.equal(first('usr/bin/abs-tool'), '#!/bin/sh');
        assert.equal(first('usr/lib/shebang-demo/not-exec.js'), '#!/usr/bin/env node');
        assert.equal(readFileSync(join(root, 'usr/bin/node-tool'), 'utf8'), '#!/usr/bin/node\nconsole.log("hi");\n', 'only the first line changes');
      }
      const lint = rpmlint(out.rpm);
      assert.doesNotMatch(lint, /env-script-interpreter \/usr\/bin\/(node|py|sh)-tool/, lint);
    });

    it('an object names the interpreter paths; a relative path is refused by the schema', () => {
      config(dir, { name: 'shebang-demo', summary: 'Shebang demo', arch: 'all', contents, mangleShebangs: { node: '/opt/node/bin/node' } });
      const root = extractDeb(build(dir, 'deb')['shebang-demo.deb']);
      assert.equal(readFileSync(join(root, 'usr/bin/node-tool'), 'utf8').split('\n')[0], '#!/opt/node/bin/node');
      assert.equal(readFileSync(join(root, 'usr/bin/py-tool'), 'utf8').split('\n')[0], '#!/usr/bin/python3 -u');
      config(dir, { name: 'shebang-demo', summary: 'Shebang demo', arch: 'all', contents, mangleShebangs: { node: 'bin/node' } });
      const bad = mkpkg(['deb', dir, '-o', scratch()]);
      assertError(bad, 'E_CONFIG_INVALID');
      assert.match(bad.stderr, /mangleShebangs\.node.*absolute path/);
    });
  });

  describe('shared-library dependencies of a native binary', () => {
    let dir: string;
    before(function () {
      requireTools(this, 'gcc');
      dir = writeProject({ 'src/hello.c': '#include <stdio.h>\nint main(void){ puts("hello"); return 0; }\n' });
      mkdirSync(join(dir, 'build'));
      run('gcc', ['-O2', '-o', join(dir, 'build', 'hello'), join(dir, 'src', 'hello.c')]);
    });
    const cfg = (extra: Record<string, unknown> = {}) => config(dir, { name: 'hello-native', summary: 'Native hello', contents: [{ src: 'build/hello', dst: '/usr/bin/hello' }], ...extra });
    const depends = (deb: string) => run('dpkg-deb', ['-f', deb, 'Depends']).trim();
    const requires = (rpm: string) => run('rpm', ['-qp', '--requires', rpm]).split('\n').filter(Boolean);

    it('are computed by default: Depends: libc6 (>= …) and Requires: libc.so.6(…)', () => {
      cfg();
      const out = build(dir);
      assert.match(depends(out['hello-native.deb']), /^libc6 \(>= 2\.\d+\)$/);
      const req = requires(out['hello-native.rpm']);
      assert.ok(req.includes(process.arch === 'x64' || process.arch === 'arm64' ? 'libc.so.6()(64bit)' : 'libc.so.6'), req.join(' '));
      assert.ok(req.some((r) => /^libc\.so\.6\(GLIBC_2\.\d+(\.\d+)?\)/.test(r)), req.join(' '));
    });

    it('an explicit dependency on the same package wins, in each format', () => {
      cfg({ depends: ['libc6 (>= 2.36)'], overrides: { rpm: { depends: ['glibc >= 2.36'] } } });
      const out = build(dir);
      assert.equal(depends(out['hello-native.deb']), 'libc6 (>= 2.36)');
      assert.ok(requires(out['hello-native.rpm']).includes('glibc >= 2.36'));
    });

    it('shlibDeps: false computes none', () => {
      cfg({ shlibDeps: false });
      const out = build(dir);
      assert.equal(spawnSync('dpkg-deb', ['-f', out['hello-native.deb'], 'Depends'], { encoding: 'utf8' }).stdout.trim(), '');
      assert.ok(!requires(out['hello-native.rpm']).some((r) => r.startsWith('libc.so')), 'no libc.so requires');
    });

    it('a library the build host does not have is a coded warning naming it; the package is still built', () => {
      const lib = join(dir, 'libmissing');
      mkdirSync(lib, { recursive: true });
      writeFileSync(join(lib, 'm.c'), 'int missing_fn(void){return 3;}\n');
      run('gcc', ['-shared', '-fPIC', '-o', join(lib, 'libmkpkgmissing.so.7'), join(lib, 'm.c'), '-Wl,-soname,libmkpkgmissing.so.7']);
      writeFileSync(join(dir, 'src', 'uses.c'), 'int missing_fn(void);\nint main(void){ return missing_fn(); }\n');
      run('gcc', ['-o', join(dir, 'build', 'uses'), join(dir, 'src', 'uses.c'), `-L${lib}`, '-l:libmkpkgmissing.so.7']);
      cfg({ contents: [{ src: 'build/uses', dst: '/usr/bin/uses' }] });
      const r = mkpkg(['deb', dir, '-o', scratch()]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /W_SHLIB_NOT_FOUND.*libmkpkgmissing\.so\.7 needed by \/usr\/bin\/uses was not found/);
      // Shipped in the same package, the library needs no dependency and raises no warning.
      copyFileSync(join(lib, 'libmkpkgmissing.so.7'), join(dir, 'build', 'libmkpkgmissing.so.7'));
      cfg({ contents: [{ src: 'build/uses', dst: '/usr/bin/uses' }, { src: 'build/libmkpkgmissing.so.7', dst: '/usr/lib/hello-native/libmkpkgmissing.so.7' }] });
      const again = mkpkg(['deb', dir, '-o', scratch()]);
      assert.equal(again.status, 0, again.stderr);
      assert.doesNotMatch(again.stderr, /W_SHLIB/);
    });
  });

  it('hostile library names in a dynamic section are dropped with a warning and never reach the control file or header', () => {
    const machine = { x64: 62, arm64: 183 }[process.arch as 'x64' | 'arm64'] ?? 62;
    const dir = writeProject({});
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'tool'), synthElf({
      bits: 64, littleEndian: true, machine, type: 3, interp: '/lib64/ld-linux-x86-64.so.2', hash: true, debugTag: true,
      needed: ['libc.so.6', 'libevil.so.1\nDepends: evil', 'lib(bad) x.so.1'],
      verneeds: [{ file: 'libc.so.6', versions: [{ name: 'GLIBC_2.2.5', index: 2 }, { name: 'X)\nRequires: evil', index: 3 }] }],
    }), { mode: 0o755 });
    config(dir, { name: 'hostile-elf', summary: 'x', contents: [{ src: 'build/tool', dst: '/usr/bin/tool' }] });
    const r = mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', scratch(), '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /W_SHLIB_NAME_INVALID/);
    const a = Object.fromEntries((JSON.parse(r.stdout) as { artifacts: { format: string; path: string }[] }).artifacts.map((x) => [x.format, x.path]));
    const control = run('dpkg-deb', ['-f', a.deb]);
    assert.doesNotMatch(control, /evil|bad/);
    assert.match(control, /^Depends: libc6 \(>= [\d.]+\)$/m, 'the valid library still gets its dependency');
    const req = run('rpm', ['-qp', '--requires', a.rpm]);
    assert.doesNotMatch(req, /evil|bad/);
    assert.match(req, /^libc\.so\.6\(GLIBC_2\.2\.5\)\(64bit\)$/m);
  });

  describe('the service user', () => {
    const postinst = (deb: string) => {
      const out = scratch('distro-ctl-');
      run('dpkg-deb', ['-e', deb, out]);
      return readFileSync(join(out, 'postinst'), 'utf8');
    };
    const svc = (service: Record<string, unknown>) => ({ name: 'user-demo', summary: 'Service user demo', arch: 'all', services: [{ name: 'user-demo', command: '/bin/sleep infinity', ...service }] });

    const ownUnit = '[Unit]\nDescription=own\n\n[Service]\nExecStart=/bin/sleep infinity\nUser=nobody\n\n[Install]\nWantedBy=multi-user.target\n';

    it('a user named after the package is created by default', () => {
      const dir = writeProject({});
      config(dir, svc({}));
      const def = build(dir)['user-demo.deb'];
      assert.match(postinst(def), /adduser --system .*'?user-demo'?$/m);
      assert.match(run('dpkg-deb', ['-f', def, 'Depends']), /adduser/);
    });

    for (const [what, service] of [
      ['DynamicUser=yes', { service: { DynamicUser: 'yes' } }],
      ['User= in its service directives', { service: { User: 'nobody' } }],
      ['User= in its own unit file', { unitFile: 'own.service' }],
    ] as const) {
      it(`no user is created for a service with ${what}`, () => {
        const dir = writeProject({ 'own.service': ownUnit });
        config(dir, svc(service));
        const r = mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', scratch(), '--json']);
        assert.equal(r.status, 0, r.stderr);
        const a = Object.fromEntries((JSON.parse(r.stdout) as { artifacts: { format: string; path: string }[] }).artifacts.map((x) => [x.format, x.path]));
        assert.doesNotMatch(postinst(a.deb), /adduser/);
        assert.doesNotMatch(qf(a.rpm, '%{PREIN}'), /useradd/);
        // A named user is assumed to exist (the warning says so); a dynamic one needs nothing.
        if (what.startsWith('DynamicUser')) assert.doesNotMatch(r.stderr, /W_SERVICE_USER/);
        else assert.match(r.stderr, /W_SERVICE_USER_UNDECLARED.*"nobody"/);
      });
    }
  });

  it('debugPackage with strip: false is a configuration error naming both', () => {
    const dir = writeProject({ 'bin/tool': { text: '#!/bin/sh\n', mode: 0o755 } });
    config(dir, { name: 'conflict-demo', summary: 'x', arch: 'all', contents: [{ src: 'bin/tool', dst: '/usr/bin/tool' }], debugPackage: true, strip: false });
    assertError(mkpkg(['deb', dir, '-o', scratch()]), 'E_CONFIG_INVALID', 'debugPackage', 'strip');
  });
});
