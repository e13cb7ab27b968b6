/**
 * Streaming cpio encoder for RPM payloads: the "new ASCII" (newc, `070701`) format with names
 * `./` + absolute path, and rpm's stripped form (`07070X` + file index) used when a file is ≥ 4 GiB.
 * Headers and file contents are packed into 512 KiB blocks by a {@link BlockWriter}; memory stays flat.
 */
import type { Writable } from 'node:stream';
import { BlockWriter, type BlockWriterOptions } from './block-writer.js';
import type { BlockPool } from './block-pool.js';

/** Where a member's content comes from. */
export type CpioContent = { file: string } | { data: Uint8Array };

/** One archive member. */
export interface CpioMember {
  /** Absolute path inside the package (`/usr/bin/foo`); written as `./usr/bin/foo`. */
  path: string;
  /** Mode including the file-type bits (0o100644, 0o40755, 0o120777). */
  mode: number;
  /** Inode number; regular files sharing one (> 0) form a hardlink set. */
  ino: number;
  mtime: number;
  /** Content size in bytes: a regular file's length, a symlink target's length, 0 otherwise. */
  size: number;
  content?: CpioContent;
  uid?: number;
  gid?: number;
  /** Index of the file in the RPM header's file arrays (required for the stripped form). */
  index?: number;
}

export interface CpioOptions {
  /** Write rpm's stripped headers (`07070X` + index) instead of newc. */
  stripped?: boolean;
  signal?: AbortSignal;
  /** Sees every content chunk as it is written, with the member it belongs to. */
  onContent?: (member: CpioMember, chunk: Buffer) => void;
  /** Sees every byte of the uncompressed archive. */
  onBytes?: (chunk: Buffer) => void;
  /**
   * Reuse 512 KiB blocks from this pool. Only for an `out` that is done with a chunk when its
   * write callback runs (a pipe, zlib, a file stream) — never for one that keeps chunks.
   */
  pool?: BlockPool;
  /** Opens the members' source files (see {@link BlockWriterOptions.open}). */
  open?: BlockWriterOptions['open'];
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const MAX_NEWC = 0xffffffff;

const hex8 = (n: number): string => {
  if (!Number.isInteger(n) || n < 0 || n > MAX_NEWC) throw new RangeError(`cpio field value ${n} does not fit in 8 hex digits`);
  return n.toString(16).padStart(8, '0');
};
const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** The 110-byte newc header plus NUL-terminated name, padded to 4. */
function newcHeader(name: string, f: { ino: number; mode: number; uid: number; gid: number; nlink: number; mtime: number; size: number }): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const fields = [f.ino, f.mode, f.uid, f.gid, f.nlink, Math.max(0, f.mtime), f.size, 0, 0, 0, 0, nameBytes.length, 0];
  const head = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
  return Buffer.concat([head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length))]);
}

/** rpm's stripped header: `07070X`, the 8-hex-digit file index, padded to 16 bytes. */
function strippedHeader(index: number): Buffer {
  return Buffer.from(`07070X${hex8(index)}\0\0`, 'ascii');
}

/** The `TRAILER!!!` entry (the end marker in both forms), padded to 4. */
function trailer(): Buffer {
  return newcHeader('TRAILER!!!', { ino: 0, mode: 0, uid: 0, gid: 0, nlink: 1, mtime: 0, size: 0 });
}

type ContentTap = (chunk: Buffer, m: CpioMember) => void;

async function copyContent(o: BlockWriter, m: CpioMember, onChunk: ContentTap | undefined): Promise<void> {
  const c = m.content;
  if (!c) throw new RangeError(`cpio member ${m.path} has size ${m.size} but no content`);
  if ('data' in c) {
    if (c.data.length !== m.size) throw new RangeError(`cpio member ${m.path}: ${c.data.length} bytes of data, ${m.size} declared`);
    const b = Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength);
    onChunk?.(b, m);
    await o.put(b);
    return;
  }
  await o.readFile(c.file, m.size, `${c.file} (for ${m.path})`, onChunk, m);
}

/**
 * Write `members` in the given order, then the trailer. `members` is iterated twice (an array, or an
 * iterable that makes its members as they are written). Members of a hardlink set (regular files
 * sharing `ino`) all get a header with nlink = set size; the content goes with the last one only.
 * Symlinks carry their target as content, in both forms (rpm reads it past the stripped header).
 * Directories carry nothing. The trailer is the newc `TRAILER!!!` in both forms, as rpm writes it.
 * Does not end `out`.
 * Returns the uncompressed archive size in bytes.
 */
export async function writeCpio(out: Writable, members: Iterable<CpioMember>, opts: CpioOptions = {}): Promise<number> {
  // Index of the last member of each inode, and the size of the sets of more than one (most files are alone).
  const lastOfSet = new Map<number, number>();
  const setSize = new Map<number, number>();
  let n = 0;
  for (const m of members) {
    const i = n++;
    if ((m.mode & S_IFMT) !== S_IFREG || m.ino <= 0) continue;
    if (lastOfSet.has(m.ino)) setSize.set(m.ino, (setSize.get(m.ino) ?? 1) + 1);
    lastOfSet.set(m.ino, i);
  }
  const o = new BlockWriter(out, { owner: 'writeCpio', pool: opts.pool, signal: opts.signal, onFlush: opts.onBytes, open: opts.open });
  await o.ready();
  const onContent = opts.onContent;
  const onChunk: ContentTap | undefined = onContent && ((chunk, m) => onContent(m, chunk));
  let i = -1;
  for (const m of members) {
    i++;
    opts.signal?.throwIfAborted();
    const type = m.mode & S_IFMT;
    const isReg = type === S_IFREG;
    const hasContent = isReg ? lastOfSet.get(m.ino) === i || m.ino <= 0 : type === S_IFLNK;
    const size = hasContent ? m.size : 0;
    if (opts.stripped) {
      if (m.index === undefined) throw new RangeError(`cpio member ${m.path} needs a file index in the stripped form`);
      await o.put(strippedHeader(m.index));
    } else {
      if (size > MAX_NEWC) throw new RangeError(`cpio member ${m.path} is ${size} bytes; newc holds at most ${MAX_NEWC}; use the stripped form`);
      const nlink = isReg ? (setSize.get(m.ino) ?? 1) : type === 0o040000 ? 2 : 1;
      await o.put(newcHeader(`.${m.path}`, { ino: m.ino, mode: m.mode, uid: m.uid ?? 0, gid: m.gid ?? 0, nlink, mtime: m.mtime, size }));
    }
    if (size > 0) {
      await copyContent(o, m, onChunk);
      await o.put(Buffer.alloc(pad4(size)));
    }
  }
  if (i + 1 !== n) throw new RangeError(`cpio: the members gave ${n} entries, then ${i + 1}: pass an array or an iterable that can be iterated again`);
  await o.put(trailer());
  await o.end();
  return o.bytes;
}
