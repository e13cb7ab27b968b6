/** runtime.node: the bundled Node.js build is read without running it, bounded, and checked against the target. */
import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeHeaderBlock } from '../../src/archive/tar-header.js';
import { prepareNodeRuntime, nodeVersionFromHeader } from '../../src/plan/node-runtime.js';
import { synthElf } from '../support/elf-synth.js';
import { TAR_END, tarFile } from '../support/hostile.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith } from './helpers.js';

const ARM64_NODE = synthElf({ bits: 64, littleEndian: true, machine: 183, type: 2, interp: '/lib/ld-linux-aarch64.so.1', needed: ['libc.so.6'] });
const VERSION_H = Buffer.from('#ifndef SRC_NODE_VERSION_H_\n#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 19\n#define NODE_PATCH_VERSION 6\n#endif\n');

function symlinkEntry(name: string, target: string): Buffer {
  return encodeHeaderBlock({ name, type: '2', linkname: target, mode: 0o777, uid: 0, gid: 0, uname: 'root', gname: 'root', size: 0, mtime: 0 });
}

/** A project with `vendor/NAME` made of the given tar blocks (gzip). */
function projectWithTarball(name: string, blocks: Buffer[]): string {
  const p = scratch();
  mkdirSync(join(p, 'vendor'));
  writeFileSync(join(p, 'vendor', name), gzipSync(Buffer.concat([...blocks, TAR_END])));
  return p;
}

const official = (top = 'node-v20.19.6-linux-arm64') => [
  tarFile(`${top}/bin/node`, ARM64_NODE), tarFile(`${top}/include/node/node_version.h`, VERSION_H), tarFile(`${top}/LICENSE`, Buffer.from('MIT\n')),
  symlinkEntry(`${top}/bin/npm`, '../lib/node_modules/npm/bin/npm-cli.js'),
];

describe('plan/node-runtime', () => {
  it('reads the version from node_version.h and lays out bin/node and LICENSE under APPDIR/runtime/node', async () => {
    assert.equal(nodeVersionFromHeader(VERSION_H.toString()), '20.19.6');
    const p = projectWithTarball('node.tgz', official());
    const r = await prepareNodeRuntime({ projectDir: p, spec: 'vendor/node.tgz', appDir: '/usr/lib/app', arch: 'aarch64', engines: '>=20' });
    try {
      assert.equal(r.arch, 'arm64');
      assert.equal(r.version, '20.19.6');
      assert.deepEqual(r.contents.map((c) => [c.dst, c.mode]), [['/usr/lib/app/runtime/node/bin/node', 0o755], ['/usr/lib/app/runtime/node/LICENSE', undefined]]);
    } finally {
      await r.cleanup();
    }
  });

  it('a runtime for another architecture → E_RUNTIME_INVALID naming it', async () => {
    const p = projectWithTarball('node.tgz', official());
    await rejectsWith(prepareNodeRuntime({ projectDir: p, spec: 'vendor/node.tgz', appDir: '/usr/lib/app', arch: 'amd64' }), 'E_RUNTIME_INVALID',
      'bin/node of vendor/node.tgz is an AArch64 ELF object but the package architecture is amd64');
    await rejectsWith(prepareNodeRuntime({ projectDir: p, spec: 'vendor/node.tgz', appDir: '/usr/lib/app', arch: 'all' }), 'E_RUNTIME_INVALID', 'is arm64 native code');
  });

  it('engines.node the runtime does not satisfy → E_RUNTIME_INVALID', async () => {
    const p = projectWithTarball('node.tgz', official());
    await rejectsWith(prepareNodeRuntime({ projectDir: p, spec: 'vendor/node.tgz', appDir: '/a', arch: 'arm64', engines: '>=22' }), 'E_RUNTIME_INVALID', 'Node.js 20.19.6', '>=22');
  });

  it('refuses tarball entries that escape, a symlinked bin/node, several top directories, and a missing bin/node', async () => {
    const cases: [Buffer[], string][] = [
      [[tarFile('node/bin/node', ARM64_NODE), tarFile('node/../../evil', Buffer.from('x'))], 'escapes the archive'],
      [[tarFile('/abs/bin/node', ARM64_NODE)], 'escapes the archive'],
      [[symlinkEntry('node/bin/node', '/usr/bin/node')], 'bin/node in vendor/n.tgz is a symlink, not a regular file'],
      [[tarFile('a/bin/node', ARM64_NODE), tarFile('b/LICENSE', Buffer.from('x'))], 'entries under both a/ and b/'],
      [[tarFile('node/README.md', Buffer.from('x'))], 'has no bin/node'],
    ];
    for (const [blocks, needle] of cases) {
      const p = projectWithTarball('n.tgz', blocks);
      await rejectsWith(prepareNodeRuntime({ projectDir: p, spec: 'vendor/n.tgz', appDir: '/a', arch: 'arm64' }), 'E_RUNTIME_INVALID', needle);
    }
  });

  it('a directory runtime: symlinks must stay inside it; a runtime outside the project is refused', async () => {
    const p = scratch();
    mkdirSync(join(p, 'node/bin'), { recursive: true });
    writeFileSync(join(p, 'real-node'), ARM64_NODE);
    symlinkSync('../../real-node', join(p, 'node/bin/node'));
    await rejectsWith(prepareNodeRuntime({ projectDir: p, spec: 'node', appDir: '/a', arch: 'arm64' }), 'E_RUNTIME_INVALID', 'node/bin/node is a symlink to', 'outside the runtime directory');
    mkdirSync(join(p, 'node/libexec'));
    writeFileSync(join(p, 'node/libexec/node'), ARM64_NODE);
    const inside = scratch();
    mkdirSync(join(inside, 'node/bin'), { recursive: true });
    symlinkSync(join(p, 'node/libexec/node'), join(inside, 'node/bin/node'));
    await rejectsWith(prepareNodeRuntime({ projectDir: inside, spec: 'node', appDir: '/a', arch: 'arm64' }), 'E_RUNTIME_INVALID', 'outside the runtime directory');
    writeFileSync(join(p, 'outside.tgz'), '');
    symlinkSync(join(p, 'outside.tgz'), join(inside, 'node.tgz'));
    await rejectsWith(prepareNodeRuntime({ projectDir: inside, spec: 'node.tgz', appDir: '/a', arch: 'arm64' }), 'E_SOURCE_OUTSIDE');
    const ok = scratch();
    mkdirSync(join(ok, 'rt/bin'), { recursive: true });
    mkdirSync(join(ok, 'rt/libexec'));
    writeFileSync(join(ok, 'rt/libexec/node'), ARM64_NODE);
    symlinkSync('../libexec/node', join(ok, 'rt/bin/node'));
    const r = await prepareNodeRuntime({ projectDir: ok, spec: 'rt', appDir: '/a', arch: 'arm64' });
    assert.equal(r.arch, 'arm64');
    assert.equal(r.version, undefined);
    assert.deepEqual(r.warnings.map((w) => w.code), ['W_RUNTIME_VERSION_UNKNOWN']);
  });
});
