/**
 * Appending to an .xz file without recompressing it: the blocks of a second xz stream are spliced
 * after the blocks of the first, under one new index and footer (xz file format 1.0.4, §2.1 and
 * §4). The result is one stream that every xz reader decodes as old + new content — apt's reader
 * stops after the first stream, so concatenating two streams would not do.
 */
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

/** `old` followed by the content of `tail` (both complete .xz files of one stream), as one stream. */
export function appendXz(old: Buffer, tail: Buffer): Buffer {
  const a = parse(old);
  const b = parse(tail);
  if (!a.flags.equals(b.flags)) throw new Error('the two streams use different checks');
  const records = [...a.records, ...b.records];
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
  return Buffer.concat([old.subarray(0, 12), a.blocks, b.blocks, index, indexCrc, footerCrc, footerBody, Buffer.from('YZ')]);
}
