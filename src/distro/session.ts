/** State the packager steps share across the formats of one build: parsed ELF files, stripped files, the dpkg host. */
import { ElfFormatError, readElfDynamic, type ElfDynamic } from '../plan/elf-dynamic.js';
import type { DebLibraryHost } from './deb-shlibdeps.js';
import { dpkgHost } from './dpkg-host.js';
import { Stripper } from './strip.js';

/** One per build: create it before the first format, `cleanup()` after the packages are written. */
export class DistroSession {
  readonly stripper = new Stripper();
  private hosts = new Map<string, DebLibraryHost>();
  private elves = new Map<string, ElfDynamic | ElfFormatError | undefined>();

  /**
   * The dynamic-linking facts of the ELF file at `source`, parsed once per build (every format
   * packages the same file). `undefined` when not ELF; a malformed file throws its {@link ElfFormatError} each time.
   */
  elfDynamic(source: string): ElfDynamic | undefined {
    if (!this.elves.has(source)) {
      let parsed: ElfDynamic | ElfFormatError | undefined;
      try {
        parsed = readElfDynamic(source);
      } catch (e) {
        if (!(e instanceof ElfFormatError)) throw e;
        parsed = e;
      }
      this.elves.set(source, parsed);
    }
    const parsed = this.elves.get(source);
    if (parsed instanceof ElfFormatError) throw parsed;
    return parsed;
  }

  /** The build host's libraries and dpkg database, for packages of Debian architecture `arch`. */
  dpkgHost(arch: string): DebLibraryHost {
    let h = this.hosts.get(arch);
    if (!h) {
      h = dpkgHost({ arch });
      this.hosts.set(arch, h);
    }
    return h;
  }

  async cleanup(): Promise<void> {
    await this.stripper.cleanup();
  }
}
