/** A Writable that keeps everything written to it in memory (for small members such as control.tar). */
import { Writable } from 'node:stream';

export class BufferSink extends Writable {
  private chunks: Buffer[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    cb();
  }

  /** Everything written so far, as one Buffer. */
  result(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
