/**
 * A small, bounded pool of fixed-size blocks for streaming encoders. A block is handed out by
 * `take()`, retained by every consumer still reading it (a pipe write in flight)
 * and returns to the pool when the last one releases it. Reusing a handful of blocks instead of
 * allocating one per flush keeps memory flat and spares the garbage collector (every fresh 512 KiB
 * buffer is external memory that V8 answers with full collections), and the bound is the
 * backpressure: `take()` waits while all blocks are in flight.
 */

/** Bounded pool of reusable blocks with reference counts. */
export class BlockPool {
  private readonly free: Buffer[] = [];
  private readonly refs = new Map<ArrayBufferLike, number>();
  private readonly waiters: (() => void)[] = [];
  private created = 0;
  private failure: Error | undefined;

  /**
   * @param size bytes per block
   * @param max most blocks ever allocated (memory bound: `size * max`)
   */
  constructor(readonly size: number, private readonly max: number) {}

  /** A free block (contents undefined); waits while every block is in use. Rejects once {@link fail} was called. */
  async take(): Promise<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const b = this.free.pop();
      if (b) return b;
      if (this.created < this.max) {
        this.created++;
        return Buffer.allocUnsafeSlow(this.size);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Count one more reader of `block` (a Buffer from {@link take} or a view of one). */
  retain(block: Buffer): void {
    this.refs.set(block.buffer, (this.refs.get(block.buffer) ?? 0) + 1);
  }

  /** One reader of `block` is done; the last release returns it to the pool. */
  release(block: Buffer): void {
    const n = (this.refs.get(block.buffer) ?? 1) - 1;
    if (n > 0) {
      this.refs.set(block.buffer, n);
      return;
    }
    this.refs.delete(block.buffer);
    this.free.push(Buffer.from(block.buffer, 0, this.size));
    this.waiters.shift()?.();
  }

  /** Make every pending and future `take()` reject with `err` (the consumer died). */
  fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.splice(0)) w();
  }
}
