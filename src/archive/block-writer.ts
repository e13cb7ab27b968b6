/**
 * The block writer under the tar and cpio encoders: bytes are packed into fixed 512 KiB blocks
 * (file contents are read from disk straight into the block) and each full block is written to a
 * Writable. Memory stays flat whatever the archive size.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { MkpkgError } from '../errors.js';
import type { Writable } from 'node:stream';
import { writeChunk } from './sink.js';
import type { BlockPool } from './block-pool.js';

/** Bytes per block; a multiple of 512, so a tar record never straddles a flush. */
export const WRITER_BLOCK_SIZE = 512 * 1024;

/** Options of {@link BlockWriter}. */
export interface BlockWriterOptions {
  /** Named in the error thrown when `pool` hands out blocks of the wrong size, e.g. `TarEncoder`. */
  owner: string;
  /**
   * Reuse blocks from this pool (of {@link WRITER_BLOCK_SIZE} blocks) instead of allocating one
   * per flush. Only for an `out` that is done with a chunk when its write callback runs (a pipe or
   * socket, zlib, a FileRegionWriter) — never for one that keeps chunks (PassThrough, BufferSink).
   */
  pool?: BlockPool;
  /** Checked at every flush, so even one huge file can be aborted promptly. */
  signal?: AbortSignal;
  /** Sees every chunk just before it is written to `out`: together, every byte of the output. */
  onFlush?: (chunk: Buffer) => void;
  /** Opens a source file for {@link BlockWriter.readFile}, positioned at its start (default: `openSync(path, 'r')`). */
  open?: (path: string) => number;
}

const openForReading = (path: string): number => openSync(path, 'r');

function unreadable(label: string, source: string, e: unknown): MkpkgError {
  return new MkpkgError('E_SOURCE_UNREADABLE', `cannot read ${label}: ${(e as Error).message}`, {
    hint: 'check that the file exists and is readable by the user running mkpkg',
    details: { source },
    cause: e,
  });
}

/** E_SOURCE_UNREADABLE: the content of `label` (a source file) no longer has the `size` bytes planned. */
export function sourceChanged(label: string, size: number, what: 'more' | 'fewer'): MkpkgError {
  return new MkpkgError('E_SOURCE_UNREADABLE', `${label} changed while it was being packaged: it has ${what} than the ${size} bytes planned`, {
    hint: 'do not modify the source tree during a build; run the build again',
    details: { source: label, size },
  });
}

/**
 * Fills blocks and writes each full one to `out`. Without a pool, every flush allocates a fresh
 * block and waits for `drain` when `out` signals backpressure. With a pool, a flushed block is
 * retained until `out` has written it; the pool bounds what is in flight, so `drain` is not
 * awaited, and an `error` or `close` of `out` fails the pool.
 * Calls must be awaited one after the other; call {@link ready} before writing and {@link end} last.
 */
export class BlockWriter {
  private buf: Buffer;
  private at = 0;
  private total = 0;
  private readonly pool?: BlockPool;
  private readonly signal?: AbortSignal;
  private readonly onFlush?: (chunk: Buffer) => void;
  private readonly open: (path: string) => number;
  private readonly unhook: () => void = () => undefined;

  constructor(private readonly out: Writable, options: BlockWriterOptions) {
    const pool = options.pool;
    if (pool && pool.size !== WRITER_BLOCK_SIZE) throw new RangeError(`${options.owner}: pool blocks must be ${WRITER_BLOCK_SIZE} bytes`);
    this.pool = pool;
    this.signal = options.signal;
    this.onFlush = options.onFlush;
    this.open = options.open ?? openForReading;
    this.buf = Buffer.allocUnsafe(pool ? 0 : WRITER_BLOCK_SIZE);
    if (pool) {
      const onError = (err: Error) => pool.fail(err);
      const onClose = () => pool.fail(out.errored ?? new Error('output stream closed before the archive was complete'));
      out.on('error', onError);
      out.on('close', onClose);
      this.unhook = () => { out.off('error', onError); out.off('close', onClose); };
    }
  }

  /** The current block; the caller may write at {@link pos}, then must call {@link advance}. */
  get block(): Buffer {
    return this.buf;
  }

  /** Offset of the next free byte in {@link block}. */
  get pos(): number {
    return this.at;
  }

  /** Bytes produced so far (written or buffered). */
  get bytes(): number {
    return this.total;
  }

  /**
   * Take a block from the pool when none is held (the first one; the constructor cannot wait).
   * Returns a promise only when there is something to wait for.
   */
  ready(): Promise<void> | undefined {
    const pool = this.pool;
    if (this.buf.length !== 0 || !pool) return undefined;
    return pool.take().then((b) => { this.buf = b; });
  }

  /**
   * Count `n` bytes the caller wrote into {@link block} at {@link pos} (never past its end).
   * Returns true when the block is now full: await {@link flush} before writing anything else.
   */
  advance(n: number): boolean {
    this.at += n;
    this.total += n;
    return this.at === WRITER_BLOCK_SIZE;
  }

  /** Copy `data` in, flushing each block it fills. */
  async put(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, WRITER_BLOCK_SIZE - this.at);
      data.copy(this.buf, this.at, off, off + n);
      this.at += n;
      this.total += n;
      off += n;
      if (this.at === WRITER_BLOCK_SIZE) await this.send(false);
    }
  }

  /**
   * Read the file `source`, which must hold exactly `size` bytes, straight into the blocks with
   * synchronous reads: for many small files a blocking read costs a few microseconds, a thread-pool
   * round trip about ten times more; each read is at most one block, and the event loop runs at
   * every flush. `onChunk` sees each piece read, with `ctx`. E_SOURCE_UNREADABLE naming `label`
   * when the file cannot be read, or holds fewer or more bytes than `size` (it changed since it was
   * planned: the archive would otherwise disagree with the sizes and digests already decided).
   * Returns a promise only when a block had to be flushed (a file that fits is read without one).
   */
  readFile<C>(source: string, size: number, label: string, onChunk: ((chunk: Buffer, ctx: C) => void) | undefined, ctx: C): Promise<void> | undefined {
    let fd: number;
    try {
      fd = this.open(source);
    } catch (e) {
      throw unreadable(label, source, e);
    }
    let rest: Promise<void> | undefined;
    try {
      const left = this.fill(fd, size, size, source, label, onChunk, ctx);
      if (left >= 0) rest = this.readRest(fd, size, left, source, label, onChunk, ctx);
    } finally {
      if (!rest) closeSync(fd);
    }
    return rest?.finally(() => closeSync(fd));
  }

  /** The rest of a file that filled the current block: flush, read on, until it ends. */
  private async readRest<C>(fd: number, size: number, left: number, source: string, label: string, onChunk: ((chunk: Buffer, ctx: C) => void) | undefined, ctx: C): Promise<void> {
    while (left >= 0) {
      await this.send(false);
      left = this.fill(fd, size, left, source, label, onChunk, ctx);
    }
  }

  /**
   * One read into the current block, of the `left` bytes still expected (and one byte more, when the
   * block has room for it: a file that grew shows without an extra read; a short read is the end of a
   * regular file). Returns -1 when the file is complete, else the bytes still to read (the block is full).
   */
  private fill<C>(fd: number, size: number, left: number, source: string, label: string, onChunk: ((chunk: Buffer, ctx: C) => void) | undefined, ctx: C): number {
    const ask = Math.min(left + 1, WRITER_BLOCK_SIZE - this.at);
    let got: number;
    try {
      got = readSync(fd, this.buf, this.at, ask, null);
    } catch (e) {
      throw unreadable(label, source, e);
    }
    if (got > left) throw sourceChanged(label, size, 'more');
    if (got > 0) {
      onChunk?.(this.buf.subarray(this.at, this.at + got), ctx);
      this.at += got;
      this.total += got;
    }
    if (got === ask) return left - got; // ask was the room left: the block is full
    if (left - got > 0) throw sourceChanged(label, size, 'fewer');
    return -1;
  }

  /** Write out the current block (a no-op when it is empty, after checking the abort signal). */
  flush(): Promise<void> {
    return this.send(false);
  }

  /** Write out the last, partial block and let go of `out`; does not end `out`. */
  async end(): Promise<void> {
    await this.send(true);
    this.unhook();
  }

  private async send(last: boolean): Promise<void> {
    this.signal?.throwIfAborted();
    if (this.at === 0) return;
    const full = this.at === WRITER_BLOCK_SIZE ? this.buf : this.buf.subarray(0, this.at);
    this.at = 0;
    this.onFlush?.(full);
    const pool = this.pool;
    if (!pool) {
      this.buf = Buffer.allocUnsafe(WRITER_BLOCK_SIZE);
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
