/**
 * GNU-format tar header encoding (pure). Long names and link targets become `././@LongLink`
 * records (`L`/`K`), never pax headers: dpkg's tar reader rejects pax `x`/`g` entries.
 */

/** Size of a tar block. */
export const BLOCK = 512;

/** Tar type flags this encoder writes. */
export const TYPE = { file: '0', hardlink: '1', symlink: '2', directory: '5', longName: 'L', longLink: 'K' } as const;
export type TarType = (typeof TYPE)[keyof typeof TYPE];

/** The fields of one tar header. Names are stored exactly as given (UTF-8 bytes). */
export interface TarHeaderFields {
  name: string;
  type: TarType;
  /** Permission bits (no file-type bits). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
}

const NAME_LEN = 100;
const LONG_LINK_NAME = '././@LongLink';

/**
 * Write `value` into `buf[off, off+len)` as GNU tar does: zero-padded octal followed by NUL
 * when it fits in len-1 digits, otherwise base-256 (high bit of the first byte set, big-endian).
 */
function writeNumber(buf: Buffer, off: number, len: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`tar: cannot encode ${value}`);
  if (value < 8 ** (len - 1)) {
    // Octal digits written in place, right to left (no string per field: ~10 fields x 10,000s of headers).
    buf[off + len - 1] = 0;
    let v = value;
    let i = off + len - 2;
    for (; i >= off && v > 0x7fffffff; i--) { // beyond 31 bits: arithmetic, not bit operations
      buf[i] = 0x30 + (v % 8);
      v = Math.floor(v / 8);
    }
    for (; i >= off; i--) {
      buf[i] = 0x30 + (v & 7);
      v >>>= 3;
    }
    return;
  }
  let v = BigInt(value);
  for (let i = off + len - 1; i > off; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  buf[off] = 0x80;
}

/** Zeros, the checksum field as spaces (as it is summed) and the GNU magic `ustar  \0`: copied under every header. */
const HEADER_TEMPLATE = Buffer.alloc(BLOCK);
HEADER_TEMPLATE.write('        ', 148, 8, 'latin1');
HEADER_TEMPLATE.write('ustar  \0', 257, 8, 'latin1');

let TEMPLATE_SUM = 0;
for (const b of HEADER_TEMPLATE) TEMPLATE_SUM += b;

function sumBytes(buf: Buffer, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += buf[i]!;
  return sum;
}

/** Encode one 512-byte header block into `buf` at `off`. Names longer than 100 bytes are truncated here. */
export function encodeHeaderBlockInto(buf: Buffer, off: number, h: TarHeaderFields): void {
  HEADER_TEMPLATE.copy(buf, off);
  // The checksum: the template's bytes plus those written over its zeros (summing all 512 bytes of
  // every header was 1% of a 10,000-file build).
  let sum = TEMPLATE_SUM;
  sum += sumBytes(buf, off, off + buf.write(h.name, off, NAME_LEN, 'utf8'));
  writeNumber(buf, off + 100, 8, h.mode & 0o7777);
  writeNumber(buf, off + 108, 8, h.uid);
  writeNumber(buf, off + 116, 8, h.gid);
  writeNumber(buf, off + 124, 12, h.size);
  writeNumber(buf, off + 136, 12, h.mtime);
  sum += sumBytes(buf, off + 100, off + 148);
  buf[off + 156] = h.type.charCodeAt(0);
  sum += buf[off + 156]!;
  if (h.linkname !== undefined) sum += sumBytes(buf, off + 157, off + 157 + buf.write(h.linkname, off + 157, NAME_LEN, 'utf8'));
  sum += sumBytes(buf, off + 265, off + 265 + buf.write(h.uname, off + 265, 32, 'utf8'));
  sum += sumBytes(buf, off + 297, off + 297 + buf.write(h.gname, off + 297, 32, 'utf8'));
  writeNumber(buf, off + 148, 7, sum); // six octal digits, NUL, then the space already there
}

/** Encode exactly one 512-byte header block. */
export function encodeHeaderBlock(h: TarHeaderFields): Buffer {
  const buf = Buffer.allocUnsafe(BLOCK);
  encodeHeaderBlockInto(buf, 0, h);
  return buf;
}

/** Zero bytes needed after `size` bytes of data to reach a block boundary. */
export function padding(size: number): number {
  const r = size % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}

function longLinkRecord(type: 'L' | 'K', value: string, h: TarHeaderFields): Buffer {
  const data = Buffer.from(value + '\0', 'utf8');
  const header = encodeHeaderBlock({
    name: LONG_LINK_NAME, type, mode: 0o644, uid: 0, gid: 0, uname: h.uname, gname: h.gname, size: data.length, mtime: 0,
  });
  return Buffer.concat([header, data, Buffer.alloc(padding(data.length))]);
}

/** True when a name or link target needs a `././@LongLink` record (more than 100 bytes). */
export function needsLongLink(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') > NAME_LEN;
}

/**
 * All header bytes for one entry: optional `K` (long link target) and `L` (long name) records,
 * then the entry's own header. Its length is always a multiple of 512.
 */
export function encodeHeaders(h: TarHeaderFields): Buffer {
  const parts: Buffer[] = [];
  if (h.linkname !== undefined && needsLongLink(h.linkname)) parts.push(longLinkRecord('K', h.linkname, h));
  if (needsLongLink(h.name)) parts.push(longLinkRecord('L', h.name, h));
  parts.push(encodeHeaderBlock(h));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
