/**
 * rpm's automatic ELF dependencies, as rpmbuild's elfdeps writes them: `libc.so.6()(64bit)` for
 * each DT_NEEDED, `libc.so.6(GLIBC_2.34)(64bit)` for each needed version, `rtld(GNU_HASH)` for
 * files with only a GNU hash table, and for shared libraries `libfoo.so.1()(64bit)` and the
 * versions they define as provides. Pure: no host database is needed.
 */
import type { ElfDynamic } from '../plan/elf-dynamic.js';

const ET_EXEC = 2;
const ET_DYN = 3;
const EM_ALPHA = 41;
const EM_FAKE_ALPHA = 0x9026;

/** The requires and provides elfdeps derives from one file. */
export interface ElfDeps {
  requires: string[];
  provides: string[];
}

/** elfdeps' `(64bit)` marker: 64-bit files except Alpha. */
function marker(elf: ElfDynamic): string {
  return elf.bits === 64 && elf.machine !== EM_ALPHA && elf.machine !== EM_FAKE_ALPHA ? '(64bit)' : '';
}

/** elfdeps' soname filter: only names that contain `.so` and start like a library or the dynamic linker. */
function skipSoname(soname: string): boolean {
  if (soname.trim() === '') return true;
  if (!soname.includes('.so')) return true;
  return !['ld.', 'ld-', 'ld64.', 'ld64-', 'lib'].some((p) => soname.startsWith(p));
}

function soDep(soname: string, version: string, mark: string): string | undefined {
  if (skipSoname(soname)) return undefined;
  return version === '' && mark === '' ? soname : `${soname}(${version})${mark}`;
}

/**
 * The dependencies of one ELF file. `executable`: any execute bit in the packaged mode
 * (requires come from executables, and from non-executable files without a program interpreter).
 * `path` is the packaged path, whose file name stands in for a missing DT_SONAME of a library.
 */
export function elfDeps(elf: ElfDynamic, executable: boolean, path: string): ElfDeps {
  const requires: string[] = [];
  const provides: string[] = [];
  if (elf.type !== ET_EXEC && elf.type !== ET_DYN) return { requires, provides };
  const mark = marker(elf);
  const genRequires = !(elf.interp !== undefined && !executable);
  const add = (list: string[], dep: string | undefined) => {
    if (dep !== undefined) list.push(dep);
  };
  let base = '';
  for (const d of elf.versionDefs) {
    if (d.base) base = d.name;
    else add(provides, soDep(base, d.name, mark));
  }
  if (genRequires) {
    for (const need of elf.versionNeeds) for (const v of need.versions) add(requires, soDep(need.file, v.name, mark));
    for (const n of elf.needed) add(requires, soDep(n, '', mark));
    if (elf.hasGnuHash && !elf.hasHash) requires.push('rtld(GNU_HASH)');
  }
  if (elf.type === ET_DYN && !elf.hasDebugTag) {
    const soname = elf.soname || path.slice(path.lastIndexOf('/') + 1);
    if (soname) add(provides, soDep(soname, '', mark));
  }
  return { requires, provides };
}
