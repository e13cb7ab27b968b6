/**
 * The md5s of data.tar's regular files and hard links, kept as 16 raw bytes each in one buffer
 * (a map of hex strings cost ~80 bytes of heap per file: 3 MB at 40,000 files), and rendered
 * straight into the `md5sums` member's bytes.
 */
import { comparePaths } from '../../plan/types.js';

const MD5_BYTES = 16;
/** `<32 hex digits>  <path without its leading />\n` minus the path. */
const LINE_OVERHEAD = 2 * MD5_BYTES + 2 + 1 - 1;
const HEX = Buffer.from('0123456789abcdef');

/**
 * Digests in the order data.tar is written: regular files, then hard links, which take their
 * target's digest (as dataTarOrder orders them).
 */
export class FileDigests {
  private readonly paths: string[] = [];
  private bytes = Buffer.alloc(MD5_BYTES * 1024);
  /** Index of every regular file by path: made at the first hard link (most packages have none). */
  private files: Map<string, number> | undefined;

  /** Record the digest of a regular file (16 raw bytes). */
  add(path: string, digest: Uint8Array): void {
    if (this.files) throw new RangeError(`md5sums: the regular file ${path} comes after a hard link`);
    const i = this.slot(path); // first: it may replace this.bytes
    this.bytes.set(digest.subarray(0, MD5_BYTES), i * MD5_BYTES);
  }

  /** Record a hard link: it carries the digest of `target`, a regular file added before it. */
  addLink(path: string, target: string): void {
    this.files ??= new Map(this.paths.map((p, i) => [p, i]));
    const from = this.files.get(target);
    if (from === undefined) throw new RangeError(`md5sums: the hard link ${path} comes before its target ${target}`);
    const i = this.slot(path);
    this.bytes.copy(this.bytes, i * MD5_BYTES, from * MD5_BYTES, (from + 1) * MD5_BYTES);
  }

  /** The `md5sums` member: every recorded path except `skip` (conffiles), sorted by path. */
  render(skip: ReadonlySet<string>): Buffer {
    const order: number[] = [];
    let length = 0;
    for (let i = 0; i < this.paths.length; i++) {
      const p = this.paths[i]!;
      if (skip.has(p)) continue;
      order.push(i);
      length += LINE_OVERHEAD + Buffer.byteLength(p);
    }
    // Regular files then hard links: two sorted runs, which the sort merges in one pass.
    order.sort((a, b) => comparePaths(this.paths[a]!, this.paths[b]!));
    const out = Buffer.allocUnsafe(length);
    let at = 0;
    for (const i of order) {
      for (let k = i * MD5_BYTES; k < (i + 1) * MD5_BYTES; k++) {
        const b = this.bytes[k]!;
        out[at++] = HEX[b >> 4]!;
        out[at++] = HEX[b & 15]!;
      }
      out[at++] = 0x20;
      out[at++] = 0x20;
      at += out.write(this.paths[i]!.slice(1), at, 'utf8');
      out[at++] = 0x0a;
    }
    if (at !== length) throw new RangeError(`md5sums: rendered ${at} bytes, expected ${length}`);
    return out;
  }

  private slot(path: string): number {
    const i = this.paths.length;
    if ((i + 1) * MD5_BYTES > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.paths.push(path);
    return i;
  }
}

/** Length of the md5sums line of `path` (absolute plan path). */
export function md5sumsLineLength(path: string): number {
  return LINE_OVERHEAD + Buffer.byteLength(path);
}
