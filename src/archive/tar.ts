/**
 * Streaming GNU-format tar encoder over a {@link BlockWriter}: headers and file contents are packed
 * into fixed 512 KiB blocks, so memory stays flat whatever the archive size.
 * Usage: `const t = new TarEncoder(out); await t.addDirectory(h); await t.addFileFromPath(h, size, p); await t.finish();`
 * Calls must be awaited one after the other.
 */
import type { Readable, Writable } from 'node:stream';
import { BLOCK, TYPE, encodeHeaderBlockInto, encodeHeaders, needsLongLink, padding, type TarType } from './tar-header.js';
import { BlockWriter, sourceChanged, WRITER_BLOCK_SIZE, type BlockWriterOptions } from './block-writer.js';
import type { BlockPool } from './block-pool.js';

/** What every entry carries. `uid`/`gid` default to 0 (dpkg and rpm map names at unpack). */
export interface TarEntryHeader {
  /** Archive path exactly as stored, e.g. `./usr/bin/foo` (directories: trailing `/`). */
  path: string;
  mode: number;
  uname: string;
  gname: string;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch. */
  mtime: number;
}

/** Called with every chunk of a regular file's content, e.g. to hash it while streaming. */
export type ContentListener = (chunk: Buffer) => void;

/** Size of the blocks a {@link BlockPool} given to {@link TarEncoder} must hand out. */
export const TAR_BLOCK_SIZE = WRITER_BLOCK_SIZE;

/** Options of {@link TarEncoder}. */
export interface TarEncoderOptions {
  /**
   * Reuse blocks from this pool (of {@link TAR_BLOCK_SIZE} blocks) instead of allocating one per
   * flush. Only for an `out` that is done with a chunk when its write callback runs (a pipe or
   * socket, zlib, a FileRegionWriter) — never for one that keeps chunks (PassThrough, BufferSink).
   */
  pool?: BlockPool;
  /** Opens the source files of {@link TarEncoder.addFileFromPath} (see {@link BlockWriterOptions.open}). */
  open?: BlockWriterOptions['open'];
}

export class TarEncoder {
  private readonly w: BlockWriter;
  private finished = false;

  /** `signal` is checked at every block flush, so even one huge file can be aborted promptly. */
  constructor(out: Writable, signal?: AbortSignal, options: TarEncoderOptions = {}) {
    this.w = new BlockWriter(out, { owner: 'TarEncoder', pool: options.pool, signal, open: options.open });
  }

  /** Uncompressed bytes produced so far (written or buffered). */
  get bytes(): number {
    return this.w.bytes;
  }

  /** A directory entry (type 5). */
  async addDirectory(h: TarEntryHeader): Promise<void> {
    await this.w.ready();
    await this.header(h, TYPE.directory, 0);
  }

  /** A symbolic link (type 2) pointing at `target`, stored verbatim. */
  async addSymlink(h: TarEntryHeader, target: string): Promise<void> {
    await this.w.ready();
    await this.header(h, TYPE.symlink, 0, target);
  }

  /** A hard link (type 1) to the archive path `target` of an earlier entry. */
  async addHardlink(h: TarEntryHeader, target: string): Promise<void> {
    await this.w.ready();
    await this.header(h, TYPE.hardlink, 0, target);
  }

  /** A regular file whose content is a Buffer or a Readable yielding exactly `size` bytes. */
  async addFile(h: TarEntryHeader, size: number, source: Readable | Buffer, onData?: ContentListener): Promise<void> {
    await this.w.ready();
    await this.header(h, TYPE.file, size);
    let written = 0;
    const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>);
    for await (const chunk of chunks) {
      if (written + chunk.length > size) throw sourceChanged(h.path, size, 'more');
      onData?.(chunk);
      await this.w.put(chunk);
      written += chunk.length;
    }
    if (written !== size) throw sourceChanged(h.path, size, 'fewer');
    await this.pad(size);
  }

  /**
   * A regular file read from `source` on disk, which must hold exactly `size` bytes, straight
   * into the output blocks with synchronous reads (see {@link BlockWriter.readFile}; measured:
   * 77 ms vs 430 ms with thread-pool reads for 10,000 files).
   */
  async addFileFromPath(h: TarEntryHeader, size: number, source: string, onData?: ContentListener): Promise<void> {
    // Each step waits only when it flushed a block: most small files cost no promise but this one.
    const w = this.w;
    let wait = w.ready();
    if (wait) await wait;
    wait = this.header(h, TYPE.file, size);
    if (wait) await wait;
    wait = w.readFile(source, size, source, onData, undefined);
    if (wait) await wait;
    wait = this.pad(size);
    if (wait) await wait;
  }

  /** Write the two terminating zero blocks and flush; does not end `out`. */
  async finish(): Promise<void> {
    if (this.finished) return;
    await this.w.ready();
    this.finished = true;
    await this.w.put(Buffer.alloc(2 * BLOCK));
    await this.w.end();
  }

  /** Write an entry's header; a promise only when a block was flushed. */
  private header(h: TarEntryHeader, type: TarType, size: number, linkname?: string): Promise<void> | undefined {
    if (this.finished) throw new Error('TarEncoder: entry added after finish()');
    const fields = { name: h.path, type, mode: h.mode, uid: h.uid ?? 0, gid: h.gid ?? 0, uname: h.uname, gname: h.gname, size, mtime: h.mtime, linkname };
    if (needsLongLink(h.path) || (linkname !== undefined && needsLongLink(linkname))) return this.w.put(encodeHeaders(fields));
    // pos is block-aligned and below the block size here: the header fits in the current block.
    const w = this.w;
    encodeHeaderBlockInto(w.block, w.pos, fields);
    return w.advance(BLOCK) ? w.flush() : undefined;
  }

  /** Zero-pad content of `size` bytes to the next record; a promise only when a block was flushed. */
  private pad(size: number): Promise<void> | undefined {
    const p = padding(size);
    if (p === 0) return undefined;
    // pos is block-aligned before every header and the block size is a multiple of 512: the padding never straddles a flush.
    const w = this.w;
    w.block.fill(0, w.pos, w.pos + p);
    return w.advance(p) ? w.flush() : undefined;
  }
}
