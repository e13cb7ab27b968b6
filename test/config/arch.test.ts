import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { ACCEPTED_ARCH_NAMES, elfMachineToArch, normalizeArch, type ElfClass } from '../../src/config/arch.js';
import { requireTools } from '../support/tools.js';
import { expectCode, writeProject } from './project.js';
import { loadProject } from '../../src/config/load.js';
import { resolveDeb } from '../../src/config/resolve-deb.js';
import { resolveRpm } from '../../src/config/resolve-rpm.js';
import { debFileName } from '../../src/formats/deb/writer.js';
import { rpmFileName } from '../../src/formats/rpm/writer.js';

const SPELLINGS: [string[], { deb: string; rpm: string; node?: string }][] = [
  [['x64', 'amd64', 'x86_64', 'X86_64'], { deb: 'amd64', rpm: 'x86_64', node: 'x64' }],
  [['arm64', 'aarch64'], { deb: 'arm64', rpm: 'aarch64', node: 'arm64' }],
  [['ia32', 'i386', 'i686'], { deb: 'i386', rpm: 'i686', node: 'ia32' }],
  [['arm', 'armhf', 'armv7hl'], { deb: 'armhf', rpm: 'armv7hl', node: 'arm' }],
  [['ppc64', 'ppc64el', 'ppc64le'], { deb: 'ppc64el', rpm: 'ppc64le', node: 'ppc64' }],
  [['s390x'], { deb: 's390x', rpm: 's390x', node: 's390x' }],
  [['riscv64'], { deb: 'riscv64', rpm: 'riscv64', node: 'riscv64' }],
  [['all', 'noarch'], { deb: 'all', rpm: 'noarch' }],
];

describe('config/arch', () => {
  for (const [inputs, want] of SPELLINGS) {
    it(`normalises ${inputs.join(' / ')} to deb ${want.deb}, rpm ${want.rpm}`, () => {
      for (const i of inputs) assert.deepEqual(normalizeArch(i), want, i);
    });
  }

  it('produces only architecture names dpkg-architecture and rpm know', function () {
    requireTools(this, 'dpkg-architecture', 'rpm');
    const debKnown = new Set(spawnSync('dpkg-architecture', ['-L'], { encoding: 'utf8' }).stdout.split('\n'));
    debKnown.add('all');
    const rpmKnown = new Set(readFileSync('/usr/lib/rpm/rpmrc', 'utf8').split('\n').flatMap((l) => /^arch_canon:\s*[^:]+:\s*(\S+)/.exec(l)?.[1] ?? []));
    rpmKnown.add('noarch');
    for (const [, want] of SPELLINGS) {
      assert.ok(debKnown.has(want.deb), `dpkg-architecture does not know ${want.deb}`);
      assert.ok(rpmKnown.has(want.rpm), `rpmrc does not know ${want.rpm}`);
    }
  });

  it('agrees with dpkg-architecture on the GNU CPU of each Debian architecture where rpm uses the GNU name', function () {
    requireTools(this, 'dpkg-architecture');
    for (const deb of ['amd64', 'arm64', 'i386', 's390x', 'riscv64']) {
      const cpu = spawnSync('dpkg-architecture', ['-a', deb, '-qDEB_HOST_GNU_CPU'], { encoding: 'utf8' }).stdout.trim();
      assert.equal(normalizeArch(deb).rpm, cpu, deb);
    }
  });

  it('maps this host (dpkg --print-architecture) to Node.js process.arch', function () {
    requireTools(this, 'dpkg');
    const host = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(normalizeArch(host).node, process.arch);
    assert.deepEqual(normalizeArch(process.arch), normalizeArch(host));
  });

  it('rejects an unknown architecture with E_ARCH_UNKNOWN listing the accepted names', async () => {
    const e = await expectCode(() => normalizeArch('sparc', 'overrides.deb.arch'), 'E_ARCH_UNKNOWN');
    assert.match(e.message, /overrides\.deb\.arch: unknown architecture "sparc"/);
    for (const n of ['amd64', 'x86_64', 'x64', 'noarch', 'all']) assert.ok(e.hint?.includes(n));
    assert.ok(ACCEPTED_ARCH_NAMES.includes('aarch64'));
  });

  it('maps the ELF header of a real binary on this host to the host architecture', function () {
    requireTools(this, 'dpkg');
    const fd = openSync(process.execPath, 'r');
    const h = Buffer.alloc(20);
    readSync(fd, h, 0, 20, 0);
    closeSync(fd);
    assert.equal(h.toString('latin1', 1, 4), 'ELF');
    const cls: ElfClass = h[4] === 2 ? 64 : 32;
    const little = h[5] === 1;
    const machine = little ? h.readUInt16LE(18) : h.readUInt16BE(18);
    const host = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(elfMachineToArch(machine, cls, little ? 'little' : 'big').deb, host);
  });

  it('maps each supported ELF machine and rejects an unsupported or inconsistent one', async () => {
    assert.equal(elfMachineToArch(183, 64, 'little').deb, 'arm64');
    assert.equal(elfMachineToArch(40, 32, 'little').rpm, 'armv7hl');
    assert.equal(elfMachineToArch(21, 64, 'little').deb, 'ppc64el');
    assert.equal(elfMachineToArch(22, 64, 'big').deb, 's390x');
    assert.equal(elfMachineToArch(243, 64, 'little').rpm, 'riscv64');
    assert.equal(elfMachineToArch(3, 32, 'little').deb, 'i386');
    await expectCode(() => elfMachineToArch(2, 32, 'big'), 'E_ARCH_UNKNOWN');
    await expectCode(() => elfMachineToArch(62, 32, 'little'), 'E_ARCH_UNKNOWN');
    await expectCode(() => elfMachineToArch(21, 64, 'big'), 'E_ARCH_UNKNOWN');
  });
});

describe('config/arch in each format (metadata and file name)', () => {
  const TARGETS: [string, { deb: string; rpm: string }][] = [
    ['arm64', { deb: 'arm64', rpm: 'aarch64' }],
    ['aarch64', { deb: 'arm64', rpm: 'aarch64' }],
    ['armhf', { deb: 'armhf', rpm: 'armv7hl' }],
    ['i386', { deb: 'i386', rpm: 'i686' }],
    ['i686', { deb: 'i386', rpm: 'i686' }],
    ['ppc64el', { deb: 'ppc64el', rpm: 'ppc64le' }],
    ['ppc64le', { deb: 'ppc64el', rpm: 'ppc64le' }],
    ['s390x', { deb: 's390x', rpm: 's390x' }],
    ['riscv64', { deb: 'riscv64', rpm: 'riscv64' }],
    ['amd64', { deb: 'amd64', rpm: 'x86_64' }],
  ];
  for (const [input, want] of TARGETS) {
    it(`--arch ${input}: Architecture ${want.deb}, rpm arch ${want.rpm}, and both file names`, async () => {
      const project = await loadProject(writeProject({ 'mkpkg.config.json': { name: 'xa', version: '1.2.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'x', description: 'y', app: false } }));
      const a = normalizeArch(input);
      const deb = resolveDeb(project, a).meta;
      const rpm = resolveRpm(project, a, { buildHost: 'host' }).meta;
      assert.equal(deb.architecture, want.deb);
      assert.equal(rpm.arch, want.rpm);
      assert.equal(debFileName(deb), `xa_1.2.0-1_${want.deb}.deb`);
      assert.equal(rpmFileName(rpm), `xa-1.2.0-1.${want.rpm}.rpm`);
    });
  }
});
