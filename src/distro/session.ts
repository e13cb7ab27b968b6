/** State the packager steps share across the formats of one build: stripped files, the dpkg host. */
import type { DebLibraryHost } from './deb-shlibdeps.js';
import { dpkgHost } from './dpkg-host.js';
import { Stripper } from './strip.js';

/** One per build: create it before the first format, `cleanup()` after the packages are written. */
export class DistroSession {
  readonly stripper = new Stripper();
  private hosts = new Map<string, DebLibraryHost>();

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
