/**
 * Pure mapping from a plan to the RPM file list and its header arrays (BASENAMES/DIRNAMES/…).
 * Directories the distribution owns are left out; digests are filled in after the payload pass.
 */
import { MkpkgError } from '../../errors.js';
import { dataBytes, entrySize, indexByPath, sortedByPath, type Plan, type PlanEntry } from '../../plan/types.js';
import type { CpioContent, CpioMember } from '../../archive/cpio.js';
import { DISTRO_OWNED_DIRS } from './distro-dirs.js';
import { int16, int32, int64, strArray, type Column, type HeaderEntry } from './header.js';
import { DIGEST_SHA256, FILEFLAG, TAG, VERIFY } from './tags.js';

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** Files at or above this size need LONGFILESIZES and the stripped cpio form. */
const LARGE_FILE = 2 ** 32;
/** Ghosts have no content: do not verify digest, size, link target or mtime. */
const GHOST_VERIFY = ~(VERIFY.digest | VERIFY.size | VERIFY.link | VERIFY.mtime);

/**
 * One file of the package, in header order. Only the plan entry, the entry its attributes and
 * content come from (a hard link's target; else the entry itself), its index and its inode are
 * stored: the rest is read from them when asked. A record of every field was ~170 bytes of heap per
 * file, held through the whole payload pass beside the plan.
 */
export class RpmFile {
  constructor(
    readonly entry: PlanEntry,
    /** Index in the header's file arrays. */
    readonly index: number,
    /** Unique 1..N; members of a hardlink set share one. */
    readonly inode: number,
    private readonly src: PlanEntry = entry,
  ) {}

  get path(): string {
    return this.entry.path;
  }

  get kind(): PlanEntry['kind'] {
    return this.entry.kind;
  }

  /** Mode with the file-type bits. */
  get mode(): number {
    const type = this.entry.kind === 'dir' ? S_IFDIR : this.entry.kind === 'symlink' ? S_IFLNK : S_IFREG;
    return type | (this.src.mode & 0o7777);
  }

  /** Content size (regular files), target length (symlinks), 4096 (directories). */
  get size(): number {
    const e = this.entry;
    return e.kind === 'dir' ? 4096 : e.kind === 'symlink' ? Buffer.byteLength(e.target) : entrySize(this.src);
  }

  get mtime(): number {
    return Math.max(0, Math.floor(this.src.mtime));
  }

  get user(): string {
    return this.src.owner;
  }

  get group(): string {
    return this.src.group;
  }

  /** RPMFILE_* flags. */
  get flags(): number {
    return rpmFlags(this.entry);
  }

  get ghost(): boolean {
    return Boolean(this.entry.flags.ghost);
  }

  get verify(): number {
    return this.ghost ? GHOST_VERIFY : -1;
  }

  /** Symlink target, or ''. */
  get linkTo(): string {
    return this.entry.kind === 'symlink' ? this.entry.target : '';
  }

  /** Payload content of a regular file (absent for ghosts, directories, symlinks). */
  get content(): CpioContent | undefined {
    const src = this.src;
    if (this.ghost) return undefined;
    if (src.kind === 'file') return { file: src.source };
    if (src.kind === 'data') return { data: dataBytes(src) };
    return undefined;
  }
}

/** True when `path` is a directory the distribution owns (see {@link DISTRO_OWNED_DIRS}). */
export function isDistroOwnedDir(path: string): boolean {
  return DISTRO_OWNED_DIRS.has(path);
}

/** rpmbuild's `%__docdir_path`: what lies below these directories is documentation. */
const DOC_DIRS = ['/usr/share/doc/', '/usr/share/man/', '/usr/share/info/'];

function rpmFlags(e: PlanEntry): number {
  const f = e.flags;
  let n = 0;
  if (f.config || f.noreplace || f.missingok) n |= FILEFLAG.config;
  if (f.doc || (e.kind !== 'dir' && DOC_DIRS.some((d) => e.path.startsWith(d)))) n |= FILEFLAG.doc;
  if (f.missingok) n |= FILEFLAG.missingok;
  if (f.noreplace) n |= FILEFLAG.noreplace;
  if (f.ghost) n |= FILEFLAG.ghost;
  if (f.license) n |= FILEFLAG.license;
  return n;
}

/**
 * Map a plan to the RPM file list (sorted by path in byte order). Distro-owned directories are
 * dropped unless `ownDistroDirs` is set (for a base-system package that really owns them).
 */
export function planToRpmFiles(plan: Plan, ownDistroDirs = false): RpmFile[] {
  const sorted = sortedByPath(plan.entries);
  const entries = ownDistroDirs ? sorted : sorted.filter((e) => !(e.kind === 'dir' && isDistroOwnedDir(e.path)));
  // Inodes by index, a hard link's target found by binary search: maps of every path were ~4 MB of garbage at 40,000 files.
  const inodes = new Int32Array(entries.length);
  let next = 1;
  entries.forEach((e, i) => { if (e.kind !== 'hardlink') inodes[i] = next++; });

  return entries.map((e, index): RpmFile => {
    if (!e.path.startsWith('/') || e.path === '/') {
      throw new MkpkgError('E_PLAN_INVALID', `plan entry path ${JSON.stringify(e.path)} is not an absolute file path`, { hint: 'plan paths start with / and name a file below the root' });
    }
    if (e.kind !== 'hardlink') return new RpmFile(e, index, inodes[index]!);
    const at = indexByPath(entries, e.target);
    const t = at < 0 ? undefined : entries[at];
    if (!t || (t.kind !== 'file' && t.kind !== 'data') || t.flags.ghost) {
      throw new MkpkgError('E_PLAN_INVALID', `hardlink ${e.path} points to ${e.target}, which is not a regular file of the package`, {
        hint: 'a hardlink target must be a non-ghost file entry of the same package', details: { path: e.path, target: e.target },
      });
    }
    return new RpmFile(e, index, inodes[at]!, t);
  });
}

/** True when any file needs 64-bit sizes. */
export function needsLargeFiles(files: readonly RpmFile[]): boolean {
  return files.some((f) => f.size >= LARGE_FILE);
}

/** Installed size: regular non-ghost files, each hardlink set once. */
export function installedSize(files: readonly RpmFile[]): number {
  const seen = new Uint8Array(files.length + 1); // inodes are 1..files.length
  let total = 0;
  for (const f of files) {
    if (f.ghost || (f.mode & 0o170000) !== S_IFREG || seen[f.inode] === 1) continue;
    seen[f.inode] = 1;
    total += f.size;
  }
  return total;
}

/**
 * Payload members: every non-ghost file, in header order, each made as it is reached (an array of
 * them was 3.7 MB of heap at 40,000 files, held while the payload was written). Iterable again.
 */
export function payloadMembers(files: readonly RpmFile[]): Iterable<CpioMember> {
  return {
    *[Symbol.iterator]() {
      for (const f of files) {
        if (f.ghost) continue;
        yield {
          path: f.path, mode: f.mode, ino: f.inode, mtime: f.mtime, index: f.index,
          size: f.kind === 'dir' ? 0 : f.size,
          content: f.kind === 'symlink' ? { data: Buffer.from(f.linkTo) } : f.content,
        };
      }
    },
  };
}

/**
 * The file-array header entries. `digestOf(f)` is the sha256 hex of file f ('' when not a regular
 * file); `largeFiles` ({@link needsLargeFiles}) gives LONGFILESIZES instead of FILESIZES. Each column is made from the file list as the encoder reads it: as arrays, the columns of
 * 40,000 files (digests and names as strings) were ~8 MB of heap on top of the header itself.
 */
export function fileTags(files: readonly RpmFile[], digestOf: (f: RpmFile) => string, largeFiles: boolean): HeaderEntry[] {
  if (files.length === 0) return [];
  const dirnames: string[] = [];
  const dirIndex = new Map<string, number>();
  const dirindexes = new Int32Array(files.length);
  files.forEach((f, i) => {
    const dir = f.path.slice(0, f.path.lastIndexOf('/') + 1);
    let at = dirIndex.get(dir);
    if (at === undefined) { at = dirnames.length; dirIndex.set(dir, at); dirnames.push(dir); }
    dirindexes[i] = at;
  });
  const col = <T>(fn: (f: RpmFile) => T): Column<T> => ({
    length: files.length,
    *[Symbol.iterator]() {
      for (const f of files) yield fn(f);
    },
  });
  return [
    largeFiles ? int64(TAG.LONGFILESIZES, col((f) => f.size)) : int32(TAG.FILESIZES, col((f) => f.size)),
    int16(TAG.FILEMODES, col((f) => f.mode)),
    int16(TAG.FILERDEVS, col(() => 0)),
    int32(TAG.FILEMTIMES, col((f) => f.mtime)),
    strArray(TAG.FILEDIGESTS, col(digestOf)),
    strArray(TAG.FILELINKTOS, col((f) => f.linkTo)),
    int32(TAG.FILEFLAGS, col((f) => f.flags)),
    strArray(TAG.FILEUSERNAME, col((f) => f.user)),
    strArray(TAG.FILEGROUPNAME, col((f) => f.group)),
    int32(TAG.FILEVERIFYFLAGS, col((f) => f.verify)),
    int32(TAG.FILEDEVICES, col(() => 1)),
    int32(TAG.FILEINODES, col((f) => f.inode)),
    strArray(TAG.FILELANGS, col(() => '')),
    int32(TAG.DIRINDEXES, dirindexes),
    strArray(TAG.BASENAMES, col((f) => f.path.slice(f.path.lastIndexOf('/') + 1))),
    strArray(TAG.DIRNAMES, dirnames),
    int32(TAG.FILEDIGESTALGO, [DIGEST_SHA256]),
  ];
}
