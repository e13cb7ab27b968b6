/**
 * Appending to an .xz file without recompressing it: the new content becomes one more block of
 * the file's one stream, under a new index and footer (xz file format 1.0.4, §2.1, §3 and §4). The
 * block holds LZMA2 chunks stored uncompressed (LZMA2 control bytes 0x01/0x02), so appending needs
 * no xz process and costs a copy and a checksum; the whole index is recompressed now and then by
 * the caller. Every xz reader decodes the result as old + new content — apt's reader stops after
 * the first stream, so concatenating two streams would not do.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

interface Parsed {
  /** Stream flags (check type), which both streams must share. */
  flags: Buffer;
  /** The blocks, with their padding, as stored. */
  blocks: Buffer;
  /** Unpadded and uncompressed size of each block. */
  records: [bigint, bigint][];
}

function readVarint(b: Buffer, at: { pos: number }): bigint {
  let v = 0n;
  for (let shift = 0n; shift < 63n; shift += 7n) {
    const byte = b[at.pos++];
    if (byte === undefined) throw new Error('truncated index');
    v |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  throw new Error('varint too long');
}

function varint(v: bigint): number[] {
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

/** One stream exactly (no stream padding, no second stream); throws when it is not. */
function parse(xz: Buffer): Parsed {
  if (xz.length < 24 || !xz.subarray(0, 6).equals(MAGIC) || xz.toString('latin1', xz.length - 2) !== 'YZ') throw new Error('not a single xz stream');
  const flags = xz.subarray(6, 8);
  const footer = xz.subarray(xz.length - 12);
  if (!footer.subarray(8, 10).equals(flags)) throw new Error('stream flags differ');
  const indexSize = (footer.readUInt32LE(4) + 1) * 4;
  const indexStart = xz.length - 12 - indexSize;
  if (indexStart < 12 || xz[indexStart] !== 0) throw new Error('no index where the footer says');
  const at = { pos: indexStart + 1 };
  const n = Number(readVarint(xz, at));
  const records: [bigint, bigint][] = [];
  let padded = 0n;
  for (let i = 0; i < n; i++) {
    const r: [bigint, bigint] = [readVarint(xz, at), readVarint(xz, at)];
    records.push(r);
    padded += (r[0] + 3n) & ~3n;
  }
  if (BigInt(indexStart - 12) !== padded) throw new Error('blocks and index disagree');
  return { flags, blocks: xz.subarray(12, indexStart), records };
}

/** CRC-64 with the ECMA-182 polynomial, reflected (xz's check type 0x04), as two 32-bit halves. */
const CRC64_TABLE = (() => {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h >>>= 1;
      if (carry) { l = (l ^ 0xd7870f42) >>> 0; h = (h ^ 0xc96c5795) >>> 0; }
    }
    lo[n] = l;
    hi[n] = h;
  }
  return { lo, hi };
})();

function crc64(data: Uint8Array): Buffer {
  let l = 0xffffffff;
  let h = 0xffffffff;
  for (const byte of data) {
    const i = (l ^ byte) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ CRC64_TABLE.lo[i]!) >>> 0;
    h = ((h >>> 8) ^ CRC64_TABLE.hi[i]!) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(~l >>> 0, 0);
  out.writeUInt32LE(~h >>> 0, 4);
  return out;
}

/** The check of a block's uncompressed data, for the stream's check type (flags byte 1). */
function check(type: number, data: Uint8Array): Buffer {
  if (type === 0x00) return Buffer.alloc(0);
  if (type === 0x01) { const b = Buffer.alloc(4); b.writeUInt32LE(crc32(data)); return b; }
  if (type === 0x04) return crc64(data);
  if (type === 0x0a) return createHash('sha256').update(data).digest();
  throw new Error(`unsupported check type ${type}`);
}

const LZMA2_CHUNK = 1 << 16;
/** Dictionary size byte 10: 128 KiB (only bounds the decoder's window; stored chunks do not refer back). */
const LZMA2_DICT = 10;

/** One block holding `data` as stored LZMA2 chunks: header, data, padding, check; and its index record. */
function storedBlock(data: Uint8Array, checkType: number): { block: Buffer; record: [bigint, bigint] } {
  const header = Buffer.from([0x02, 0x00, 0x21, 0x01, LZMA2_DICT, 0x00, 0x00, 0x00, 0, 0, 0, 0]);
  header.writeUInt32LE(crc32(header.subarray(0, 8)), 8);
  const parts: Buffer[] = [header];
  let size = header.length;
  for (let at = 0; at < data.length; at += LZMA2_CHUNK) {
    const chunk = data.subarray(at, at + LZMA2_CHUNK);
    const control = Buffer.from([at === 0 ? 0x01 : 0x02, (chunk.length - 1) >> 8, (chunk.length - 1) & 0xff]);
    parts.push(control, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    size += control.length + chunk.length;
  }
  parts.push(Buffer.from([0x00]));
  size += 1;
  const sum = check(checkType, data);
  const padding = (4 - (size % 4)) % 4;
  parts.push(Buffer.alloc(padding), sum);
  return { block: Buffer.concat(parts), record: [BigInt(size + sum.length), BigInt(data.length)] };
}

/** `old` (a complete .xz file of one stream) followed by `data`, as one stream. Throws when `old` is not one mkpkg can extend. */
export function appendXz(old: Buffer, data: Uint8Array): Buffer {
  const a = parse(old);
  const { block, record } = storedBlock(data, a.flags[1]!);
  const records = [...a.records, record];
  const body = [0x00, ...varint(BigInt(records.length)), ...records.flatMap(([u, s]) => [...varint(u), ...varint(s)])];
  while (body.length % 4) body.push(0);
  const index = Buffer.from(body);
  const indexCrc = Buffer.alloc(4);
  indexCrc.writeUInt32LE(crc32(index));
  const footerBody = Buffer.alloc(6);
  footerBody.writeUInt32LE((index.length + 4) / 4 - 1);
  a.flags.copy(footerBody, 4);
  const footerCrc = Buffer.alloc(4);
  footerCrc.writeUInt32LE(crc32(footerBody));
  return Buffer.concat([old.subarray(0, 12), a.blocks, block, index, indexCrc, footerCrc, footerBody, Buffer.from('YZ')]);
}
