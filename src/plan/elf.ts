/** ELF detection from the first 20 bytes of a file, and the architecture checks built on it. */
import { readSync } from 'node:fs';
import { MkpkgError } from '../errors.js';
import { elfIdentity, elfMachineToArch, normalizeArch, type ElfIdentity } from '../config/arch.js';
import { withOpenFile } from './elf-source.js';

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
  /** ELF class and byte order (absent: not checked). */
  bits?: 32 | 64;
  littleEndian?: boolean;
  /** PT_INTERP, the dynamic loader the file asks for. */
  interp?: string;
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
export const readElfHeaderSync = (file: string): ElfInfo | undefined => withOpenFile(file, readElfHeaderFd);

/** {@link readElfHeaderSync} on an open file descriptor. */
export function readElfHeaderFd(fd: number): ElfInfo | undefined {
  const bytesRead = readSync(fd, HEAD, 0, 20, 0);
  return parseElfHeader(HEAD.subarray(0, bytesRead));
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

/** The file name of a glibc or musl dynamic loader (`ld-linux-aarch64.so.1`, `ld64.so.2`, `ld-musl-x86_64.so.1`). */
const SYSTEM_LOADER = /^ld(?:64)?(?:-linux(?:-[a-z0-9_-]+)?|-musl-[a-z0-9_]+)?\.so\.\d+$/;

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Why `f` cannot run on architecture `arch` (any spelling but all/noarch), or undefined when it fits. */
export function elfMismatch(f: NativeFile, arch: string): string | undefined {
  const deb = normalizeArch(arch).deb;
  const id = elfIdentity(deb);
  return id ? mismatch(f, id, deb) : `is ${aMachine(f.machine)} ELF object`;
}

/** Why `f` cannot run on `id`'s machine, or undefined when it fits. A loader outside the system's naming is not judged. */
function mismatch(f: NativeFile, id: ElfIdentity, deb: string): string | undefined {
  if (f.machine !== id.machine) return `is ${aMachine(f.machine)} ELF object`;
  if (f.bits !== undefined && f.bits !== id.cls) return `is a ${f.bits}-bit ELF object (${deb} is ${id.cls}-bit)`;
  if (f.littleEndian !== undefined && f.littleEndian !== (id.endian === 'little')) {
    return `is a ${f.littleEndian ? 'little' : 'big'}-endian ELF object (${deb} is ${id.endian}-endian)`;
  }
  const loader = f.interp !== undefined ? baseName(f.interp) : undefined;
  if (loader !== undefined && SYSTEM_LOADER.test(loader) && !id.loaders.some((l) => baseName(l) === loader)) {
    return `asks for the dynamic loader ${f.interp}, but ${deb}'s is ${id.loaders[0]}`;
  }
  return undefined;
}

/** At most this many mismatches are spelled out in the message; `details.files` has them all. */
const LISTED = 20;

/**
 * Check native files against the requested architecture (any spelling: amd64/x86_64/x64, all/noarch):
 * machine, ELF class, byte order and the dynamic loader of each file. `all` with native files, or
 * any file that does not fit → one E_ARCH_MISMATCH naming every such file.
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
  const wrong = native.flatMap((f) => {
    const why = elfMismatch(f, requestedDebArch);
    return why ? [{ f, why }] : [];
  });
  if (wrong.length === 0) return;
  const details = { files: wrong.map(({ f, why }) => ({ path: f.path, arch: f.arch, problem: why })), requested: requestedDebArch };
  const others = [...new Set(wrong.map(({ f }) => f.arch).filter((a) => !a.startsWith('unknown-') && a !== requestedDebArch))];
  const hint = `build ${wrong.length > 1 ? 'these files' : describe(wrong[0].f)} for ${requestedDebArch}, or leave ${wrong.length > 1 ? 'them' : 'it'} out of the package (contents, package.json "files", .npmignore)${others.length === 1 && others[0] === detectArchOr(native) ? `; or use --arch ${others[0]}` : ''}`;
  if (wrong.length === 1) {
    const { f, why } = wrong[0];
    throw new MkpkgError('E_ARCH_MISMATCH', `${describe(f)} ${why} but the package architecture is ${requestedDebArch}`, { hint, details });
  }
  const lines = wrong.slice(0, LISTED).map(({ f, why }) => `  ${describe(f)} ${why}`);
  if (wrong.length > LISTED) lines.push(`  … and ${wrong.length - LISTED} more`);
  throw new MkpkgError('E_ARCH_MISMATCH', `${wrong.length} files do not fit the package architecture ${requestedDebArch}:\n${lines.join('\n')}`, { hint, details });
}

/** {@link detectArch}, or undefined when the files disagree. */
function detectArchOr(native: readonly NativeFile[]): string | undefined {
  const arches = [...new Set(native.map((n) => n.arch))];
  return arches.length === 1 ? arches[0] : undefined;
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
