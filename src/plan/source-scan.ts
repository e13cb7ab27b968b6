/**
 * One pass over the source trees of a build: every regular file is opened once, while it is
 * planned. Its ELF identification is read from that open file (positional reads: the offset stays
 * at 0), and the descriptor is kept, up to a limit, for the archive writer, which then reads the
 * content through it instead of opening the path again. Directory walks are shared by the formats
 * of one build. The planner's decisions (architecture, native files) are thus known before any
 * package is written, and no file is opened twice for them.
 */
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { readElfIdentityFd, type ElfIdentityRead } from './elf-dynamic.js';
import { sourceError, walkNodes, walkTree, type SourceNode } from './walk.js';

/** Open for reading, refusing a symlink put where the walk saw a regular file (the package never follows links). */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

/** Smallest file that can hold the ELF identification bytes (see parseElfHeader). */
const ELF_HEAD = 20;
/** Descriptors kept at most, whatever the limit allows. */
const KEEP_MAX = 65_536;

/** Descriptors kept by every scan of this process (concurrent builds share one budget). */
let keptInProcess = 0;
let processLimit: number | undefined;

/** Half the soft limit of open files (the rest stays for everything else), 0 when it cannot be read. */
function keepLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.slice('Max open files'.length).trim().split(/\s+/)[0]);
    return Number.isFinite(soft) ? Math.min(KEEP_MAX, Math.floor(soft / 2)) : KEEP_MAX;
  } catch {
    return 0;
  }
}

/** Options of {@link SourceScan}. */
export interface SourceScanOptions {
  /** Keep each walked tree for later formats of the same build (default false: one format). */
  shareWalks?: boolean;
  /**
   * Open files this scan keeps for the archive writer at most (default: no limit of its own); every
   * scan of the process together keeps at most half the soft limit of open files.
   */
  keepOpen?: number;
}

/** A build's one pass over its source files (see the module comment); {@link close} it when the build ends. */
export class SourceScan {
  /** Every sniffed file: its ELF identification, or null when it is not ELF. */
  private readonly sniffed = new Map<string, ElfIdentityRead | null>();
  private readonly kept = new Map<string, number>();
  private readonly walks?: Map<string, SourceNode[]>;
  private readonly keepOpen: number;

  constructor(options: SourceScanOptions = {}) {
    this.keepOpen = options.keepOpen ?? Infinity;
    if (options.shareWalks) this.walks = new Map();
  }

  /** {@link walkNodes}; with shared walks, the nodes are kept and each directory is walked once for the whole build. */
  async walk(root: string, where: string): Promise<Iterable<SourceNode>> {
    if (!this.walks) return walkNodes(root, where);
    const done = this.walks.get(root);
    if (done) return done;
    const nodes = await walkTree(root, where);
    this.walks.set(root, nodes);
    return nodes;
  }

  /**
   * Open the regular file `abs` (of `size` bytes when planned) once: read its ELF identification and
   * keep it open for {@link open} while under the limit. An fs failure is E_SOURCE_UNREADABLE naming `origin()`.
   */
  sniff(abs: string, size: number, origin: () => string): void {
    if (this.sniffed.has(abs)) return;
    let fd: number;
    try {
      fd = openSync(abs, READ_NO_FOLLOW);
    } catch (e) {
      throw sourceError(e, origin(), abs);
    }
    let keep = false;
    try {
      this.sniffed.set(abs, (size >= ELF_HEAD ? readElfIdentityFd(fd) : undefined) ?? null);
      keep = this.kept.size < this.keepOpen && keptInProcess < (processLimit ??= keepLimit());
      if (keep) {
        this.kept.set(abs, fd);
        keptInProcess++;
      }
    } catch (e) {
      throw sourceError(e, origin(), abs);
    } finally {
      if (!keep) closeSync(fd);
    }
  }

  /** The ELF identification sniffed from `abs`: `null` when it is not ELF, `undefined` when the file was never sniffed. */
  identity(abs: string): ElfIdentityRead | null | undefined {
    return this.sniffed.get(abs);
  }

  /** A descriptor of `abs` for reading from its start: the one kept while planning (handed over once), else a new one. The caller closes it. */
  open(abs: string): number {
    const fd = this.kept.get(abs);
    if (fd === undefined) return openSync(abs, READ_NO_FOLLOW);
    this.kept.delete(abs);
    keptInProcess--;
    return fd;
  }

  /** Close every descriptor not handed over and forget the walks (the build is over, or planning is). */
  close(): void {
    for (const fd of this.kept.values()) {
      try { closeSync(fd); } catch { /* already closed */ }
    }
    keptInProcess -= this.kept.size;
    this.kept.clear();
    this.walks?.clear();
  }

  /** Forget what only planning needs (shared walks, sniffed identities) once every format is planned; the kept files stay. */
  endPlanning(): void {
    this.walks?.clear();
    this.sniffed.clear();
  }
}
