/**
 * Well-formed ELF shared objects and executables of any class and byte order, written from a
 * description, so that the ELF reader can be checked against readelf and rpm's elfdeps on
 * 32/64-bit little/big-endian files without cross compilers. One PT_LOAD maps the whole file at
 * address 0, so addresses in the dynamic section equal file offsets.
 */

/** What the synthetic file contains. */
export interface SynthSpec {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine, e.g. 62 x86-64, 3 i386, 22 s390, 20 ppc, 8 mips, 183 aarch64. */
  machine: number;
  /** 2 executable, 3 shared object. */
  type: 2 | 3;
  interp?: string;
  needed?: string[];
  soname?: string;
  runpath?: string;
  hash?: boolean;
  gnuHash?: boolean;
  debugTag?: boolean;
  verdefs?: { name: string; index: number; base?: boolean }[];
  verneeds?: { file: string; versions: { name: string; index: number; weak?: boolean }[] }[];
  /** Dynamic symbols; `version` is the .gnu.version index (0 local, 1 global, ≥2 a version). */
  symbols?: { name: string; defined?: boolean; weak?: boolean; version: number }[];
  buildId?: string;
}

function elfHash(name: string): number {
  let h = 0;
  for (const c of Buffer.from(name)) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g) h ^= g >>> 24;
    h &= ~g >>> 0;
  }
  return h >>> 0;
}

class Out {
  parts: Buffer[] = [];
  size = 0;
  constructor(readonly le: boolean) {}
  align(n: number): void {
    const pad = (n - (this.size % n)) % n;
    if (pad) this.put(Buffer.alloc(pad));
  }
  put(b: Buffer): number {
    const at = this.size;
    this.parts.push(b);
    this.size += b.length;
    return at;
  }
  buf(n: number): Buffer {
    return Buffer.alloc(n);
  }
  w16(b: Buffer, at: number, v: number): void {
    if (this.le) b.writeUInt16LE(v, at);
    else b.writeUInt16BE(v, at);
  }
  w32(b: Buffer, at: number, v: number): void {
    if (this.le) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  }
  w64(b: Buffer, at: number, v: number | bigint): void {
    if (this.le) b.writeBigUInt64LE(BigInt(v), at);
    else b.writeBigUInt64BE(BigInt(v), at);
  }
}

class Strtab {
  bytes: number[] = [0];
  private at = new Map<string, number>([['', 0]]);
  add(s: string): number {
    const hit = this.at.get(s);
    if (hit !== undefined) return hit;
    const off = this.bytes.length;
    this.bytes.push(...Buffer.from(s), 0);
    this.at.set(s, off);
    return off;
  }
  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

interface Section { name: string; type: number; flags: number; offset: number; size: number; link: number; info: number; align: number; entsize: number }

/** Write the ELF file described by `spec`. */
export function synthElf(spec: SynthSpec): Buffer {
  const is64 = spec.bits === 64;
  const o = new Out(spec.littleEndian);
  const word = (b: Buffer, at: number, v: number) => (is64 ? o.w64(b, at, v) : o.w32(b, at, v));
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const phnum = 2 + (spec.interp ? 1 : 0);
  o.put(o.buf(ehsize + phentsize * phnum));
  const dynstr = new Strtab();
  const sections: Section[] = [{ name: '', type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  const add = (s: Omit<Section, 'offset' | 'size'>, data: Buffer) => {
    o.align(Math.max(s.align, 1));
    const offset = o.put(data);
    sections.push({ ...s, offset, size: data.length });
    return sections.length - 1;
  };
  let interpAt = 0;
  if (spec.interp) {
    const b = Buffer.from(`${spec.interp}\0`);
    const i = add({ name: '.interp', type: 1, flags: 2, link: 0, info: 0, align: 1, entsize: 0 }, b);
    interpAt = sections[i].offset;
  }
  if (spec.buildId) {
    const id = Buffer.from(spec.buildId, 'hex');
    const b = o.buf(16 + ((id.length + 3) & ~3));
    o.w32(b, 0, 4); o.w32(b, 4, id.length); o.w32(b, 8, 3);
    b.write('GNU\0', 12, 'latin1');
    id.copy(b, 16);
    add({ name: '.note.gnu.build-id', type: 7, flags: 2, link: 0, info: 0, align: 4, entsize: 0 }, b);
  }
  // Strings first, so every offset is known before the tables are written.
  const needed = (spec.needed ?? []).map((n) => dynstr.add(n));
  const soname = spec.soname !== undefined ? dynstr.add(spec.soname) : undefined;
  const runpath = spec.runpath !== undefined ? dynstr.add(spec.runpath) : undefined;
  const syms = spec.symbols ?? [];
  const symNames = syms.map((s) => dynstr.add(s.name));
  const defNames = (spec.verdefs ?? []).map((d) => dynstr.add(d.name));
  const needFiles = (spec.verneeds ?? []).map((n) => dynstr.add(n.file));
  const needNames = (spec.verneeds ?? []).map((n) => n.versions.map((v) => dynstr.add(v.name)));
  const dynstrIdx = sections.length + 1; // .dynsym comes first, .dynstr right after it
  const symsize = is64 ? 24 : 16;
  const symtab = o.buf(symsize * (syms.length + 1));
  syms.forEach((s, i) => {
    const at = (i + 1) * symsize;
    const info = ((s.weak ? 2 : 1) << 4) | 2;
    const shndx = s.defined ? 0xfff1 : 0;
    o.w32(symtab, at, symNames[i]);
    if (is64) { symtab[at + 4] = info; o.w16(symtab, at + 6, shndx); } else { symtab[at + 12] = info; o.w16(symtab, at + 14, shndx); }
  });
  const dynsymIdx = add({ name: '.dynsym', type: 11, flags: 2, link: dynstrIdx, info: 1, align: is64 ? 8 : 4, entsize: symsize }, symtab);
  add({ name: '.dynstr', type: 3, flags: 2, link: 0, info: 0, align: 1, entsize: 0 }, dynstr.buffer());
  const versym = o.buf(2 * (syms.length + 1));
  syms.forEach((s, i) => o.w16(versym, (i + 1) * 2, s.version));
  const versymIdx = syms.length && (spec.verdefs?.length || spec.verneeds?.length) ? add({ name: '.gnu.version', type: 0x6fffffff, flags: 2, link: dynsymIdx, info: 0, align: 2, entsize: 2 }, versym) : 0;
  let verdefIdx = 0;
  if (spec.verdefs?.length) {
    const defs = spec.verdefs;
    const b = o.buf(28 * defs.length);
    defs.forEach((d, i) => {
      const at = 28 * i;
      o.w16(b, at, 1); o.w16(b, at + 2, d.base ? 1 : 0); o.w16(b, at + 4, d.index); o.w16(b, at + 6, 1);
      o.w32(b, at + 8, elfHash(d.name)); o.w32(b, at + 12, 20); o.w32(b, at + 16, i + 1 < defs.length ? 28 : 0);
      o.w32(b, at + 20, defNames[i]); o.w32(b, at + 24, 0);
    });
    verdefIdx = add({ name: '.gnu.version_d', type: 0x6ffffffd, flags: 2, link: dynstrIdx, info: defs.length, align: 4, entsize: 0 }, b);
  }
  let verneedIdx = 0;
  if (spec.verneeds?.length) {
    const needs = spec.verneeds;
    const total = needs.reduce((n, x) => n + 16 + 16 * x.versions.length, 0);
    const b = o.buf(total);
    let at = 0;
    needs.forEach((n, i) => {
      const size = 16 + 16 * n.versions.length;
      o.w16(b, at, 1); o.w16(b, at + 2, n.versions.length); o.w32(b, at + 4, needFiles[i]);
      o.w32(b, at + 8, n.versions.length ? 16 : 0); o.w32(b, at + 12, i + 1 < needs.length ? size : 0);
      n.versions.forEach((v, j) => {
        const a = at + 16 + 16 * j;
        o.w32(b, a, elfHash(v.name)); o.w16(b, a + 4, v.weak ? 2 : 0); o.w16(b, a + 6, v.index);
        o.w32(b, a + 8, needNames[i][j]); o.w32(b, a + 12, j + 1 < n.versions.length ? 16 : 0);
      });
      at += size;
    });
    verneedIdx = add({ name: '.gnu.version_r', type: 0x6ffffffe, flags: 2, link: dynstrIdx, info: needs.length, align: 4, entsize: 0 }, b);
  }
  let hashIdx = 0;
  if (spec.hash) {
    const n = syms.length + 1;
    const b = o.buf(4 * (2 + 1 + n));
    o.w32(b, 0, 1); o.w32(b, 4, n);
    hashIdx = add({ name: '.hash', type: 5, flags: 2, link: dynsymIdx, info: 0, align: 4, entsize: 4 }, b);
  }
  let gnuHashIdx = 0;
  if (spec.gnuHash) {
    const wordSize = is64 ? 8 : 4;
    const b = o.buf(16 + wordSize + 4);
    o.w32(b, 0, 1); o.w32(b, 4, syms.length + 1); o.w32(b, 8, 1); o.w32(b, 12, 6);
    gnuHashIdx = add({ name: '.gnu.hash', type: 0x6ffffff6, flags: 2, link: dynsymIdx, info: 0, align: wordSize, entsize: 0 }, b);
  }
  const dyn: [number, number][] = [];
  for (const n of needed) dyn.push([1, n]);
  if (soname !== undefined) dyn.push([14, soname]);
  if (runpath !== undefined) dyn.push([29, runpath]);
  if (hashIdx) dyn.push([4, sections[hashIdx].offset]);
  if (gnuHashIdx) dyn.push([0x6ffffef5, sections[gnuHashIdx].offset]);
  dyn.push([5, sections[dynstrIdx].offset], [6, sections[dynsymIdx].offset], [10, sections[dynstrIdx].size], [11, symsize]);
  if (versymIdx) dyn.push([0x6ffffff0, sections[versymIdx].offset]);
  if (verdefIdx) dyn.push([0x6ffffffc, sections[verdefIdx].offset], [0x6ffffffd, spec.verdefs!.length]);
  if (verneedIdx) dyn.push([0x6ffffffe, sections[verneedIdx].offset], [0x6fffffff, spec.verneeds!.length]);
  if (spec.debugTag) dyn.push([21, 0]);
  dyn.push([0, 0]);
  const dsize = is64 ? 16 : 8;
  const db = o.buf(dsize * dyn.length);
  dyn.forEach(([tag, val], i) => { word(db, i * dsize, tag); word(db, i * dsize + dsize / 2, val); });
  const dynamicIdx = add({ name: '.dynamic', type: 6, flags: 3, link: dynstrIdx, info: 0, align: is64 ? 8 : 4, entsize: dsize }, db);
  const shstr = new Strtab();
  const nameOffsets = sections.map((s) => shstr.add(s.name));
  const shstrNameOff = shstr.add('.shstrtab');
  const shstrIdx = add({ name: '.shstrtab', type: 3, flags: 0, link: 0, info: 0, align: 1, entsize: 0 }, shstr.buffer());
  nameOffsets.push(shstrNameOff);
  o.align(8);
  const shentsize = is64 ? 64 : 40;
  const shoff = o.size;
  const sh = o.buf(shentsize * sections.length);
  sections.forEach((s, i) => {
    const at = i * shentsize;
    o.w32(sh, at, nameOffsets[i]); o.w32(sh, at + 4, s.type);
    if (is64) {
      o.w64(sh, at + 8, s.flags); o.w64(sh, at + 16, s.flags & 2 ? s.offset : 0); o.w64(sh, at + 24, s.offset); o.w64(sh, at + 32, s.size);
      o.w32(sh, at + 40, s.link); o.w32(sh, at + 44, s.info); o.w64(sh, at + 48, s.align); o.w64(sh, at + 56, s.entsize);
    } else {
      o.w32(sh, at + 8, s.flags); o.w32(sh, at + 12, s.flags & 2 ? s.offset : 0); o.w32(sh, at + 16, s.offset); o.w32(sh, at + 20, s.size);
      o.w32(sh, at + 24, s.link); o.w32(sh, at + 28, s.info); o.w32(sh, at + 32, s.align); o.w32(sh, at + 36, s.entsize);
    }
  });
  o.put(sh);
  const file = Buffer.concat(o.parts);
  // ELF header.
  file.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, spec.littleEndian ? 1 : 2, 1, 0], 0);
  const h = (at: number, v: number, size: 2 | 4 | 8) => (size === 2 ? o.w16(file, at, v) : size === 4 ? o.w32(file, at, v) : o.w64(file, at, v));
  h(16, spec.type, 2); h(18, spec.machine, 2); h(20, 1, 4);
  if (is64) {
    h(24, 0, 8); h(32, ehsize, 8); h(40, shoff, 8); h(48, 0, 4); h(52, ehsize, 2); h(54, phentsize, 2); h(56, phnum, 2); h(58, shentsize, 2); h(60, sections.length, 2); h(62, shstrIdx, 2);
  } else {
    h(24, 0, 4); h(28, ehsize, 4); h(32, shoff, 4); h(36, 0, 4); h(40, ehsize, 2); h(42, phentsize, 2); h(44, phnum, 2); h(46, shentsize, 2); h(48, sections.length, 2); h(50, shstrIdx, 2);
  }
  // Program headers: PT_LOAD of the whole file, PT_DYNAMIC, PT_INTERP.
  const phdrs: [number, number, number, number, number][] = [[1, 0, file.length, 5, 0x1000], [2, sections[dynamicIdx].offset, sections[dynamicIdx].size, 6, is64 ? 8 : 4]];
  if (spec.interp) phdrs.push([3, interpAt, spec.interp.length + 1, 4, 1]);
  phdrs.forEach(([type, off, size, flags, align], i) => {
    const at = ehsize + i * phentsize;
    if (is64) {
      o.w32(file, at, type); o.w32(file, at + 4, flags); o.w64(file, at + 8, off); o.w64(file, at + 16, off); o.w64(file, at + 24, off);
      o.w64(file, at + 32, size); o.w64(file, at + 40, size); o.w64(file, at + 48, align);
    } else {
      o.w32(file, at, type); o.w32(file, at + 4, off); o.w32(file, at + 8, off); o.w32(file, at + 12, off);
      o.w32(file, at + 16, size); o.w32(file, at + 20, size); o.w32(file, at + 24, flags); o.w32(file, at + 28, align);
    }
  });
  return file;
}

const SYNTH: Omit<SynthSpec, 'bits' | 'littleEndian' | 'machine' | 'type'> = {
  needed: ['libc.so.6', 'libm.so.6', 'ld.so.1'],
  soname: 'libdemo.so.1',
  runpath: '/opt/demo/lib:/opt/other/lib',
  gnuHash: true,
  verdefs: [{ name: 'libdemo.so.1', index: 1, base: true }, { name: 'DEMO_1.0', index: 2 }, { name: 'DEMO_1.1', index: 3 }],
  verneeds: [
    { file: 'libc.so.6', versions: [{ name: 'GLIBC_2.0', index: 4 }, { name: 'GLIBC_2.34', index: 5, weak: true }] },
    { file: 'libm.so.6', versions: [{ name: 'GLIBC_2.29', index: 6 }] },
  ],
  symbols: [
    { name: 'puts', version: 4 }, { name: '__gmon_start__', weak: true, version: 0 }, { name: 'demo', defined: true, version: 2 },
    { name: 'exit', version: 5 }, { name: 'exp', version: 6 }, { name: 'plain', version: 1 }, { name: 'newer', defined: true, version: 3 },
  ],
  buildId: '0123456789abcdef0123456789abcdef01234567',
};

const CLASSES: Pick<SynthSpec, 'bits' | 'littleEndian' | 'machine'>[] = [
  { bits: 32, littleEndian: true, machine: 3 }, { bits: 32, littleEndian: false, machine: 20 },
  { bits: 64, littleEndian: true, machine: 62 }, { bits: 64, littleEndian: false, machine: 22 },
];

/** 32/64-bit × little/big-endian, each a library and an executable (with an interpreter). */
export const VARIANTS: SynthSpec[] = CLASSES.flatMap((v): SynthSpec[] => [
  { ...SYNTH, ...v, type: 3 as const },
  { ...SYNTH, ...v, type: 2 as const, soname: undefined, verdefs: undefined, interp: '/lib/ld.so.1', hash: true, debugTag: true },
]);

