/** Finding the native (ELF) files of a plan: the first 20 bytes of every regular file from disk. */
import { relative, isAbsolute } from 'node:path';
import type { PlanEntry } from './types.js';
import { elfDebArch, readElfHeader, type NativeFile } from './elf.js';
import { sourceError } from './walk.js';

const CONCURRENCY = 64;

/**
 * Read the ELF identification of every `file` entry (in plan order). An unreadable source →
 * E_SOURCE_UNREADABLE naming where the entry came from. `projectDir` shortens names in messages.
 */
export async function scanNative(entries: readonly PlanEntry[], origins: ReadonlyMap<string, string>, projectDir: string): Promise<NativeFile[]> {
  const files = entries.filter((e) => e.kind === 'file');
  const found: (NativeFile | undefined)[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const e = files[i];
      let info;
      try {
        info = await readElfHeader(e.source);
      } catch (err) {
        throw sourceError(err, origins.get(e.path) ?? e.path, e.source);
      }
      if (!info) continue;
      const rel = relative(projectDir, e.source);
      const source = rel.startsWith('..') || isAbsolute(rel) ? e.path : rel;
      found[i] = { path: e.path, arch: elfDebArch(info), machine: info.machine, source };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return found.filter((f): f is NativeFile => f !== undefined);
}
