/** Backpressure-aware writes into a Node.js Writable, and a Writable that writes into a FileHandle at an offset. */
import { Writable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';

/** Write `chunk`; when the stream asks for backpressure, wait for `drain`. Rejects if the stream errors or closes first. */
export function writeChunk(out: Writable, chunk: Buffer): Promise<void> {
  if (out.destroyed || out.writableEnded) {
    return Promise.reject(out.errored ?? new Error('write after the output stream was closed'));
  }
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(out.errored ?? new Error('output stream closed before it drained'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/** End `out` and wait until everything written has been flushed (`finish`). */
export function endStream(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.writableFinished) return resolve();
    const onError = (err: Error) => { out.off('finish', onFinish); reject(err); };
    const onFinish = () => { out.off('error', onError); resolve(); };
    out.once('error', onError);
    out.once('finish', onFinish);
    out.end();
  });
}

/**
 * A Writable that writes sequentially into `fh` starting at byte `start`, with positional writes
 * (the handle's own file position is never used). `bytes` counts what has been written.
 */
export class FileRegionWriter extends Writable {
  bytes = 0;

  constructor(private readonly fh: FileHandle, private readonly start: number) {
    super({ highWaterMark: 1 << 20 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writeAll(chunk).then(() => cb(), cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.writeAll(Buffer.concat(chunks.map((c) => c.chunk))).then(() => cb(), cb);
  }

  private async writeAll(chunk: Buffer): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off, this.start + this.bytes);
      off += bytesWritten;
      this.bytes += bytesWritten;
    }
  }
}
