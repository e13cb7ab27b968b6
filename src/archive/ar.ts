/**
 * The `ar` container used by .deb: `!<arch>\n`, then members with 60-byte headers, each padded
 * to an even length with `\n`. Streamed members get a placeholder size that is patched in place
 * afterwards with a positional write, so compressed data is never copied through a temp file.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { MkpkgError } from '../errors.js';
import { FileRegionWriter, endStream } from './sink.js';

export const AR_MAGIC = '!<arch>\n';
const HEADER_LEN = 60;
const SIZE_OFFSET = 48;
const MAX_SIZE = 9_999_999_999;

/** Per-member header fields (dpkg-deb writes uid/gid 0 and mode 0o100644). */
export interface ArMemberMeta {
  mtime: number;
  uid?: number;
  gid?: number;
  /** Full st_mode, default `0o100644`. */
  mode?: number;
}

function field(value: string, width: number, what: string): string {
  if (value.length > width) throw new RangeError(`ar: ${what} "${value}" does not fit in ${width} bytes`);
  return value.padEnd(width, ' ');
}

function sizeField(size: number, name: string): string {
  if (size > MAX_SIZE) {
    throw new MkpkgError('E_WRITE_FAILED', `ar member ${name} is ${size} bytes, more than the 10 decimal digits an ar header can hold`, {
      hint: 'use a stronger compression (xz) or split the package',
    });
  }
  return field(String(size), 10, 'size');
}

/** Encode one 60-byte member header (pure). Names are limited to 15 ASCII characters, as dpkg requires. */
export function encodeArHeader(name: string, size: number, meta: ArMemberMeta): Buffer {
  if (!/^[\x21-\x7e]{1,15}$/.test(name)) throw new RangeError(`ar: invalid member name "${name}"`);
  const text =
    field(name, 16, 'name') +
    field(String(meta.mtime), 12, 'mtime') +
    field(String(meta.uid ?? 0), 6, 'uid') +
    field(String(meta.gid ?? 0), 6, 'gid') +
    field((meta.mode ?? 0o100644).toString(8), 8, 'mode') +
    sizeField(size, name) +
    '`\n';
  return Buffer.from(text, 'latin1');
}

/**
 * Writes an ar archive into a FileHandle with positional writes, starting at offset 0.
 * Members are written at `offset`, which callers may move to leave room for a member written later.
 */
export class ArWriter {
  /** Current end of the archive (bytes). */
  offset = 0;

  constructor(private readonly fh: FileHandle) {}

  /** Write the global header. */
  async start(): Promise<void> {
    await this.writeAt(Buffer.from(AR_MAGIC, 'latin1'), 0);
    this.offset = AR_MAGIC.length;
  }

  /** Add a member whose content is in memory. */
  async addBuffer(name: string, data: Buffer, meta: ArMemberMeta): Promise<void> {
    await this.writeAt(encodeArHeader(name, data.length, meta), this.offset);
    await this.writeAt(data, this.offset + HEADER_LEN);
    this.offset += HEADER_LEN + data.length;
    await this.padOdd(data.length);
  }

  /**
   * Add a member whose size is unknown up front: `produce` writes the content into the given
   * Writable (without ending it); the header's size field is patched afterwards. Returns the size.
   */
  async addStreamed(name: string, meta: ArMemberMeta, produce: (sink: Writable) => Promise<void>): Promise<number> {
    const headerAt = this.offset;
    await this.writeAt(encodeArHeader(name, 0, meta), headerAt);
    const sink = new FileRegionWriter(this.fh, headerAt + HEADER_LEN);
    try {
      await produce(sink);
      await endStream(sink);
    } catch (e) {
      sink.destroy();
      throw e;
    }
    const size = sink.bytes;
    await this.writeAt(Buffer.from(sizeField(size, name), 'latin1'), headerAt + SIZE_OFFSET);
    this.offset = headerAt + HEADER_LEN + size;
    await this.padOdd(size);
    return size;
  }

  /**
   * Add a member whose content another writer appends to the end of the file (e.g. a compressor
   * process writing to it directly, see `compressAppend`): the header is written at `offset`, which
   * must be the end of the file, then `produce` appends the content and resolves with its size.
   */
  async addAppended(name: string, meta: ArMemberMeta, produce: () => Promise<number>): Promise<number> {
    const headerAt = this.offset;
    await this.writeAt(encodeArHeader(name, 0, meta), headerAt);
    const end = (await this.fh.stat()).size;
    if (end !== headerAt + HEADER_LEN) throw new Error(`ar: member ${name} must be appended at the end of the file (${end}), not at ${headerAt + HEADER_LEN}`);
    const size = await produce();
    await this.writeAt(Buffer.from(sizeField(size, name), 'latin1'), headerAt + SIZE_OFFSET);
    this.offset = headerAt + HEADER_LEN + size;
    await this.padOdd(size);
    return size;
  }

  /**
   * Move `length` bytes from `from` to `to` inside the file (overlap-safe, like memmove), in 1 MiB
   * chunks. Used to slide an already written member once the size of what precedes it is known.
   * `onChunk` sees the moved bytes in order (e.g. to hash the output as it is written); it is only
   * accepted for a move towards the start of the file, which copies front to back.
   */
  async move(from: number, to: number, length: number, onChunk?: (chunk: Buffer) => void): Promise<void> {
    if (onChunk && to > from) throw new RangeError('ar: a move towards the end of the file copies back to front; it cannot report chunks in order');
    if (from === to || length === 0) return;
    const chunk = Buffer.allocUnsafe(Math.min(length, 1 << 20));
    const step = async (off: number, n: number) => {
      let got = 0;
      while (got < n) {
        const { bytesRead } = await this.fh.read(chunk, got, n - got, from + off + got);
        if (bytesRead === 0) throw new Error(`ar: unexpected end of file at ${from + off + got}`);
        got += bytesRead;
      }
      onChunk?.(chunk.subarray(0, n));
      await this.writeAt(chunk.subarray(0, n), to + off);
    };
    if (to < from) {
      for (let off = 0; off < length; off += chunk.length) await step(off, Math.min(chunk.length, length - off));
    } else {
      for (let end = length; end > 0; end -= chunk.length) {
        const n = Math.min(chunk.length, end);
        await step(end - n, n);
      }
    }
  }

  /** Cut the file at the current offset (drops anything written beyond it). */
  async truncate(): Promise<void> {
    await this.fh.truncate(this.offset);
  }

  private async padOdd(size: number): Promise<void> {
    if (size % 2 === 0) return;
    await this.writeAt(Buffer.from('\n'), this.offset);
    this.offset += 1;
  }

  private async writeAt(buf: Buffer, position: number): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, off, buf.length - off, position + off);
      off += bytesWritten;
    }
  }
}
