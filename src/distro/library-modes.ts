/**
 * The mode each family expects of a shared library: an ELF object with a SONAME and no PT_INTERP
 * (it is loaded, never run; Node.js addons built by node-gyp are such objects, 0755 as the linker
 * writes them). A .deb ships it not executable, as dh_fixperms does (lintian reports
 * shared-library-is-executable as an error); an .rpm ships it executable, as Fedora does (rpmlint
 * reports shared-library-not-executable as an error). Hard links to it get the same mode.
 */
import type { ElfDynamic } from '../plan/elf-dynamic.js';
import type { PlanEntry } from '../plan/types.js';

const EXEC = 0o111;

/** Whether `elf` is a library in the sense above. */
function isSharedLibrary(elf: ElfDynamic): boolean {
  return elf.soname !== undefined && elf.interp === undefined;
}

/** `mode` as `format` wants it for a shared library: exec bits off (deb), on wherever the file is readable (rpm). */
function libraryMode(mode: number, format: 'deb' | 'rpm'): number {
  return format === 'deb' ? mode & ~EXEC : mode | ((mode & 0o444) >> 2);
}

/** `entries` with the shared libraries among `libraries` (paths of parsed ELF files) and their hard links given the family's mode. */
export function withLibraryModes(entries: readonly PlanEntry[], libraries: readonly { path: string; elf: ElfDynamic }[], format: 'deb' | 'rpm'): PlanEntry[] {
  const libs = new Set(libraries.filter((l) => isSharedLibrary(l.elf)).map((l) => l.path));
  if (libs.size === 0) return [...entries];
  return entries.map((e) => {
    const lib = e.kind === 'file' ? libs.has(e.path) : e.kind === 'hardlink' && libs.has(e.target);
    return lib ? { ...e, mode: libraryMode(e.mode, format) } : e;
  });
}
