/** Architecture names in Node.js, Debian and RPM spelling, and ELF machine → architecture. */
import { MkpkgError } from '../errors.js';

/** One architecture in each ecosystem's spelling; `node` is absent for architecture-independent. */
export interface Arch {
  deb: string;
  rpm: string;
  node?: string;
}

const ARCHES: readonly (Arch & { aliases?: string[] })[] = [
  { node: 'x64', deb: 'amd64', rpm: 'x86_64', aliases: ['x86-64'] },
  { node: 'arm64', deb: 'arm64', rpm: 'aarch64' },
  { node: 'ia32', deb: 'i386', rpm: 'i686', aliases: ['i586', 'x86'] },
  { node: 'arm', deb: 'armhf', rpm: 'armv7hl', aliases: ['armv7l'] },
  { node: 'ppc64', deb: 'ppc64el', rpm: 'ppc64le' },
  { node: 's390x', deb: 's390x', rpm: 's390x' },
  { node: 'riscv64', deb: 'riscv64', rpm: 'riscv64' },
  { deb: 'all', rpm: 'noarch' },
];

/** Every accepted spelling, sorted. */
export const ACCEPTED_ARCH_NAMES: readonly string[] = [
  ...new Set(ARCHES.flatMap((a) => [a.deb, a.rpm, ...(a.node ? [a.node] : []), ...(a.aliases ?? [])])),
].sort();

function pick(a: Arch): Arch {
  return a.node ? { deb: a.deb, rpm: a.rpm, node: a.node } : { deb: a.deb, rpm: a.rpm };
}

/** Normalise any accepted spelling (case-insensitive). Unknown → `E_ARCH_UNKNOWN`. */
export function normalizeArch(input: string, field = 'arch'): Arch {
  const key = input.trim().toLowerCase();
  const found = ARCHES.find((a) => a.deb === key || a.rpm === key || a.node === key || a.aliases?.includes(key));
  if (!found) {
    throw new MkpkgError('E_ARCH_UNKNOWN', `${field}: unknown architecture ${JSON.stringify(input)}`, {
      hint: `use one of: ${ACCEPTED_ARCH_NAMES.join(', ')}`,
      details: { field, value: input, accepted: ACCEPTED_ARCH_NAMES },
    });
  }
  return pick(found);
}

/** ELF class from `e_ident[EI_CLASS]`: 32- or 64-bit. */
export type ElfClass = 32 | 64;
/** ELF data encoding from `e_ident[EI_DATA]`. */
export type ElfEndianness = 'little' | 'big';

/**
 * What an ELF file built for each architecture says about itself: `e_machine`, class, byte order,
 * and the file names of its glibc and musl dynamic loaders (PT_INTERP).
 */
const ELF_MACHINES: readonly ElfIdentity[] = [
  { machine: 62, cls: 64, endian: 'little', node: 'x64', what: 'x86-64', multiarch: 'x86_64-linux-gnu', loaders: ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-musl-x86_64.so.1'] },
  { machine: 183, cls: 64, endian: 'little', node: 'arm64', what: 'AArch64', multiarch: 'aarch64-linux-gnu', loaders: ['/lib/ld-linux-aarch64.so.1', '/lib/ld-musl-aarch64.so.1'] },
  { machine: 3, cls: 32, endian: 'little', node: 'ia32', what: 'i386', multiarch: 'i386-linux-gnu', loaders: ['/lib/ld-linux.so.2', '/lib/ld-musl-i386.so.1'] },
  { machine: 40, cls: 32, endian: 'little', node: 'arm', what: 'ARM', multiarch: 'arm-linux-gnueabihf', loaders: ['/lib/ld-linux-armhf.so.3', '/lib/ld-musl-armhf.so.1'] },
  { machine: 21, cls: 64, endian: 'little', node: 'ppc64', what: 'PowerPC64 little-endian', multiarch: 'powerpc64le-linux-gnu', loaders: ['/lib64/ld64.so.2', '/lib/ld-musl-powerpc64le.so.1'] },
  { machine: 22, cls: 64, endian: 'big', node: 's390x', what: 'S/390 64-bit', multiarch: 's390x-linux-gnu', loaders: ['/lib/ld64.so.1', '/lib/ld-musl-s390x.so.1'] },
  { machine: 243, cls: 64, endian: 'little', node: 'riscv64', what: 'RISC-V 64-bit', multiarch: 'riscv64-linux-gnu', loaders: ['/lib/ld-linux-riscv64-lp64d.so.1', '/lib/ld-musl-riscv64.so.1'] },
];

/** The ELF identification of the files of one architecture. */
export interface ElfIdentity {
  machine: number;
  cls: ElfClass;
  endian: ElfEndianness;
  /** Node.js spelling of the architecture. */
  node: string;
  /** A human name of the machine. */
  what: string;
  /** Debian's multiarch tuple (library directory /usr/lib/TUPLE). */
  multiarch: string;
  /** The glibc loader first, then musl's. */
  loaders: readonly string[];
}

/** What ELF files for `arch` (any spelling) look like; `undefined` for `all`. */
export function elfIdentity(arch: string): ElfIdentity | undefined {
  const node = normalizeArch(arch).node;
  return ELF_MACHINES.find((m) => m.node === node);
}

/** The architecture an ELF binary was built for. Unsupported combinations → `E_ARCH_UNKNOWN`. */
export function elfMachineToArch(machine: number, elfClass: ElfClass, endianness: ElfEndianness): Arch {
  const m = ELF_MACHINES.find((x) => x.machine === machine && x.cls === elfClass && x.endian === endianness);
  if (!m) {
    throw new MkpkgError('E_ARCH_UNKNOWN', `ELF machine ${machine} (${elfClass}-bit, ${endianness}-endian) is not a supported architecture`, {
      hint: `supported: ${ELF_MACHINES.map((x) => `${x.what} (${x.machine}, ${x.cls}-bit ${x.endian}-endian)`).join(', ')}`,
      details: { machine, elfClass, endianness },
    });
  }
  return normalizeArch(m.node);
}
