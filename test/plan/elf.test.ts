import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import { checkArch, detectArch, readElfHeader, type NativeFile } from '../../src/plan/elf.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, writeTree } from './helpers.js';

/** A 64-byte ELF64 little-endian header (ET_DYN) for `machine`, readable by readelf -h. */
function elf64Header(machine: number): Buffer {
  const h = Buffer.alloc(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  h.writeUInt16LE(3, 16); // e_type ET_DYN
  h.writeUInt16LE(machine, 18);
  h.writeUInt32LE(1, 20); // e_version
  h.writeUInt16LE(64, 52); // e_ehsize
  return h;
}

function readelfMachine(file: string): string {
  const out = execFileSync('readelf', ['-h', file], { encoding: 'utf8' });
  return /Machine:\s+(.*)/.exec(out)![1].trim();
}

describe('plan/elf detection', () => {
  it('detects /bin/true as the host architecture that dpkg reports', async function () {
    requireTools(this, 'dpkg', 'readelf');
    const hostArch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
    const p = scratch();
    mkdirSync(join(p, 'build/Release'), { recursive: true });
    copyFileSync('/bin/true', join(p, 'build/Release/addon.node'));
    writeTree(p, { 'build/Release/notes.txt': '\x7fELF but too short', 'index.js': 'module.exports = 1' });
    const r = await buildPlan({ projectDir: p, contents: [{ src: 'build', dst: '/usr/lib/app/build' }, { src: 'index.js', dst: '/usr/lib/app/index.js' }], format: 'deb', sourceDateEpoch: 1 });
    assert.equal(r.native.length, 1);
    assert.equal(r.native[0].path, '/usr/lib/app/build/Release/addon.node');
    assert.equal(r.native[0].source, 'build/Release/addon.node');
    assert.equal(r.native[0].arch, hostArch);
    assert.equal(detectArch(r.native), hostArch);
    const info = await readElfHeader('/bin/true');
    const names: Record<number, string> = { 62: 'Advanced Micro Devices X86-64', 183: 'AArch64' };
    assert.equal(readelfMachine('/bin/true'), names[info!.machine]);
  });

  it('reads a hand-made AArch64 header the way readelf does', async function () {
    requireTools(this, 'readelf');
    const f = join(scratch(), 'addon.node');
    writeFileSync(f, elf64Header(183));
    assert.equal(readelfMachine(f), 'AArch64');
    assert.deepEqual(await readElfHeader(f), { bits: 64, littleEndian: true, machine: 183 });
    const r = await buildPlan({ projectDir: scratch(), contents: [{ src: f, dst: '/usr/lib/app/addon.node' }], format: 'rpm', sourceDateEpoch: 1 });
    assert.deepEqual(r.native.map((n) => n.arch), ['arm64']);
  });

  it('non-ELF files and files shorter than 20 bytes are not native', async () => {
    const p = writeTree(scratch(), { short: '\x7fELF', text: 'hello world, this is text' });
    assert.equal(await readElfHeader(join(p, 'short')), undefined);
    assert.equal(await readElfHeader(join(p, 'text')), undefined);
  });
});

describe('plan/elf architecture checks', () => {
  const x64: NativeFile = { path: '/usr/lib/app/build/Release/addon.node', arch: 'amd64', machine: 62, source: 'build/Release/addon.node' };
  const a64: NativeFile = { path: '/usr/lib/app/lib/other.so', arch: 'arm64', machine: 183, source: 'lib/other.so' };

  it('accepts native files of the requested architecture and no native files at all', () => {
    checkArch([x64], 'amd64');
    checkArch([x64], 'x86_64');
    checkArch([], 'all');
    assert.equal(detectArch([]), 'all');
    assert.equal(detectArch([x64, { ...x64, path: '/b' }]), 'amd64');
  });

  it('a native file of another architecture → E_ARCH_MISMATCH naming the file, with an --arch hint', async () => {
    const e = await rejectsWith(() => checkArch([x64], 'arm64'), 'E_ARCH_MISMATCH',
      'build/Release/addon.node is an x86-64 ELF object but the package architecture is arm64');
    assert.match(e.hint!, /--arch amd64/);
    await rejectsWith(() => checkArch([x64], 'aarch64'), 'E_ARCH_MISMATCH', 'architecture is arm64');
  });

  it('architecture all with native files → E_ARCH_MISMATCH', async () => {
    await rejectsWith(() => checkArch([x64], 'all'), 'E_ARCH_MISMATCH', 'build/Release/addon.node', 'architecture is all');
  });

  it('native files of disagreeing machines → E_ARCH_MISMATCH listing them', async () => {
    await rejectsWith(() => detectArch([x64, a64]), 'E_ARCH_MISMATCH', 'amd64: build/Release/addon.node', 'arm64: lib/other.so');
  });
});
