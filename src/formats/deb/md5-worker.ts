/**
 * md5sums computed off the main thread. The tar encoder fills shared blocks (SharedArrayBuffer, from
 * a {@link BlockPool}); for each block this sends the worker the list of file segments it holds
 * (no bytes are copied) and the worker hashes them while the main thread reads the next files and
 * the compressor runs. A block returns to the pool once both the worker and the pipe are done with it.
 */
import { Worker } from 'node:worker_threads';
import type { BlockPool } from '../../archive/block-pool.js';

/** Plain CommonJS run with `eval`, so it works the same from dist/ and from the TypeScript sources. */
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const open = new Map();
const out = [];
parentPort.on('message', (m) => {
  if (m.finish) { parentPort.postMessage({ digests: out }); return; }
  const bytes = new Uint8Array(m.sab);
  const s = m.segs;
  for (let i = 0; i < s.length; i += 4) {
    let h = open.get(s[i]);
    if (!h) { h = createHash('md5'); open.set(s[i], h); }
    if (s[i + 2] > 0) h.update(bytes.subarray(s[i + 1], s[i + 1] + s[i + 2]));
    if (s[i + 3]) { out[s[i]] = h.digest('hex'); open.delete(s[i]); }
  }
  parentPort.postMessage(m.seq);
});
`;

/** Below this much file content a worker's start-up (~30 ms) costs more than hashing inline. */
export const MD5_WORKER_MIN_BYTES = 8 << 20;

/** Hashes file contents that live in shared pool blocks, in a worker thread. */
export class Md5Worker {
  private readonly worker: Worker;
  private segs: number[] = [];
  private seq = 0;
  private readonly inFlight = new Map<number, Buffer>();
  private readonly paths: string[] = [];
  private failure: Error | undefined;
  private finishing: ((digests: string[]) => void) | undefined;
  private failFinish: ((e: Error) => void) | undefined;

  /** `pool` must be a shared pool: the blocks the tar encoder fills. */
  constructor(private readonly pool: BlockPool) {
    if (!pool.shared) throw new RangeError('Md5Worker needs a pool of shared blocks');
    this.worker = new Worker(WORKER_CODE, { eval: true, execArgv: [] });
    this.worker.on('message', (m: number | { digests: string[] }) => {
      if (typeof m === 'number') {
        const b = this.inFlight.get(m)!;
        this.inFlight.delete(m);
        this.pool.release(b);
      } else {
        this.finishing?.(m.digests);
      }
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => { if (code !== 0) this.fail(new Error(`the md5 worker exited with code ${code}`)); });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.pool.fail(e);
    this.failFinish?.(e);
  }

  /** Start a file; returns its id for {@link chunk} and {@link end}. */
  begin(path: string): number {
    this.paths.push(path);
    return this.paths.length - 1;
  }

  /** `chunk` is a view into the block currently being filled. */
  chunk(id: number, chunk: Buffer): void {
    this.segs.push(id, chunk.byteOffset, chunk.length, 0);
  }

  /** The file is complete (possibly empty). */
  end(id: number): void {
    this.segs.push(id, 0, 0, 1);
  }

  /** The tar encoder is about to write `block`: hand its segments to the worker. */
  block(block: Buffer): void {
    if (this.segs.length === 0) return;
    if (this.failure) throw this.failure;
    this.pool.retain(block);
    const seq = ++this.seq;
    this.inFlight.set(seq, block);
    this.worker.postMessage({ sab: block.buffer, seq, segs: this.segs });
    this.segs = [];
  }

  /** After the last block: the md5 (hex) of every file, keyed by path. Stops the worker. */
  async digests(): Promise<Map<string, string>> {
    try {
      if (this.failure) throw this.failure;
      if (this.segs.length) throw new Error('Md5Worker: segments left that no block carried');
      const list = await new Promise<string[]>((resolve, reject) => {
        this.finishing = resolve;
        this.failFinish = reject;
        this.worker.postMessage({ finish: true });
      });
      return new Map(this.paths.map((p, i) => [p, list[i]]));
    } finally {
      await this.stop();
    }
  }

  /** Stop the worker (also on failure paths). */
  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
