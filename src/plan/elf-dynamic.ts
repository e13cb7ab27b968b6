/**
 * What an ELF file says about its dynamic linking, read from its sections as rpm's elfdeps and
 * dpkg-shlibdeps (through objdump) read it: DT_NEEDED, DT_SONAME, RPATH/RUNPATH, the hash-table
 * kind, version needs (.gnu.version_r) and definitions (.gnu.version_d), the undefined dynamic
 * symbols with their versions, the GNU build-id note and whether debug sections are present.
 * All reads are bounded (see elf-source.ts).
 */
import { readElfHeaderFd, type ElfInfo } from './elf.js';
import { ELF_LIMITS, ElfFormatError, Fields, bufferSource, fdSource, readElfHeaders, sectionBytes, tableString, withFileSource, withOpenFile, type ByteSource, type ElfHeader, type SectionHeader } from './elf-source.js';

const SHT_SYMTAB = 2;
const SHT_NOTE = 7;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const PT_INTERP = 3;
const DT = { NEEDED: 1, HASH: 4, SONAME: 14, RPATH: 15, DEBUG: 21, RUNPATH: 29, GNU_HASH: 0x6ffffef5 } as const;
const VER_FLG_BASE = 1;
const VER_FLG_WEAK = 2;
const NT_GNU_BUILD_ID = 3;

/** One library a file needs versions of (`.gnu.version_r`). */
export interface VersionNeed {
  /** The library's soname, e.g. `libc.so.6`. */
  file: string;
  versions: { name: string; index: number; weak: boolean }[];
}

/** One version a shared library defines (`.gnu.version_d`); the base entry names the library itself. */
export interface VersionDef {
  name: string;
  index: number;
  base: boolean;
}

/** An undefined dynamic symbol: what the file uses from its libraries. */
export interface UndefinedSymbol {
  name: string;
  /** The version it binds to (`GLIBC_2.34`), absent for unversioned (`Base`) symbols. */
  version?: string;
  weak: boolean;
}

/** The dynamic-linking facts of one ELF file. */
export interface ElfDynamic {
  bits: 32 | 64;
  littleEndian: boolean;
  machine: number;
  /** `e_type`: 2 executable, 3 shared object or PIE. */
  type: number;
  flags: number;
  /** PT_INTERP, e.g. `/lib64/ld-linux-x86-64.so.2`. */
  interp?: string;
  needed: string[];
  soname?: string;
  /** RPATH and RUNPATH directories, in that order. */
  rpath: string[];
  hasHash: boolean;
  hasGnuHash: boolean;
  /** DT_DEBUG: set in executables (also PIE), not in libraries. */
  hasDebugTag: boolean;
  versionNeeds: VersionNeed[];
  versionDefs: VersionDef[];
  undefinedSymbols: UndefinedSymbol[];
  /** The GNU build-id in lowercase hex. */
  buildId?: string;
  /** A `.debug_info` (or compressed `.zdebug_info`) section is present. */
  hasDebugInfo: boolean;
  /** A static symbol table (`.symtab`) is present: the file is not stripped. */
  hasSymtab: boolean;
}

class Reader {
  private strtabs = new Map<number, Buffer>();
  readonly f: Fields;
  constructor(private src: ByteSource, readonly h: ElfHeader) {
    this.f = new Fields(h.littleEndian);
  }
  bytes(s: SectionHeader): Buffer {
    return sectionBytes(this.src, s);
  }
  /** The string at `offset` in the string table section `link`. */
  str(link: number, offset: number): string | undefined {
    let t = this.strtabs.get(link);
    if (!t) {
      const s = this.h.sections[link];
      if (!s) return undefined;
      t = this.bytes(s);
      this.strtabs.set(link, t);
    }
    return tableString(t, offset);
  }
}

function readDynamic(r: Reader, s: SectionHeader, out: ElfDynamic): void {
  const size = r.h.bits === 64 ? 16 : 8;
  const b = r.bytes(s);
  for (let at = 0; at + size <= b.length; at += size) {
    const tag = r.h.bits === 64 ? r.f.i64(b, at) : r.f.u32(b, at) | 0;
    if (tag === 0) break;
    if (tag === DT.HASH) out.hasHash = true;
    else if (tag === DT.GNU_HASH) out.hasGnuHash = true;
    else if (tag === DT.DEBUG) out.hasDebugTag = true;
    else if (tag === DT.NEEDED || tag === DT.SONAME || tag === DT.RPATH || tag === DT.RUNPATH) {
      const v = r.str(s.link, r.h.bits === 64 ? r.f.u64(b, at + 8) : r.f.u32(b, at + 4));
      if (v === undefined) continue;
      if (tag === DT.NEEDED) out.needed.push(v);
      else if (tag === DT.SONAME) out.soname = v;
      else out.rpath.push(...v.split(':').filter(Boolean));
    }
  }
}

/** Follow a `next`-linked chain inside `b`, at most `count` steps, each step inside the section. */
function* chain(b: Buffer, start: number, count: number, entry: number, next: (at: number) => number): Generator<number> {
  let at = start;
  for (let i = 0; i < Math.min(count, ELF_LIMITS.maxChain); i++) {
    if (at < 0 || at + entry > b.length) throw new ElfFormatError(`a version entry at ${at} lies outside its section (${b.length} bytes)`);
    yield at;
    const step = next(at);
    if (step === 0) return;
    at += step;
  }
}

function readVerneed(r: Reader, s: SectionHeader, out: ElfDynamic): void {
  const b = r.bytes(s);
  const f = r.f;
  for (const at of chain(b, 0, s.info, 16, (p) => f.u32(b, p + 12))) {
    const file = r.str(s.link, f.u32(b, at + 4));
    if (file === undefined) break;
    const need: VersionNeed = { file, versions: [] };
    for (const aux of chain(b, at + f.u32(b, at + 8), f.u16(b, at + 2), 16, (p) => f.u32(b, p + 12))) {
      const name = r.str(s.link, f.u32(b, aux + 8));
      if (name === undefined) break;
      need.versions.push({ name, index: f.u16(b, aux + 6) & 0x7fff, weak: (f.u16(b, aux + 4) & VER_FLG_WEAK) !== 0 });
    }
    out.versionNeeds.push(need);
  }
}

function readVerdef(r: Reader, s: SectionHeader, out: ElfDynamic): void {
  const b = r.bytes(s);
  const f = r.f;
  for (const at of chain(b, 0, s.info, 20, (p) => f.u32(b, p + 16))) {
    const cnt = f.u16(b, at + 6);
    if (cnt === 0) continue;
    const first = at + f.u32(b, at + 12);
    if (first < 0 || first + 8 > b.length) throw new ElfFormatError(`a version definition's name at ${first} lies outside its section`);
    const name = r.str(s.link, f.u32(b, first));
    if (name === undefined) break;
    out.versionDefs.push({ name, index: f.u16(b, at + 4) & 0x7fff, base: (f.u16(b, at + 2) & VER_FLG_BASE) !== 0 });
  }
}

function readDynsym(r: Reader, s: SectionHeader, versym: SectionHeader | undefined, out: ElfDynamic): void {
  const size = r.h.bits === 64 ? 24 : 16;
  const b = r.bytes(s);
  const vs = versym ? r.bytes(versym) : undefined;
  const names = new Map<number, string>();
  for (const n of out.versionNeeds) for (const v of n.versions) names.set(v.index, v.name);
  for (const d of out.versionDefs) if (!d.base) names.set(d.index, d.name);
  const f = r.f;
  for (let i = 1; (i + 1) * size <= b.length; i++) {
    const at = i * size;
    const [info, shndx] = r.h.bits === 64 ? [b[at + 4], f.u16(b, at + 6)] : [b[at + 12], f.u16(b, at + 14)];
    if (shndx !== 0) continue;
    const bind = info >> 4;
    if (bind !== 1 && bind !== 2) continue;
    const name = r.str(s.link, f.u32(b, at));
    if (!name) continue;
    const vi = vs && (i + 1) * 2 <= vs.length ? f.u16(vs, i * 2) & 0x7fff : 0;
    const version = vi >= 2 ? names.get(vi) : undefined;
    out.undefinedSymbols.push({ name, ...(version ? { version } : {}), weak: bind === 2 });
  }
}

function readBuildId(r: Reader, s: SectionHeader): string | undefined {
  const b = r.bytes(s);
  const align = s.addralign === 8 ? 8 : 4;
  const pad = (n: number) => (n + align - 1) & ~(align - 1);
  let at = 0;
  for (let i = 0; i < ELF_LIMITS.maxChain && at + 12 <= b.length; i++) {
    const namesz = r.f.u32(b, at);
    const descsz = r.f.u32(b, at + 4);
    const type = r.f.u32(b, at + 8);
    const nameAt = at + 12;
    const descAt = nameAt + pad(namesz);
    if (namesz > b.length || descsz > b.length || descAt + descsz > b.length) return undefined;
    if (type === NT_GNU_BUILD_ID && namesz === 4 && b.toString('latin1', nameAt, nameAt + 3) === 'GNU' && descsz > 0 && descsz <= 64) {
      return b.toString('hex', descAt, descAt + descsz);
    }
    at = descAt + pad(descsz);
  }
  return undefined;
}

function readInterp(src: ByteSource, h: ElfHeader): string | undefined {
  const p = h.programs.find((x) => x.type === PT_INTERP);
  if (!p || p.filesz === 0 || p.filesz > ELF_LIMITS.maxString) return undefined;
  const b = src.read(p.offset, p.filesz);
  const end = b.indexOf(0);
  return b.toString('latin1', 0, end < 0 ? b.length : end);
}

/** Read the dynamic-linking facts from `src`; `undefined` when it is not ELF. Throws {@link ElfFormatError} when malformed. */
export function parseElfDynamic(src: ByteSource): ElfDynamic | undefined {
  const h = readElfHeaders(src);
  if (!h) return undefined;
  const r = new Reader(src, h);
  const out: ElfDynamic = {
    bits: h.bits, littleEndian: h.littleEndian, machine: h.machine, type: h.type, flags: h.flags,
    needed: [], rpath: [], hasHash: false, hasGnuHash: false, hasDebugTag: false,
    versionNeeds: [], versionDefs: [], undefinedSymbols: [], hasDebugInfo: false, hasSymtab: false,
  };
  const interp = readInterp(src, h);
  if (interp) out.interp = interp;
  for (const s of h.sections) {
    if (s.type === SHT_GNU_VERNEED) readVerneed(r, s, out);
    else if (s.type === SHT_GNU_VERDEF) readVerdef(r, s, out);
    else if (s.type === SHT_DYNAMIC) readDynamic(r, s, out);
    else if (s.type === SHT_SYMTAB) out.hasSymtab = true;
    else if (s.type === SHT_NOTE && !out.buildId) {
      const id = readBuildId(r, s);
      if (id) out.buildId = id;
    }
    if (h.shstrndx && s.type !== 8 && s.size > 0) {
      const name = r.str(h.shstrndx, s.nameOffset);
      if (name === '.debug_info' || name === '.zdebug_info') out.hasDebugInfo = true;
    }
  }
  const dynsym = h.sections.find((s) => s.type === SHT_DYNSYM);
  if (dynsym) readDynsym(r, dynsym, h.sections.find((s) => s.type === SHT_GNU_VERSYM), out);
  return out;
}

/** {@link parseElfDynamic} on a file. fs errors propagate; malformed ELF throws {@link ElfFormatError}. */
export function readElfDynamic(path: string): ElfDynamic | undefined {
  return withFileSource(path, parseElfDynamic);
}

/** What {@link readElfIdentity} reads: the identification bytes and the dynamic loader. */
export interface ElfIdentityRead {
  info: ElfInfo;
  /** PT_INTERP, when the file has one. */
  interp?: string;
  /** Why the headers after the identification bytes could not be read (then `interp` is unknown). */
  malformed?: ElfFormatError;
}

/**
 * The ELF identification of the file at `path` and its PT_INTERP, through one open: the first 20
 * bytes, then the headers only when they say ELF. `undefined` when it is not ELF; fs errors propagate.
 */
export const readElfIdentity = (path: string): ElfIdentityRead | undefined => withOpenFile(path, readElfIdentityFd);

/** {@link readElfIdentity} on an open file, with positional reads: the file offset is left where it was. */
export function readElfIdentityFd(fd: number): ElfIdentityRead | undefined {
  const info = readElfHeaderFd(fd);
  if (!info) return undefined;
  try {
    const src = fdSource(fd);
    const h = readElfHeaders(src);
    const interp = h ? readInterp(src, h) : undefined;
    return { info, ...(interp ? { interp } : {}) };
  } catch (e) {
    if (e instanceof ElfFormatError) return { info, malformed: e };
    throw e;
  }
}

/** {@link parseElfDynamic} on bytes in memory. */
export function parseElfDynamicBytes(bytes: Uint8Array): ElfDynamic | undefined {
  return parseElfDynamic(bufferSource(bytes));
}

export { ElfFormatError };
