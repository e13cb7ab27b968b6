/**
 * Bounded random access to the bytes of an ELF file, and the headers every ELF reader needs
 * (file header, section headers, program headers). The bytes are untrusted: every offset and
 * size is checked against the file before anything is read or allocated, 64-bit values above
 * 2^53 are refused, and table sizes are capped, so a hostile file costs at most {@link ELF_LIMITS}.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Caps on what one ELF file may make the reader allocate or iterate. */
export const ELF_LIMITS = {
  /** Section or program headers read at most. */
  maxHeaders: 65_536,
  /** Bytes of one section (string table, symbol table, version tables) read at most. */
  maxSectionBytes: 64 * 1024 * 1024,
  /** Entries of one version-needs/defs chain (and auxiliaries of one entry) followed at most. */
  maxChain: 65_536,
  /** Bytes of one string read at most. */
  maxString: 4096,
} as const;

/** A malformed or over-limit ELF file. The message says what was wrong; nothing is thrown for non-ELF input. */
export class ElfFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfFormatError';
  }
}

/** Random-access bytes: a file (read on demand) or a buffer (tests). */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws {@link ElfFormatError} when out of range. */
  read(offset: number, length: number): Buffer;
}

function checkRange(size: number, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new ElfFormatError(`${what} (offset ${offset}, ${length} bytes) lies outside the file (${size} bytes)`);
  }
}

/** A {@link ByteSource} over a buffer. */
export function bufferSource(buf: Uint8Array): ByteSource {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    size: b.length,
    read(offset, length) {
      checkRange(b.length, offset, length, 'read');
      return b.subarray(offset, offset + length);
    },
  };
}

/** Open `path` for reading, run `fn` on the descriptor, close it. fs errors propagate as they are. */
export function withOpenFile<T>(path: string, fn: (fd: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

/** Open `path` as a {@link ByteSource}, run `fn`, close it. fs errors propagate as they are. */
export const withFileSource = <T>(path: string, fn: (src: ByteSource) => T): T => withOpenFile(path, (fd) => fn(fdSource(fd)));

/** A {@link ByteSource} over the open file descriptor `fd` (read on demand; the caller closes it). */
export function fdSource(fd: number): ByteSource {
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      checkRange(size, offset, length, 'read');
      const out = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new ElfFormatError(`the file ended at ${offset + done} while reading ${length} bytes at ${offset}`);
        done += n;
      }
      return out;
    },
  };
}

/** Little- or big-endian integer reads on a buffer, 64-bit values as safe numbers. */
export class Fields {
  constructor(readonly le: boolean) {}
  u8(b: Buffer, at: number): number {
    return b.readUInt8(at);
  }
  u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }
  u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }
  u64(b: Buffer, at: number): number {
    const v = this.le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfFormatError(`a 64-bit value (${v}) is too large to be an offset or size`);
    return Number(v);
  }
  /** A signed 64-bit tag (d_tag): large values are kept approximately, only their identity with small tags matters. */
  i64(b: Buffer, at: number): number {
    return Number(this.le ? b.readBigInt64LE(at) : b.readBigInt64BE(at));
  }
}

/** One section header. */
export interface SectionHeader {
  index: number;
  /** Offset of the name in the section-name string table. */
  nameOffset: number;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

/** One program header. */
export interface ProgramHeader {
  type: number;
  offset: number;
  filesz: number;
  align: number;
}

/** The ELF file header fields the readers use. */
export interface ElfHeader {
  bits: 32 | 64;
  littleEndian: boolean;
  /** `e_type`: 2 executable, 3 shared object (or PIE). */
  type: number;
  machine: number;
  /** `e_flags` (ABI flags on ARM/MIPS). */
  flags: number;
  sections: SectionHeader[];
  programs: ProgramHeader[];
  /** Index of the section-name string table (0: none). */
  shstrndx: number;
}

function tableBytes(count: number, entsize: number, min: number, what: string): number {
  if (count === 0) return 0;
  if (count > ELF_LIMITS.maxHeaders) throw new ElfFormatError(`${count} ${what} headers exceed the limit of ${ELF_LIMITS.maxHeaders}`);
  if (entsize < min) throw new ElfFormatError(`${what} header size ${entsize} is smaller than ${min}`);
  return count * entsize;
}

/** Parse the file header and the section and program header tables. `undefined` when not ELF. */
export function readElfHeaders(src: ByteSource): ElfHeader | undefined {
  if (src.size < 52) return undefined;
  const id = src.read(0, 16);
  if (id[0] !== 0x7f || id[1] !== 0x45 || id[2] !== 0x4c || id[3] !== 0x46) return undefined;
  if ((id[4] !== 1 && id[4] !== 2) || (id[5] !== 1 && id[5] !== 2)) return undefined;
  const bits = id[4] === 1 ? 32 : 64;
  const f = new Fields(id[5] === 1);
  const eh = src.read(0, bits === 32 ? 52 : 64);
  const w = bits === 64 ? (at: number) => f.u64(eh, at) : (at: number) => f.u32(eh, at);
  const [phoff, shoff] = bits === 64 ? [w(32), w(40)] : [w(28), w(32)];
  const base = bits === 64 ? 48 : 36;
  const flags = f.u32(eh, base);
  const phentsize = f.u16(eh, base + 6);
  let phnum = f.u16(eh, base + 8);
  const shentsize = f.u16(eh, base + 10);
  let shnum = f.u16(eh, base + 12);
  let shstrndx = f.u16(eh, base + 14);
  const shMin = bits === 64 ? 64 : 40;
  const phMin = bits === 64 ? 56 : 32;

  const readSection = (raw: Buffer, i: number): SectionHeader => {
    if (bits === 64) {
      return { index: i, nameOffset: f.u32(raw, 0), type: f.u32(raw, 4), flags: f.u64(raw, 8), offset: f.u64(raw, 24), size: f.u64(raw, 32), link: f.u32(raw, 40), info: f.u32(raw, 44), addralign: f.u64(raw, 48), entsize: f.u64(raw, 56) };
    }
    return { index: i, nameOffset: f.u32(raw, 0), type: f.u32(raw, 4), flags: f.u32(raw, 8), offset: f.u32(raw, 16), size: f.u32(raw, 20), link: f.u32(raw, 24), info: f.u32(raw, 28), addralign: f.u32(raw, 32), entsize: f.u32(raw, 36) };
  };
  // Extended numbering: the real counts live in section 0.
  if (shoff !== 0 && (shnum === 0 || shstrndx === 0xffff || phnum === 0xffff)) {
    const zero = readSection(src.read(shoff, Math.max(shentsize, shMin)), 0);
    if (shnum === 0) shnum = zero.size;
    if (shstrndx === 0xffff) shstrndx = zero.link;
    if (phnum === 0xffff) phnum = zero.info;
  }
  const sections: SectionHeader[] = [];
  if (shoff !== 0) {
    const all = src.read(shoff, tableBytes(shnum, shentsize, shMin, 'section'));
    for (let i = 0; i < shnum; i++) sections.push(readSection(all.subarray(i * shentsize, i * shentsize + shMin), i));
  }
  const programs: ProgramHeader[] = [];
  if (phoff !== 0) {
    const all = src.read(phoff, tableBytes(phnum, phentsize, phMin, 'program'));
    for (let i = 0; i < phnum; i++) {
      const raw = all.subarray(i * phentsize, i * phentsize + phMin);
      programs.push(bits === 64
        ? { type: f.u32(raw, 0), offset: f.u64(raw, 8), filesz: f.u64(raw, 32), align: f.u64(raw, 48) }
        : { type: f.u32(raw, 0), offset: f.u32(raw, 4), filesz: f.u32(raw, 16), align: f.u32(raw, 28) });
    }
  }
  return { bits, littleEndian: f.le, type: f.u16(eh, 16), machine: f.u16(eh, 18), flags, sections, programs, shstrndx: shstrndx < sections.length ? shstrndx : 0 };
}

/** The bytes of a section (none for SHT_NOBITS), refusing sections above the size cap. */
export function sectionBytes(src: ByteSource, s: SectionHeader): Buffer {
  if (s.type === 8) return Buffer.alloc(0);
  if (s.size > ELF_LIMITS.maxSectionBytes) throw new ElfFormatError(`section ${s.index} has ${s.size} bytes, above the limit of ${ELF_LIMITS.maxSectionBytes}`);
  return src.read(s.offset, s.size);
}

/** A NUL-terminated string at `offset` of a string table; `undefined` when out of range or unterminated. */
export function tableString(table: Buffer, offset: number): string | undefined {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= table.length) return undefined;
  const end = table.indexOf(0, offset);
  if (end < 0 || end - offset > ELF_LIMITS.maxString) return undefined;
  return table.toString('latin1', offset, end);
}
