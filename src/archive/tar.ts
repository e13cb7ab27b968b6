/**
 * Streaming GNU-format tar encoder.
 *
 * Headers and file contents are packed into fixed 512 KiB blocks (file contents are read from
 * disk straight into the block), and each full block is written to the output Writable, waiting
 * for `drain` when it signals backpressure. Memory stays flat whatever the archive size.
 * Usage: `const t = new TarEncoder(out); await t.addDirectory(h); await t.addFileFromPath(h, size, p); await t.finish();`
 * Calls must be awaited one after the other.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { MkpkgError } from '../errors.js';
import { BLOCK, TYPE, encodeHeaderBlockInto, encodeHeaders, needsLongLink, padding, type TarType } from './tar-header.js';
import { writeChunk } from './sink.js';
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

const BLOCK_SIZE = 512 * 1024;

/** Size of the blocks a {@link BlockPool} given to {@link TarEncoder} must hand out. */
export const TAR_BLOCK_SIZE = BLOCK_SIZE;

/** Options of {@link TarEncoder}. */
export interface TarEncoderOptions {
  /**
   * Reuse blocks from this pool (of {@link TAR_BLOCK_SIZE} blocks) instead of allocating one per
   * flush. Only for an `out` that is done with a chunk when its write callback runs (a pipe or
   * socket, zlib, a FileRegionWriter) — never for one that keeps chunks (PassThrough, BufferSink).
   */
  pool?: BlockPool;
}

export class TarEncoder {
  private buf: Buffer;
  private pos = 0;
  private finished = false;
  private readonly pool?: BlockPool;
  private readonly unhook: () => void = () => undefined;
  /** Uncompressed bytes produced so far (written or buffered). */
  bytes = 0;

  /** `signal` is checked at every block flush, so even one huge file can be aborted promptly. */
  constructor(private readonly out: Writable, private readonly signal?: AbortSignal, options: TarEncoderOptions = {}) {
    this.pool = options.pool;
    if (this.pool && this.pool.size !== BLOCK_SIZE) throw new RangeError(`TarEncoder: pool blocks must be ${BLOCK_SIZE} bytes`);
    this.buf = Buffer.allocUnsafe(this.pool ? 0 : BLOCK_SIZE);
    const pool = this.pool;
    if (pool) {
      const onError = (err: Error) => pool.fail(err);
      const onClose = () => pool.fail(out.errored ?? new Error('output stream closed before the archive was complete'));
      out.on('error', onError);
      out.on('close', onClose);
      this.unhook = () => { out.off('error', onError); out.off('close', onClose); };
    }
  }

  /** Take the first block from the pool (the constructor cannot wait). */
  private async ready(): Promise<void> {
    if (this.buf.length === 0 && this.pool) this.buf = await this.pool.take();
  }

  /** A directory entry (type 5). */
  async addDirectory(h: TarEntryHeader): Promise<void> {
    await this.ready();
    await this.header(h, TYPE.directory, 0);
  }

  /** A symbolic link (type 2) pointing at `target`, stored verbatim. */
  async addSymlink(h: TarEntryHeader, target: string): Promise<void> {
    await this.ready();
    await this.header(h, TYPE.symlink, 0, target);
  }

  /** A hard link (type 1) to the archive path `target` of an earlier entry. */
  async addHardlink(h: TarEntryHeader, target: string): Promise<void> {
    await this.ready();
    await this.header(h, TYPE.hardlink, 0, target);
  }

  /** A regular file whose content is a Buffer or a Readable yielding exactly `size` bytes. */
  async addFile(h: TarEntryHeader, size: number, source: Readable | Buffer, onData?: ContentListener): Promise<void> {
    await this.ready();
    await this.header(h, TYPE.file, size);
    let written = 0;
    const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>);
    for await (const chunk of chunks) {
      if (written + chunk.length > size) throw sizeMismatch(h.path, size, 'more');
      onData?.(chunk);
      await this.put(chunk);
      written += chunk.length;
    }
    if (written !== size) throw sizeMismatch(h.path, size, 'fewer');
    await this.pad(size);
  }

  /**
   * A regular file read from `source` on disk; exactly `size` bytes are read, straight into the
   * output blocks. Reads are synchronous on purpose: for many small files a blocking read costs
   * a few microseconds, a thread-pool round trip about ten times more (measured: 77 ms vs 430 ms
   * for 10,000 files); each read is at most one 512 KiB block, and the event loop runs at every flush.
   */
  async addFileFromPath(h: TarEntryHeader, size: number, source: string, onData?: ContentListener): Promise<void> {
    let fd: number;
    try {
      fd = openSync(source, 'r');
    } catch (e) {
      throw unreadable(source, e);
    }
    try {
      await this.ready();
      await this.header(h, TYPE.file, size);
      let left = size;
      while (left > 0) {
        const n = Math.min(left, BLOCK_SIZE - this.pos);
        let got: number;
        try {
          got = readSync(fd, this.buf, this.pos, n, null);
        } catch (e) {
          throw unreadable(source, e);
        }
        if (got === 0) throw sizeMismatch(source, size, 'fewer');
        onData?.(this.buf.subarray(this.pos, this.pos + got));
        this.pos += got;
        this.bytes += got;
        left -= got;
        if (this.pos === BLOCK_SIZE) await this.flush();
      }
      await this.pad(size);
    } finally {
      closeSync(fd);
    }
  }

  /** Write the two terminating zero blocks and flush; does not end `out`. */
  async finish(): Promise<void> {
    if (this.finished) return;
    await this.ready();
    this.finished = true;
    await this.put(Buffer.alloc(2 * BLOCK));
    await this.flush(true);
    this.unhook();
  }

  private async header(h: TarEntryHeader, type: TarType, size: number, linkname?: string): Promise<void> {
    if (this.finished) throw new Error('TarEncoder: entry added after finish()');
    const fields = { name: h.path, type, mode: h.mode, uid: h.uid ?? 0, gid: h.gid ?? 0, uname: h.uname, gname: h.gname, size, mtime: h.mtime, linkname };
    if (needsLongLink(h.path) || (linkname !== undefined && needsLongLink(linkname))) {
      await this.put(encodeHeaders(fields));
      return;
    }
    // pos is block-aligned and below BLOCK_SIZE here: the header fits in the current block.
    encodeHeaderBlockInto(this.buf, this.pos, fields);
    this.pos += BLOCK;
    this.bytes += BLOCK;
    if (this.pos === BLOCK_SIZE) await this.flush();
  }

  private async pad(size: number): Promise<void> {
    const p = padding(size);
    if (p === 0) return;
    // pos is block-aligned before every header and BLOCK_SIZE is a multiple of 512: the padding never straddles a flush.
    this.buf.fill(0, this.pos, this.pos + p);
    this.pos += p;
    this.bytes += p;
    if (this.pos === BLOCK_SIZE) await this.flush();
  }

  private async put(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, BLOCK_SIZE - this.pos);
      data.copy(this.buf, this.pos, off, off + n);
      this.pos += n;
      this.bytes += n;
      off += n;
      if (this.pos === BLOCK_SIZE) await this.flush();
    }
  }

  private async flush(last = false): Promise<void> {
    this.signal?.throwIfAborted();
    if (this.pos === 0) return;
    const full = this.pos === BLOCK_SIZE ? this.buf : this.buf.subarray(0, this.pos);
    this.pos = 0;
    const pool = this.pool;
    if (!pool) {
      this.buf = Buffer.allocUnsafe(BLOCK_SIZE);
      await writeChunk(this.out, full);
      return;
    }
    if (this.out.destroyed || this.out.writableEnded) throw this.out.errored ?? new Error('write after the output stream was closed');
    pool.retain(full);
    // The pool bounds what is in flight, so write()'s own backpressure signal is not awaited here.
    this.out.write(full, () => pool.release(full));
    this.buf = last ? Buffer.alloc(0) : await pool.take();
  }
}

function sizeMismatch(path: string, size: number, what: 'more' | 'fewer'): MkpkgError {
  return new MkpkgError('E_SOURCE_UNREADABLE', `${path} changed while it was being packaged: it has ${what} than the ${size} bytes planned`, {
    hint: 'do not modify the source tree during a build; run the build again',
    details: { path, size },
  });
}

function unreadable(path: string, e: unknown): MkpkgError {
  return new MkpkgError('E_SOURCE_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, {
    hint: 'check that the file exists and is readable by the user running mkpkg',
    details: { path },
    cause: e,
  });
}
