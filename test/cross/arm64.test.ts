/**
 * Issue 16, another architecture: packages for arm64 (and riscv64) built on this amd64 machine,
 * judged with the real tools: dpkg-deb/rpm for the architecture, readelf on every ELF file of the
 * unpacked payload, qemu-aarch64-static running the bundled official Node.js build, and npm's own
 * platform selection for esbuild's per-platform optional dependencies.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync, existsSync, lstatSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { qf } from '../formats/rpm/helpers.js';
import { run } from '../formats/deb/tree-compare.js';
import { arm64Sysroot, NODE_VERSION, nodeDist } from '../support/cross.js';
import { synthElf } from '../support/elf-synth.js';
import { requireThat, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { assertError, buildJson, lintianProblems, listDir, mkpkg, rpmlintProblems } from '../cli/helpers.js';

const META = { version: '1.0.0', description: 'cross build', author: 'Acme Ops <ops@acme.example>', license: 'MIT', engines: { node: '>=20' } };

function writeJson(file: string, v: unknown): void {
  writeFileSync(file, `${JSON.stringify(v, null, 2)}\n`);
}

/** Every regular file under `dir` that starts with the ELF magic. */
function elfFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size >= 4) {
        const fd = openSync(p, 'r');
        const b = Buffer.alloc(4);
        readSync(fd, b, 0, 4, 0);
        closeSync(fd);
        if (b.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) out.push(p);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** readelf's Machine and Class of each ELF file under `dir`, by path relative to it. */
function readelfMachines(dir: string): Record<string, string> {
  return Object.fromEntries(elfFiles(dir).map((f) => {
    const h = run('readelf', ['-h', f]);
    return [relative(dir, f), `${/Class:\s+(\S+)/.exec(h)![1]} ${/Machine:\s+(.+)/.exec(h)![1]!.trim()}`];
  }));
}

/**
 * `mkpkg build DIR --formats deb,rpm ARGS` (version 1.0.0-1): the two packages, their file names and
 * the architecture each declares (dpkg-deb's Architecture, rpm's ARCH) checked against `arch`.
 */
function buildBoth(dir: string, args: string[], name: string, arch: { deb: string; rpm: string }): { deb: string; rpm: string } {
  const artifacts = buildJson(['build', dir, '--formats', 'deb,rpm', ...args, '-o', scratch()]);
  const deb = artifacts.find((a) => a.format === 'deb')!.path;
  const rpm = artifacts.find((a) => a.format === 'rpm')!.path;
  assert.ok(deb.endsWith(`/${name}_1.0.0-1_${arch.deb}.deb`), deb);
  assert.ok(rpm.endsWith(`/${name}-1.0.0-1.${arch.rpm}.rpm`), rpm);
  assert.equal(run('dpkg-deb', ['-f', deb, 'Architecture']).trim(), arch.deb);
  assert.equal(qf(rpm, '%{ARCH}'), arch.rpm);
  return { deb, rpm };
}

/** Unpack a package with the distribution's tools. */
function unpack(pkg: string): string {
  const dir = scratch('mkpkg-cross-x-');
  if (pkg.endsWith('.deb')) run('dpkg-deb', ['-x', pkg, dir]);
  else {
    const r = spawnSync('sh', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', pkg], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  return dir;
}

describe('cross: arm64 packages built on amd64', function () {
  this.timeout(900_000);
  let sysroot: string;
  let arm64Node: string;
  let x64Node: string;

  before(function () {
    this.timeout(900_000);
    requireTools(this, 'dpkg-deb', 'rpm', 'rpm2cpio', 'cpio', 'readelf', 'qemu-aarch64-static', 'apt-get', 'npm');
    requireThat(this, process.arch === 'x64', `the cross tests expect an amd64 build host, not ${process.arch}`);
    arm64Node = nodeDist('arm64');
    x64Node = nodeDist('x64');
    sysroot = arm64Sysroot();
  });

  /** A Node.js service app bundling `runtime` (a path inside it), with a bin command. */
  function bundledApp(runtimeTarball: string): string {
    const dir = join(scratch('mkpkg-cross-'), 'xa-app');
    mkdirSync(join(dir, 'vendor'), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    copyFileSync(runtimeTarball, join(dir, 'vendor', 'node.tgz'));
    writeJson(join(dir, 'package.json'), { name: 'xa-app', ...META, main: 'server.js', bin: { 'xa-hello': 'bin/hello.js' }, files: ['server.js', 'bin'] });
    writeFileSync(join(dir, 'server.js'), 'console.log(process.arch)\n');
    writeFileSync(join(dir, 'bin/hello.js'), '#!/usr/bin/env node\nconsole.log("hello", process.arch, process.version)\n');
    writeJson(join(dir, 'mkpkg.config.json'), { runtime: { node: 'vendor/node.tgz' }, services: [{ name: 'xa-app' }] });
    return dir;
  }

  it('--arch arm64 with a bundled arm64 Node.js: arm64/aarch64 packages whose ELF files are all AArch64, and qemu runs the bundled node', () => {
    const dir = bundledApp(arm64Node);
    const { deb, rpm } = buildBoth(dir, ['--arch', 'arm64', '--compression', 'zstd'], 'xa-app', { deb: 'arm64', rpm: 'aarch64' });
    // The distribution's nodejs is not needed: the package brings its own.
    assert.doesNotMatch(run('dpkg-deb', ['-f', deb, 'Depends']), /nodejs/);
    assert.doesNotMatch(run('rpm', ['-qpR', rpm]), /nodejs/);

    for (const pkg of [deb, rpm]) {
      const root = unpack(pkg);
      const machines = readelfMachines(root);
      assert.deepEqual(machines, { 'usr/lib/xa-app/runtime/node/bin/node': 'ELF64 AArch64' }, pkg);
      const node = join(root, 'usr/lib/xa-app/runtime/node/bin/node');
      assert.match(run('readelf', ['-l', node]), /Requesting program interpreter: \/lib\/ld-linux-aarch64\.so\.1/);
      assert.equal(run('qemu-aarch64-static', ['-L', sysroot, node, '-p', 'process.arch']).trim(), 'arm64');
      assert.equal(run('qemu-aarch64-static', ['-L', sysroot, node, '-p', 'process.version']).trim(), `v${NODE_VERSION}`);
      // The unit, the launcher's default command and the bin command all run the bundled node.
      const unit = readFileSync(join(root, 'usr/lib/systemd/system/xa-app.service'), 'utf8');
      assert.match(unit, /^ExecStart=\/usr\/bin\/xa-app foreground --no-prepare xa-app -- \/usr\/lib\/xa-app\/runtime\/node\/bin\/node \/usr\/lib\/xa-app\/server\.js$/m);
      assert.match(readFileSync(join(root, 'usr/bin/xa-app'), 'utf8'), /\/usr\/lib\/xa-app\/runtime\/node\/bin\/node \/usr\/lib\/xa-app\/server\.js/);
      assert.doesNotMatch(readFileSync(join(root, 'usr/bin/xa-app'), 'utf8'), /\/usr\/bin\/node\b/);
      const hello = join(root, 'usr/lib/xa-app/bin/hello.js');
      assert.equal(readFileSync(hello, 'utf8').split('\n')[0], '#!/usr/lib/xa-app/runtime/node/bin/node');
      assert.equal(run('qemu-aarch64-static', ['-L', sysroot, node, hello]).trim(), `hello arm64 v${NODE_VERSION}`);
    }
  });

  it('lintian has no errors on the arm64 .deb with the bundled node (libc6 Depends from its GLIBC versions, overrides for the runtime), rpmlint none on the .rpm', function () {
    requireTools(this, 'lintian', 'rpmlint');
    // gzip: bookworm's lintian does not read zstd-compressed members.
    const artifacts = buildJson(['build', bundledApp(arm64Node), '--formats', 'deb,rpm', '--arch', 'arm64', '--compression', 'gzip', '-o', scratch()]);
    const deb = artifacts.find((a) => a.format === 'deb')!.path;
    // Node.js 20 needs glibc 2.28; the host has no arm64 libraries to ask.
    assert.match(run('dpkg-deb', ['-f', deb, 'Depends']), /(^|, )libc6 \(>= 2\.28\)(,|$)/m);
    const overrides = run('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/share/lintian/overrides/xa-app', 'sh', deb]);
    assert.deepEqual(overrides.split('\n').filter((l) => l && !l.startsWith('#')), [
      'xa-app: embedded-library zlib [usr/lib/xa-app/runtime/node/bin/node]',
      'xa-app: unstripped-binary-or-object [usr/lib/xa-app/runtime/node/bin/node]',
      'xa-app: missing-dep-for-interpreter /usr/lib/xa-app/runtime/node/bin/node * [usr/lib/xa-app/bin/hello.js]',
      'xa-app: wrong-path-for-interpreter /usr/lib/xa-app/runtime/node/bin/node * [usr/lib/xa-app/bin/hello.js]',
    ]);
    const lint = lintianProblems(deb);
    assert.deepEqual(lint.errors, [], lint.output);
    assert.doesNotMatch(lint.output, /unused-override/);
    assert.deepEqual(rpmlintProblems(artifacts.find((a) => a.format === 'rpm')!.path, scratch()), []);
  });

  it('strip: true with a bundled node for the build host: node is stripped, so no override for it is needed, and lintian has no errors', function () {
    requireTools(this, 'lintian', 'strip', 'objcopy');
    const dir = bundledApp(x64Node);
    writeJson(join(dir, 'mkpkg.config.json'), { runtime: { node: 'vendor/node.tgz' }, services: [{ name: 'xa-app' }], strip: true });
    const [deb] = buildJson(['deb', dir, '--compression', 'gzip', '-o', scratch()]);
    const root = unpack(deb!.path);
    assert.doesNotMatch(run('readelf', ['-S', join(root, 'usr/lib/xa-app/runtime/node/bin/node')]), /\.symtab/);
    assert.doesNotMatch(readFileSync(join(root, 'usr/share/lintian/overrides/xa-app'), 'utf8'), /unstripped/);
    const lint = lintianProblems(deb!.path);
    assert.deepEqual(lint.errors, [], lint.output);
    assert.doesNotMatch(lint.output, /unused-override/);
  });

  it('without --arch, the bundled runtime decides the architecture', () => {
    const [deb] = buildJson(['deb', bundledApp(arm64Node), '--compression', 'zstd', '-o', scratch()]);
    assert.equal(run('dpkg-deb', ['-f', deb!.path, 'Architecture']).trim(), 'arm64');
  });

  it('an x86-64 Node.js runtime in an arm64 build → E_RUNTIME_INVALID naming it; nothing written', () => {
    const out = scratch();
    const r = mkpkg(['build', bundledApp(x64Node), '--formats', 'deb,rpm', '--arch', 'arm64', '-o', out]);
    assertError(r, 'E_RUNTIME_INVALID', 'bin/node of vendor/node.tgz is an x86-64 ELF object but the package architecture is arm64');
    assert.deepEqual(listDir(out), []);
  });

  it('an x86-64 binary among the files of an arm64 build → E_ARCH_MISMATCH naming its path; nothing written', () => {
    const dir = bundledApp(arm64Node);
    mkdirSync(join(dir, 'tools'));
    copyFileSync('/bin/true', join(dir, 'tools', 'helper'));
    writeFileSync(join(dir, 'tools', 'armel-helper'), synthElf({ bits: 32, littleEndian: true, machine: 40, type: 2, interp: '/lib/ld-linux.so.3', needed: ['libc.so.6'] }));
    writeJson(join(dir, 'mkpkg.config.json'), { runtime: { node: 'vendor/node.tgz' }, services: [{ name: 'xa-app' }], contents: [{ src: 'tools', dst: '/usr/lib/xa-app/tools' }] });
    for (const cmd of ['deb', 'rpm']) {
      const out = scratch();
      const r = mkpkg([cmd, dir, '--arch', 'arm64', '-o', out]);
      assertError(r, 'E_ARCH_MISMATCH', '2 files do not fit the package architecture arm64');
      assert.match(r.stderr, /tools\/helper is an x86-64 ELF object/);
      assert.match(r.stderr, /tools\/armel-helper is an ARM ELF object/);
      assert.deepEqual(listDir(out), []);
    }
  });

  it('a project depending on esbuild, built for arm64 from its lock file, ships @esbuild/linux-arm64 and not linux-x64', () => {
    const dir = join(scratch('mkpkg-cross-'), 'esb');
    mkdirSync(dir);
    writeJson(join(dir, 'package.json'), { name: 'esb', ...META, main: 'index.js', dependencies: { esbuild: '0.25.12' } });
    writeFileSync(join(dir, 'index.js'), 'require("esbuild")\n');
    // A lock file written on this amd64 host lists every platform's optional package, as committed lock files do.
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    assert.match(readFileSync(join(dir, 'package-lock.json'), 'utf8'), /node_modules\/@esbuild\/linux-x64/);
    const artifacts = buildJson(['build', dir, '--formats', 'deb,rpm', '--arch', 'arm64', '--compression', 'zstd', '-o', scratch()]);
    for (const a of artifacts) {
      const root = unpack(a.path);
      const scope = join(root, 'usr/lib/esb/node_modules/@esbuild');
      assert.deepEqual(readdirSync(scope), ['linux-arm64'], a.path);
      assert.deepEqual(Object.values(readelfMachines(root)), ['ELF64 AArch64'], a.path);
      const bin = join(scope, 'linux-arm64/bin/esbuild');
      assert.ok(existsSync(bin));
      assert.equal(run('qemu-aarch64-static', [bin, '--version']).trim(), '0.25.12');
    }
    assert.equal(run('dpkg-deb', ['-f', artifacts.find((a) => a.format === 'deb')!.path, 'Architecture']).trim(), 'arm64');
  });

  it('a dependency that would have to compile its addon for arm64 → E_ADDON_NEEDS_BUILD naming it; one with an arm64 prebuild passes', () => {
    const dir = join(scratch('mkpkg-cross-'), 'addon-app');
    mkdirSync(join(dir, 'fake-addon'), { recursive: true });
    writeJson(join(dir, 'fake-addon', 'package.json'), { name: 'fake-addon', version: '1.2.3', main: 'index.js' });
    writeFileSync(join(dir, 'fake-addon', 'index.js'), 'module.exports = require("./build/Release/fake.node")\n');
    writeFileSync(join(dir, 'fake-addon', 'binding.gyp'), '{ "targets": [{ "target_name": "fake", "sources": ["fake.cc"] }] }\n');
    writeJson(join(dir, 'package.json'), { name: 'addon-app', ...META, main: 'index.js', files: ['index.js'], dependencies: { 'fake-addon': 'file:./fake-addon' } });
    writeFileSync(join(dir, 'index.js'), 'require("fake-addon")\n');
    const out = scratch();
    const r = mkpkg(['deb', dir, '--arch', 'arm64', '-o', out]);
    assertError(r, 'E_ADDON_NEEDS_BUILD', 'would have to be compiled for arm64');
    assert.match(r.stderr, /fake-addon@1\.2\.3 \(node_modules\/fake-addon\): it has a binding\.gyp/);
    assert.deepEqual(listDir(out), []);

    // The same package with a prebuilt arm64 addon (node-gyp-build's prebuilds/ layout) needs no compiler.
    mkdirSync(join(dir, 'fake-addon', 'prebuilds', 'linux-arm64'), { recursive: true });
    writeFileSync(join(dir, 'fake-addon', 'prebuilds', 'linux-arm64', 'fake.node'), synthElf({ bits: 64, littleEndian: true, machine: 183, type: 3, soname: 'fake.node', needed: ['libc.so.6'] }));
    writeJson(join(dir, 'fake-addon', 'package.json'), { name: 'fake-addon', version: '1.2.4', main: 'index.js', scripts: { install: 'node-gyp-build' } });
    const [deb] = buildJson(['deb', dir, '--arch', 'arm64', '-o', scratch()]);
    assert.equal(run('dpkg-deb', ['-f', deb!.path, 'Architecture']).trim(), 'arm64');
    assert.match(run('dpkg-deb', ['-c', deb!.path]), /node_modules\/fake-addon\/prebuilds\/linux-arm64\/fake\.node$/m);
  });

  it('--arch riscv64 for a plain Node.js app: riscv64 in both formats\' metadata and file names', () => {
    const dir = join(scratch('mkpkg-cross-'), 'rv');
    mkdirSync(dir);
    writeJson(join(dir, 'package.json'), { name: 'rv', ...META, main: 'index.js' });
    writeFileSync(join(dir, 'index.js'), 'console.log(1)\n');
    buildBoth(dir, ['--arch', 'riscv64'], 'rv', { deb: 'riscv64', rpm: 'riscv64' });
  });
});
