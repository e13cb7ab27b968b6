import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import { checkArch, detectArch, readElfHeader, type NativeFile } from '../../src/plan/elf.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, writeTree } from './helpers.js';
import { synthElf, type SynthSpec } from '../support/elf-synth.js';

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

describe('plan/elf target checks (machine, class, byte order, loader)', () => {
  /** Write a synthetic executable and plan it, so the check sees what scanNative reads from disk. */
  async function planned(files: Record<string, SynthSpec>) {
    const p = scratch();
    for (const [name, spec] of Object.entries(files)) writeFileSync(join(p, name), synthElf(spec));
    const r = await buildPlan({ projectDir: p, contents: Object.keys(files).map((n) => ({ src: n, dst: `/usr/lib/app/${n}` })), format: 'deb', sourceDateEpoch: 1 });
    return { dir: p, native: r.native };
  }
  const exe = (machine: number, bits: 32 | 64, littleEndian: boolean, interp?: string): SynthSpec => ({ machine, bits, littleEndian, type: 2, ...(interp ? { interp } : {}), needed: ['libc.so.6'] });

  it('reads class, byte order and PT_INTERP as readelf does', async function () {
    requireTools(this, 'readelf');
    const { dir, native } = await planned({ tool: exe(183, 64, true, '/lib/ld-linux-aarch64.so.1') });
    const out = execFileSync('readelf', ['-h', '-l', join(dir, 'tool')], { encoding: 'utf8' });
    assert.match(out, /Class:\s+ELF64/);
    assert.match(out, /little endian/);
    assert.match(out, /\[Requesting program interpreter: \/lib\/ld-linux-aarch64\.so\.1\]/);
    assert.deepEqual(native.map(({ path, arch, bits, littleEndian, interp }) => ({ path, arch, bits, littleEndian, interp })),
      [{ path: '/usr/lib/app/tool', arch: 'arm64', bits: 64, littleEndian: true, interp: '/lib/ld-linux-aarch64.so.1' }]);
    checkArch(native, 'aarch64');
  });

  const fits: [string, SynthSpec][] = [
    ['amd64', exe(62, 64, true, '/lib64/ld-linux-x86-64.so.2')],
    ['arm64', exe(183, 64, true, '/lib/ld-linux-aarch64.so.1')],
    ['arm64', exe(183, 64, true, '/lib/ld-musl-aarch64.so.1')],
    ['i386', exe(3, 32, true, '/lib/ld-linux.so.2')],
    ['armhf', exe(40, 32, true, '/lib/ld-linux-armhf.so.3')],
    ['ppc64el', exe(21, 64, true, '/lib64/ld64.so.2')],
    ['s390x', exe(22, 64, false, '/lib/ld64.so.1')],
    ['riscv64', exe(243, 64, true, '/lib/ld-linux-riscv64-lp64d.so.1')],
    ['arm64', exe(183, 64, true, '/opt/vendor/lib/my-loader.so')],
  ];
  for (const [arch, spec] of fits) {
    it(`accepts for ${arch} an executable with loader ${spec.interp}`, async () => {
      const { native } = await planned({ tool: spec });
      checkArch(native, arch);
    });
  }

  it('names each file that does not fit, with its problem, in one error', async () => {
    const { native } = await planned({
      'x86.node': exe(62, 64, true, '/lib64/ld-linux-x86-64.so.2'),
      'armel-tool': exe(40, 32, true, '/lib/ld-linux.so.3'),
      'x32-tool': exe(62, 32, true, '/libx32/ld-linux-x32.so.2'),
      'be-tool': exe(21, 64, false, '/lib64/ld64.so.1'),
      'wrong-loader': exe(183, 64, true, '/lib64/ld-linux-x86-64.so.2'),
      'good': exe(183, 64, true, '/lib/ld-linux-aarch64.so.1'),
    });
    const e = await rejectsWith(() => checkArch(native, 'arm64'), 'E_ARCH_MISMATCH', '5 files do not fit the package architecture arm64',
      'x86.node is an x86-64 ELF object', 'armel-tool is an ARM ELF object', 'x32-tool is an x86-64 ELF object',
      'be-tool is a PowerPC64 ELF object', 'wrong-loader asks for the dynamic loader /lib64/ld-linux-x86-64.so.2, but arm64\'s is /lib/ld-linux-aarch64.so.1');
    assert.doesNotMatch(e.message, /\bgood\b/);
    assert.match(e.hint!, /build these files for arm64, or leave them out/);
    assert.equal((e.details!.files as unknown[]).length, 5);

    const armhf = await rejectsWith(() => checkArch(native.filter((n) => n.path.endsWith('armel-tool')), 'armhf'), 'E_ARCH_MISMATCH',
      'armel-tool asks for the dynamic loader /lib/ld-linux.so.3, but armhf\'s is /lib/ld-linux-armhf.so.3');
    assert.match(armhf.hint!, /build armel-tool for armhf/);
    await rejectsWith(() => checkArch(native.filter((n) => n.path.endsWith('x32-tool')), 'amd64'), 'E_ARCH_MISMATCH', 'x32-tool is a 32-bit ELF object (amd64 is 64-bit)');
    await rejectsWith(() => checkArch(native.filter((n) => n.path.endsWith('be-tool')), 'ppc64el'), 'E_ARCH_MISMATCH', 'be-tool is a big-endian ELF object (ppc64el is little-endian)');
  });
});
