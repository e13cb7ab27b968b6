/** Finding the native (ELF) files of a plan: the first 20 bytes of every regular file, as planning sniffed them or from disk. */
import { relative, isAbsolute } from 'node:path';
import type { PlanEntry } from './types.js';
import { elfDebArch, type NativeFile } from './elf.js';
import { sourceError } from './walk.js';
import { readElfIdentity } from './elf-dynamic.js';
import type { SourceScan } from './source-scan.js';

/**
 * The ELF identification of every `file` entry (in plan order): what `scan` sniffed while planning,
 * else read now. An unreadable source → E_SOURCE_UNREADABLE naming where the entry came from
 * (`origins` is only read then). `projectDir` shortens names in messages.
 */
export async function scanNative(entries: readonly PlanEntry[], origins: Pick<ReadonlyMap<string, string>, 'get'>, projectDir: string, scan?: SourceScan): Promise<NativeFile[]> {
  const files = entries.filter((e) => e.kind === 'file');
  const found: (NativeFile | undefined)[] = new Array(files.length);
  // One synchronous loop: the reads block anyway (see readElfHeader), and a promise per file
  // only added scheduling work.
  for (let i = 0; i < files.length; i++) {
    const e = files[i];
    let id = scan?.identity(e.source);
    if (id === undefined) {
      try {
        id = readElfIdentity(e.source);
      } catch (err) {
        throw sourceError(err, origins.get(e.path) ?? e.path, e.source);
      }
    }
    if (!id) continue;
    // A malformed file has no loader here; the distro step reports it.
    const { info, interp } = id;
    const rel = relative(projectDir, e.source);
    const source = rel.startsWith('..') || isAbsolute(rel) ? e.path : rel;
    found[i] = { path: e.path, arch: elfDebArch(info), machine: info.machine, source, bits: info.bits, littleEndian: info.littleEndian, ...(interp ? { interp } : {}) };
  }
  return found.filter((f): f is NativeFile => f !== undefined);
}

