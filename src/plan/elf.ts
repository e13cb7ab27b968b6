/** ELF detection from the first 20 bytes of a file, and the architecture checks built on it. */
import { closeSync, openSync, readSync } from 'node:fs';
import { MkpkgError } from '../errors.js';
import { elfMachineToArch, normalizeArch } from '../config/arch.js';

/** What the ELF identification bytes say about a file. */
export interface ElfInfo {
  /** 32 or 64. */
  bits: 32 | 64;
  littleEndian: boolean;
  /** `e_machine`, e.g. 62 for x86-64. */
  machine: number;
}

/** A native (ELF) file found while planning. */
export interface NativeFile {
  /** Destination path inside the package. */
  path: string;
  /** Debian architecture name (`amd64`, `arm64`, …), or `unknown-<machine>`. */
  arch: string;
  machine: number;
  /** Source file on the build host, for messages. */
  source?: string;
}

/** Parse ELF identification bytes; `undefined` when the buffer is not an ELF header. */
export function parseElfHeader(head: Uint8Array): ElfInfo | undefined {
  if (head.length < 20 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return undefined;
  const cls = head[4];
  const data = head[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return undefined;
  const littleEndian = data === 1;
  const machine = littleEndian ? head[18] | (head[19] << 8) : (head[18] << 8) | head[19];
  return { bits: cls === 1 ? 32 : 64, littleEndian, machine };
}

/**
 * Read the first 20 bytes of `file` and parse them. Throws the raw fs error when open/read fails.
 * The reads are synchronous on purpose: for thousands of small files three thread-pool round trips
 * per file (open, read, close) cost several times more than the blocking calls themselves.
 */
export async function readElfHeader(file: string): Promise<ElfInfo | undefined> {
  return readElfHeaderSync(file);
}

/** One buffer for every sniff: the read and the parse happen without yielding. */
const HEAD = Buffer.alloc(20);

/** {@link readElfHeader}, blocking (for loops over thousands of files: no promise per file). */
export function readElfHeaderSync(file: string): ElfInfo | undefined {
  const fd = openSync(file, 'r');
  try {
    const bytesRead = readSync(fd, HEAD, 0, 20, 0);
    return parseElfHeader(HEAD.subarray(0, bytesRead));
  } finally {
    closeSync(fd);
  }
}

const MACHINE_NAMES: Record<number, string> = {
  3: 'i386', 8: 'MIPS', 21: 'PowerPC64', 22: 'IBM S/390', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch',
};

/** A human name for an ELF machine (`x86-64`, `AArch64`). */
export function machineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `machine ${machine}`;
}

/** Map ELF identification to a Debian architecture name (`unknown-<machine>` when unsupported). */
export function elfDebArch(info: ElfInfo): string {
  try {
    return elfMachineToArch(info.machine, info.bits, info.littleEndian ? 'little' : 'big').deb;
  } catch (e) {
    if (e instanceof MkpkgError && e.code === 'E_ARCH_UNKNOWN') return `unknown-${info.machine}`;
    throw e;
  }
}

function aMachine(machine: number): string {
  const name = machineName(machine);
  return `${/^[aeiouxAEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

function describe(f: NativeFile): string {
  return f.source ?? f.path;
}

/**
 * Check native files against the requested architecture (any spelling: amd64/x86_64/x64, all/noarch): `all` with native files, or a file
 * built for another machine → E_ARCH_MISMATCH naming the file.
 */
export function checkArch(native: readonly NativeFile[], requestedArch: string): void {
  if (native.length === 0) return;
  const requestedDebArch = normalizeArch(requestedArch).deb;
  if (requestedDebArch === 'all') {
    const found = detectArch(native);
    const f = native[0];
    throw new MkpkgError('E_ARCH_MISMATCH', `${describe(f)} is ${aMachine(f.machine)} ELF object but the package architecture is all (architecture-independent)`, {
      hint: `build an architecture-specific package (--arch ${found}), or remove the native files from the contents`,
      details: { files: native.map((n) => n.path), requested: requestedDebArch },
    });
  }
  const wrong = native.filter((n) => n.arch !== requestedDebArch);
  if (wrong.length === 0) return;
  const f = wrong[0];
  const more = wrong.length > 1 ? ` (and ${wrong.length - 1} more)` : '';
  throw new MkpkgError('E_ARCH_MISMATCH', `${describe(f)} is ${aMachine(f.machine)} ELF object but the package architecture is ${requestedDebArch}${more}`, {
    hint: `use --arch ${f.arch}, or remove/rebuild ${describe(f)} for ${requestedDebArch}`,
    details: { files: wrong.map((n) => ({ path: n.path, arch: n.arch })), requested: requestedDebArch },
  });
}

/** The architecture the native files imply: `all` when there are none; disagreeing files → E_ARCH_MISMATCH. */
export function detectArch(native: readonly NativeFile[]): string {
  const arches = [...new Set(native.map((n) => n.arch))].sort();
  if (arches.length === 0) return 'all';
  if (arches.length === 1) return arches[0];
  const examples = arches.map((a) => `${a}: ${describe(native.find((n) => n.arch === a)!)}`);
  throw new MkpkgError('E_ARCH_MISMATCH', `the package contains native code for several architectures (${examples.join('; ')})`, {
    hint: 'ship native files for one architecture per package; rebuild or remove the others',
    details: { files: native.map((n) => ({ path: n.path, arch: n.arch })) },
  });
}
