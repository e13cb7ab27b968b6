/**
 * Stripping ELF files as dh_strip does, with the build host's binutils: the debug sections go to
 * a separate file (`objcopy --only-keep-debug --compress-debug-sections`), named by the GNU
 * build-id the file carries, and the packaged copy is `strip --remove-section=.comment
 * --remove-section=.note` (plus `--strip-unneeded` for shared libraries). Sources are never
 * modified: outputs go to a work directory. Files for another architecture than the host's are
 * left unstripped with a warning (the host's binutils may not know them).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeArch } from '../config/arch.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { ElfDynamic } from '../plan/elf-dynamic.js';
import { run as runCommand } from '../proc/run.js';
import { which } from '../which.js';

/** Run a binutils command (a child that dies with mkpkg); rejects with its stderr when it fails. */
async function run(cmd: string, args: readonly string[]): Promise<void> {
  const r = await runCommand(cmd, args);
  if (r.code !== 0) throw Object.assign(new Error(`${cmd} exited ${r.code}`), { stderr: r.stderr });
}
const ET_EXEC = 2;
const ET_DYN = 3;

/** One ELF file to strip. */
export interface StripInput {
  /** Packaged path, for messages. */
  path: string;
  source: string;
  elf: ElfDynamic;
  /** Debian architecture of the file. */
  arch: string;
}

/** A stripped copy, and the debug file split from it when one was asked for and possible. */
export interface Stripped {
  source: string;
  size: number;
  debug?: { file: string; size: number; buildId: string };
}

/** The Debian architecture of the build host. */
export function hostDebArch(): string {
  return normalizeArch(process.arch).deb;
}

function tool(name: string): string {
  const found = which(name);
  if (!found) {
    throw new MkpkgError('E_STRIP', `strip: true needs ${name} (binutils) on the build host, and it is not on PATH`, {
      hint: 'install binutils (apt-get install binutils / dnf install binutils), or set strip: false',
    });
  }
  return found;
}

/** A shared library (ET_DYN without a program interpreter) is stripped with --strip-unneeded; executables (also PIE) are not. */
function isSharedLibrary(elf: ElfDynamic): boolean {
  return elf.type === ET_DYN && elf.interp === undefined;
}

/** Strips files once per build and removes its work directory at the end. */
export class Stripper {
  private dir: Promise<string> | undefined;
  private done = new Map<string, Promise<Stripped | undefined>>();
  private counter = 0;
  readonly warnings: Warning[] = [];

  /**
   * The stripped copy of `f` (with its debug file when `debug`), or undefined when it is left as
   * it is (foreign architecture, not an executable or shared object). Cached by source.
   */
  strip(f: StripInput, debug: boolean): Promise<Stripped | undefined> {
    const key = `${f.source}\0${debug}`;
    let p = this.done.get(key);
    if (!p) {
      p = this.stripOne(f, debug);
      this.done.set(key, p);
    }
    return p;
  }

  private async stripOne(f: StripInput, debug: boolean): Promise<Stripped | undefined> {
    if (f.elf.type !== ET_EXEC && f.elf.type !== ET_DYN) return undefined;
    const host = hostDebArch();
    if (f.arch !== host) {
      this.warnings.push({ code: 'W_STRIP_FOREIGN_ARCH', message: `${f.path} is built for ${f.arch}, not for the build host (${host}); it is packaged unstripped` });
      return undefined;
    }
    const strip = tool('strip');
    const objcopy = tool('objcopy');
    const dir = await (this.dir ??= mkdtemp(join(tmpdir(), 'mkpkg-strip-')));
    const n = ++this.counter;
    const out = join(dir, `${n}.stripped`);
    let debugFile: Stripped['debug'];
    try {
      if (debug && f.elf.buildId && f.elf.hasDebugInfo) {
        const file = join(dir, `${n}.debug`);
        await run(objcopy, ['--only-keep-debug', '--compress-debug-sections', f.source, file]);
        debugFile = { file, size: (await stat(file)).size, buildId: f.elf.buildId };
      } else if (debug && f.elf.hasDebugInfo) {
        this.warnings.push({ code: 'W_DEBUG_NO_BUILD_ID', message: `${f.path} has no GNU build-id note, so its debug symbols cannot go into the debug package (link with -Wl,--build-id)` });
      }
      const args = ['--remove-section=.comment', '--remove-section=.note', ...(isSharedLibrary(f.elf) ? ['--strip-unneeded'] : []), '-o', out, f.source];
      await run(strip, args);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new MkpkgError('E_STRIP', `stripping ${f.path} (${f.source}) failed: ${(err.stderr || err.message).trim().split('\n')[0]}`, {
        hint: 'check that the file is a valid ELF object for the build host, or set strip: false',
        details: { path: f.path, source: f.source },
      });
    }
    return { source: out, size: (await stat(out)).size, ...(debugFile ? { debug: debugFile } : {}) };
  }

  /** Remove the work directory (the packages must be written by then). */
  async cleanup(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    this.done.clear();
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}
