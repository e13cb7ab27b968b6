/**
 * The ELF dynamic-section reader against readelf (binutils), the real tool: gcc-built x86-64
 * executables and libraries, and synthetic files of every class and byte order; then hostile bytes.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElfDynamicBytes, readElfDynamic, type ElfDynamic } from '../../src/plan/elf-dynamic.js';
import { ElfFormatError, ELF_LIMITS } from '../../src/plan/elf-source.js';
import { synthElf, VARIANTS } from '../support/elf-synth.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';

/** What readelf says about a file, in the reader's terms. */
interface ReadelfFacts {
  needed: string[];
  soname?: string;
  rpath: string[];
  hasHash: boolean;
  hasGnuHash: boolean;
  versionNeeds: { file: string; versions: { name: string; index: number; weak: boolean }[] }[];
  versionDefs: string[];
  undefinedSymbols: string[];
  buildId?: string;
}

function readelf(file: string): ReadelfFacts {
  const out = execFileSync('readelf', ['-d', '-V', '-n', '--dyn-syms', '-W', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const facts: ReadelfFacts = { needed: [], rpath: [], hasHash: false, hasGnuHash: false, versionNeeds: [], versionDefs: [], undefinedSymbols: [] };
  let section = '';
  for (const line of out.split('\n')) {
    if (/^Version needs section/.test(line)) section = 'need';
    else if (/^Version definition section/.test(line)) section = 'def';
    else if (/^Version symbols section|^Symbol table|^Dynamic section|^Displaying notes/.test(line)) section = line.startsWith('Symbol table') ? 'sym' : '';
    let m = /\(NEEDED\)\s+Shared library: \[(.*)\]/.exec(line);
    if (m) facts.needed.push(m[1]);
    if ((m = /\(SONAME\)\s+Library soname: \[(.*)\]/.exec(line))) facts.soname = m[1];
    if ((m = /\((?:RPATH|RUNPATH)\)\s+Library r(?:un)?path: \[(.*)\]/.exec(line))) facts.rpath.push(...m[1].split(':').filter(Boolean));
    if (/\(HASH\)/.test(line)) facts.hasHash = true;
    if (/\(GNU_HASH\)/.test(line)) facts.hasGnuHash = true;
    if ((m = /Build ID: ([0-9a-f]+)/.exec(line))) facts.buildId = m[1];
    if (section === 'need' && (m = /File: (\S+)\s+Cnt:/.exec(line))) facts.versionNeeds.push({ file: m[1], versions: [] });
    if (section === 'need' && (m = /Name: (\S+)\s+Flags: (.*?)\s+Version: (\d+)/.exec(line))) {
      facts.versionNeeds.at(-1)!.versions.push({ name: m[1], index: Number(m[3]), weak: /WEAK/.test(m[2]) });
    }
    if (section === 'def' && (m = /Flags: (\S+).*Name: (\S+)/.exec(line)) && m[1] !== 'BASE') facts.versionDefs.push(m[2]);
    if (section === 'sym' && (m = /^\s*\d+: [0-9a-f]+\s+\d+ \S+\s+(GLOBAL|WEAK)\s+\S+\s+UND (\S+)/.exec(line))) {
      facts.undefinedSymbols.push(`${m[2].replace(/@+/, '@')}${m[2].includes('@') ? '' : '@Base'} ${m[1]}`);
    }
  }
  return facts;
}

function ours(d: ElfDynamic): ReadelfFacts {
  return {
    needed: d.needed,
    ...(d.soname !== undefined ? { soname: d.soname } : {}),
    rpath: d.rpath,
    hasHash: d.hasHash,
    hasGnuHash: d.hasGnuHash,
    versionNeeds: d.versionNeeds,
    versionDefs: d.versionDefs.filter((v) => !v.base).map((v) => v.name),
    undefinedSymbols: d.undefinedSymbols.map((s) => `${s.name}@${s.version ?? 'Base'} ${s.weak ? 'WEAK' : 'GLOBAL'}`),
    ...(d.buildId ? { buildId: d.buildId } : {}),
  };
}

/** Deterministic random numbers in [0, 1) from a seed (sha256 of a counter), so that a failing mutation can be reproduced. */
function seeded(seed: number): () => number {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 2 ** 32;
}

function survives(bytes: Buffer, what: string): void {
  try {
    parseElfDynamicBytes(bytes);
  } catch (e) {
    if (!(e instanceof ElfFormatError)) throw new Error(`${what}: ${(e as Error).name}: ${(e as Error).message}`);
  }
}

describe('plan/elf-dynamic: the ELF dynamic-section reader', function () {
  let dir: string;
  before(function () {
    this.timeout(120_000);
    requireTools(this, 'readelf', 'gcc');
    dir = scratch('elf-dynamic');
    mkdirSync(dir, { recursive: true });
  });

  it('reads gcc-built executables and a versioned shared library as readelf does', function () {
    this.timeout(120_000);
    writeFileSync(join(dir, 'lib.c'), 'int demo_old(void){return 1;}\nint demo_new(void){return 2;}\n');
    writeFileSync(join(dir, 'lib.map'), 'DEMO_1.0 { global: demo_old; local: *; };\nDEMO_1.1 { global: demo_new; } DEMO_1.0;\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-g', '-o', join(dir, 'libdemo.so.1'), join(dir, 'lib.c'), '-Wl,-soname,libdemo.so.1', `-Wl,--version-script=${join(dir, 'lib.map')}`]);
    writeFileSync(join(dir, 'main.c'), '#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\nint demo_new(void);\nint main(int c, char **v){ printf("%f %d\\n", exp((double)c), demo_new()); if (c > 3) abort(); return 0; }\n');
    execFileSync('gcc', ['-O2', '-g', '-o', join(dir, 'main'), join(dir, 'main.c'), `-L${dir}`, '-l:libdemo.so.1', '-lm', `-Wl,-rpath,/opt/demo/lib`]);
    for (const f of [join(dir, 'libdemo.so.1'), join(dir, 'main'), '/bin/ls']) {
      const d = readElfDynamic(f)!;
      assert.deepEqual(ours(d), readelf(f), f);
    }
    const main = readElfDynamic(join(dir, 'main'))!;
    assert.ok(main.needed.includes('libdemo.so.1') && main.needed.includes('libm.so.6') && main.needed.includes('libc.so.6'), JSON.stringify(main.needed));
    assert.ok(main.undefinedSymbols.some((s) => s.name === 'demo_new' && s.version === 'DEMO_1.1'), 'demo_new@DEMO_1.1 is an undefined symbol of main');
    assert.equal(main.hasDebugInfo, true, 'built with -g');
    assert.equal(main.interp, execFileSync('readelf', ['-l', '-W', join(dir, 'main')], { encoding: 'utf8' }).match(/interpreter: (\S+)\]/)![1]);
  });

  it('reads synthetic 32/64-bit little- and big-endian files exactly as readelf does', () => {
    for (const spec of VARIANTS) {
      const bytes = synthElf(spec);
      const file = join(dir, `synth-${spec.bits}-${spec.littleEndian ? 'le' : 'be'}-${spec.type}`);
      writeFileSync(file, bytes);
      const d = parseElfDynamicBytes(bytes)!;
      assert.deepEqual(ours(d), readelf(file), file);
      assert.equal(d.bits, spec.bits);
      assert.equal(d.littleEndian, spec.littleEndian);
      assert.equal(d.machine, spec.machine);
      assert.equal(d.interp, spec.interp);
      assert.equal(d.hasDebugTag, spec.debugTag === true);
    }
  });

  it('non-ELF input is not an error: undefined', () => {
    assert.equal(parseElfDynamicBytes(Buffer.from('#!/bin/sh\necho hi\n')), undefined);
    assert.equal(parseElfDynamicBytes(Buffer.alloc(0)), undefined);
    assert.equal(parseElfDynamicBytes(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 3, 1, 1, ...new Array(60).fill(0)])), undefined);
  });

  it('hostile bytes: every truncation and 20,000 seeded mutations end in a result or an ElfFormatError, never another exception', function () {
    this.timeout(300_000);
    for (const spec of VARIANTS) {
      const good = synthElf(spec);
      for (let n = 0; n < good.length; n++) survives(good.subarray(0, n), `${spec.bits}/${spec.littleEndian} truncated to ${n}`);
      const rnd = seeded(spec.bits * 7 + (spec.littleEndian ? 1 : 0) + spec.type);
      for (let i = 0; i < 2500; i++) {
        const b = Buffer.from(good);
        const flips = 1 + Math.floor(rnd() * 8);
        for (let k = 0; k < flips; k++) {
          const at = Math.floor(rnd() * b.length);
          b[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : [0, 0xff, 0x7f, 0x80][Math.floor(rnd() * 4)];
        }
        survives(b, `${spec.bits}/${spec.littleEndian}/${spec.type} mutation ${i}`);
      }
    }
  });

  it('hostile headers: absurd sizes, counts and chains are refused before anything is allocated', () => {
    const spec = VARIANTS[2]; // 32-bit big-endian library
    const good = synthElf(spec);
    const h = parseElfDynamicBytes(good)!;
    assert.ok(h.needed.length > 0);
    const f = (b: Buffer) => ({ u16: (at: number, v: number) => b.writeUInt16BE(v, at), u32: (at: number, v: number) => b.writeUInt32BE(v >>> 0, at) });
    const shoff = good.readUInt32BE(32);
    const sectionAt = (type: number) => {
      for (let i = 0; i < good.readUInt16BE(48); i++) if (good.readUInt32BE(shoff + i * 40 + 4) === type) return shoff + i * 40;
      throw new Error(`no section of type ${type}`);
    };
    // A section claiming 4 GiB.
    let b = Buffer.from(good);
    f(b).u32(sectionAt(6) + 20, 0xffffffff);
    assert.throws(() => parseElfDynamicBytes(b), ElfFormatError);
    // 65,535 section headers in a 1 KiB file.
    b = Buffer.from(good);
    f(b).u16(48, 0xffff);
    assert.throws(() => parseElfDynamicBytes(b), ElfFormatError);
    // A version-needs chain claiming 65,535 entries that runs off the section.
    b = Buffer.from(good);
    f(b).u32(sectionAt(0x6ffffffe) + 28, 0xffff);
    const need = b.readUInt32BE(sectionAt(0x6ffffffe) + 16);
    f(b).u32(need + 12, b.readUInt32BE(sectionAt(0x6ffffffe) + 20));
    assert.throws(() => parseElfDynamicBytes(b), ElfFormatError);
    // A string table without a terminating NUL: the name is dropped, nothing is read past it.
    b = Buffer.from(good);
    const dynstr = sectionAt(3);
    const strOff = b.readUInt32BE(dynstr + 16);
    const strSize = b.readUInt32BE(dynstr + 20);
    b.fill(0x41, strOff, strOff + strSize);
    const d = parseElfDynamicBytes(b)!;
    assert.deepEqual(d.needed, []);
    assert.ok(ELF_LIMITS.maxSectionBytes <= 64 * 1024 * 1024);
  });
});
