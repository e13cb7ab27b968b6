/**
 * Pure RPM header encoder: entries → the header blob (intro, index sorted by tag, aligned data,
 * immutable region covering the whole header). See rpm's format_header.md and hregions.md.
 */
import { MAIN_TAG_TYPES, REGION, TYPE, type TagType } from './tags.js';

/**
 * The values of an array entry: an array, or anything iterable again with a known length (a column
 * of the file list made as it is read, instead of an array of 40,000 values held until the end).
 */
export type Column<T> = Iterable<T> & { readonly length: number };

/** One header entry. Strings are written as UTF-8 with a terminating NUL. */
export type HeaderEntry =
  | { tag: number; type: typeof TYPE.STRING | typeof TYPE.I18NSTRING; value: string }
  | { tag: number; type: typeof TYPE.STRING_ARRAY; value: Column<string> }
  | { tag: number; type: typeof TYPE.CHAR | typeof TYPE.INT8 | typeof TYPE.INT16 | typeof TYPE.INT32; value: Column<number> }
  | { tag: number; type: typeof TYPE.INT64; value: Column<number | bigint> }
  | { tag: number; type: typeof TYPE.BIN; value: Uint8Array };

/** Which header is encoded: the main header (region tag 63) or the signature header (62). */
export type HeaderKind = 'main' | 'signature';

export const HEADER_MAGIC = Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]);
const MAX_ARRAY = 0xfffff;
const LIMITS: Record<HeaderKind, { tags: number; data: number }> = {
  main: { tags: 65535, data: 256 << 20 },
  signature: { tags: 32, data: 64 << 20 },
};

export const str = (tag: number, value: string): HeaderEntry => ({ tag, type: TYPE.STRING, value });
export const i18n = (tag: number, value: string): HeaderEntry => ({ tag, type: TYPE.I18NSTRING, value });
export const strArray = (tag: number, value: Column<string>): HeaderEntry => ({ tag, type: TYPE.STRING_ARRAY, value });
export const int16 = (tag: number, value: Column<number>): HeaderEntry => ({ tag, type: TYPE.INT16, value });
export const int32 = (tag: number, value: Column<number>): HeaderEntry => ({ tag, type: TYPE.INT32, value });
export const int64 = (tag: number, value: Column<number | bigint>): HeaderEntry => ({ tag, type: TYPE.INT64, value });
export const bin = (tag: number, value: Uint8Array): HeaderEntry => ({ tag, type: TYPE.BIN, value });

const ALIGN: Record<TagType, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 1, 9: 1 };
const STRING_CLASS = new Set<TagType>([TYPE.STRING, TYPE.STRING_ARRAY, TYPE.I18NSTRING]);

function fail(tag: number, message: string): never {
  throw new TypeError(`rpm header tag ${tag}: ${message}`);
}

function checkString(tag: number, s: string): number {
  if (s.includes('\0')) fail(tag, `string contains a NUL byte: ${JSON.stringify(s)}`);
  return Buffer.byteLength(s, 'utf8') + 1;
}

function intRange(tag: number, v: number, bits: 8 | 16 | 32): number {
  const max = 2 ** bits;
  if (!Number.isInteger(v) || v < -(max / 2) || v >= max) fail(tag, `value ${v} does not fit in ${bits} bits`);
  return v < 0 ? v + max : v;
}

/** Size of an entry's data and its count, its strings checked. */
function dataSize(e: HeaderEntry): { size: number; count: number } {
  switch (e.type) {
    case TYPE.STRING:
    case TYPE.I18NSTRING:
      return { size: checkString(e.tag, e.value), count: 1 };
    case TYPE.STRING_ARRAY: {
      let size = 0;
      for (const v of e.value) size += checkString(e.tag, v);
      return { size, count: e.value.length };
    }
    case TYPE.BIN:
      return { size: e.value.length, count: e.value.length };
    case TYPE.INT64:
      return { size: 8 * e.value.length, count: e.value.length };
    default:
      return { size: (e.type === TYPE.INT16 ? 2 : e.type === TYPE.INT32 ? 4 : 1) * e.value.length, count: e.value.length };
  }
}

/** Write an entry's data (of the size {@link dataSize} gave) into `out` at `pos`; returns where it ended. */
function writeData(e: HeaderEntry, out: Buffer, pos: number): number {
  switch (e.type) {
    case TYPE.STRING:
    case TYPE.I18NSTRING:
      return pos + out.write(e.value, pos, 'utf8') + 1;
    case TYPE.STRING_ARRAY:
      for (const v of e.value) pos += out.write(v, pos, 'utf8') + 1;
      return pos;
    case TYPE.BIN:
      out.set(e.value, pos);
      return pos + e.value.length;
    case TYPE.INT64:
      for (const v of e.value) {
        const big = BigInt(v);
        if (big < -(1n << 63n) || big >= 1n << 64n) fail(e.tag, `value ${v} does not fit in 64 bits`);
        pos = out.writeBigUInt64BE(BigInt.asUintN(64, big), pos);
      }
      return pos;
    default: {
      const bits = e.type === TYPE.INT16 ? 16 : e.type === TYPE.INT32 ? 32 : 8;
      for (const v of e.value) {
        const u = intRange(e.tag, v, bits);
        pos = bits === 8 ? out.writeUInt8(u, pos) : bits === 16 ? out.writeUInt16BE(u, pos) : out.writeUInt32BE(u, pos);
      }
      return pos;
    }
  }
}

/**
 * Encode a complete header blob (magic to end of data). Entries are sorted by tag; the data is
 * laid out in index order with each value aligned to its type's size; the region entry comes
 * first in the index and its 16-byte trailer last in the data, with offset `-(il * 16)`.
 * In the main header, known tags must carry their declared type. Everything is written into one
 * buffer sized first: a buffer per entry, then their concatenation, held the file arrays of a
 * 40,000-file package (5.6 MB) twice over at the build's end.
 */
export function encodeHeader(entries: readonly HeaderEntry[], kind: HeaderKind): Buffer {
  const regionTag = kind === 'main' ? REGION.IMMUTABLE : REGION.SIGNATURES;
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const limits = LIMITS[kind];
  if (sorted.length + 1 > limits.tags) throw new TypeError(`rpm ${kind} header: ${sorted.length + 1} tags exceed the limit of ${limits.tags}`);

  const offsets: number[] = [];
  const sizes: number[] = [];
  const counts: number[] = [];
  let offset = 0;
  let prev = -1;
  for (const e of sorted) {
    if (e.tag === prev) fail(e.tag, 'duplicate tag');
    prev = e.tag;
    if (e.tag < 100) fail(e.tag, 'tags below 100 are reserved for regions');
    if (kind === 'main') {
      const declared = MAIN_TAG_TYPES[e.tag];
      if (declared !== undefined && declared !== e.type && !(STRING_CLASS.has(declared) && STRING_CLASS.has(e.type))) {
        fail(e.tag, `type ${e.type} given, but rpm declares type ${declared}`);
      }
    }
    const { size, count } = dataSize(e);
    if (count < 1) fail(e.tag, 'an entry needs at least one value');
    if (e.type !== TYPE.BIN && count > MAX_ARRAY) fail(e.tag, `${count} values exceed the array limit of ${MAX_ARRAY}`);
    offset += (ALIGN[e.type] - (offset % ALIGN[e.type])) % ALIGN[e.type];
    offsets.push(offset);
    sizes.push(size);
    counts.push(count);
    offset += size;
  }
  const il = sorted.length + 1;
  const dl = offset + 16;
  if (dl > limits.data) throw new TypeError(`rpm ${kind} header: ${dl} data bytes exceed the limit of ${limits.data}`);
  const out = Buffer.alloc(16 + il * 16 + dl);
  const data = 16 + il * 16;
  writeIntro(out, il, dl);
  writeIndexEntry(out, 16, regionTag, TYPE.BIN, dl - 16, 16);
  sorted.forEach((e, i) => {
    writeIndexEntry(out, 32 + i * 16, e.tag, e.type, offsets[i]!, counts[i]!);
    // A column is read twice (sized, then written): it must give the same values both times.
    if (writeData(e, out, data + offsets[i]!) !== data + offsets[i]! + sizes[i]!) fail(e.tag, 'its values changed between the two reads of its column');
  });
  writeIndexEntry(out, data + dl - 16, regionTag, TYPE.BIN, -(il * 16), 16);
  return out;
}

function writeIntro(out: Buffer, il: number, dl: number): void {
  HEADER_MAGIC.copy(out, 0);
  out.writeUInt32BE(il, 8);
  out.writeUInt32BE(dl, 12);
}

function writeIndexEntry(out: Buffer, at: number, tag: number, type: TagType, offset: number, count: number): void {
  out.writeUInt32BE(tag, at);
  out.writeUInt32BE(type, at + 4);
  out.writeInt32BE(offset, at + 8);
  out.writeUInt32BE(count, at + 12);
}

/** A header's 16-byte intro: magic, index entry count, data length. */
export function headerIntro(il: number, dl: number): Buffer {
  const intro = Buffer.alloc(16);
  writeIntro(intro, il, dl);
  return intro;
}

/** One 16-byte index entry: tag, type, data offset, count. */
export function indexEntry(tag: number, type: TagType, offset: number, count: number): Buffer {
  const b = Buffer.alloc(16);
  writeIndexEntry(b, 0, tag, type, offset, count);
  return b;
}
