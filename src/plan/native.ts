/** Finding the native (ELF) files of a plan: the first 20 bytes of every regular file from disk. */
import { relative, isAbsolute } from 'node:path';
import type { PlanEntry } from './types.js';
import { elfDebArch, readElfHeaderSync, type NativeFile } from './elf.js';
import { sourceError } from './walk.js';
import { ElfFormatError, readElfInterpreter } from './elf-dynamic.js';

/**
 * Read the ELF identification of every `file` entry (in plan order). An unreadable source →
 * E_SOURCE_UNREADABLE naming where the entry came from (`origins` is only read then). `projectDir` shortens names in messages.
 */
export async function scanNative(entries: readonly PlanEntry[], origins: Pick<ReadonlyMap<string, string>, 'get'>, projectDir: string): Promise<NativeFile[]> {
  const files = entries.filter((e) => e.kind === 'file');
  const found: (NativeFile | undefined)[] = new Array(files.length);
  // One synchronous loop: the reads block anyway (see readElfHeader), and a promise per file
  // only added scheduling work.
  for (let i = 0; i < files.length; i++) {
    const e = files[i];
    let info;
    try {
      info = readElfHeaderSync(e.source);
    } catch (err) {
      throw sourceError(err, origins.get(e.path) ?? e.path, e.source);
    }
    if (!info) continue;
    const rel = relative(projectDir, e.source);
    const source = rel.startsWith('..') || isAbsolute(rel) ? e.path : rel;
    const interp = interpreterOf(e.source);
    found[i] = { path: e.path, arch: elfDebArch(info), machine: info.machine, source, bits: info.bits, littleEndian: info.littleEndian, ...(interp ? { interp } : {}) };
  }
  return found.filter((f): f is NativeFile => f !== undefined);
}

/** The dynamic loader an ELF file asks for; a malformed file has none here (the distro step reports it). */
function interpreterOf(file: string): string | undefined {
  try {
    return readElfInterpreter(file);
  } catch (e) {
    if (e instanceof ElfFormatError) return undefined;
    throw e;
  }
}
