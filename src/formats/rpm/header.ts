/**
 * Pure RPM header encoder: entries → the header blob (intro, index sorted by tag, aligned data,
 * immutable region covering the whole header). See rpm's format_header.md and hregions.md.
 */
import { MAIN_TAG_TYPES, REGION, TYPE, type TagType } from './tags.js';

/** One header entry. Strings are written as UTF-8 with a terminating NUL. */
export type HeaderEntry =
  | { tag: number; type: typeof TYPE.STRING | typeof TYPE.I18NSTRING; value: string }
  | { tag: number; type: typeof TYPE.STRING_ARRAY; value: readonly string[] }
  | { tag: number; type: typeof TYPE.CHAR | typeof TYPE.INT8 | typeof TYPE.INT16 | typeof TYPE.INT32; value: readonly number[] }
  | { tag: number; type: typeof TYPE.INT64; value: readonly (number | bigint)[] }
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
export const strArray = (tag: number, value: readonly string[]): HeaderEntry => ({ tag, type: TYPE.STRING_ARRAY, value });
export const int16 = (tag: number, value: readonly number[]): HeaderEntry => ({ tag, type: TYPE.INT16, value });
export const int32 = (tag: number, value: readonly number[]): HeaderEntry => ({ tag, type: TYPE.INT32, value });
export const int64 = (tag: number, value: readonly (number | bigint)[]): HeaderEntry => ({ tag, type: TYPE.INT64, value });
export const bin = (tag: number, value: Uint8Array): HeaderEntry => ({ tag, type: TYPE.BIN, value });

const ALIGN: Record<TagType, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 1, 9: 1 };
const STRING_CLASS = new Set<TagType>([TYPE.STRING, TYPE.STRING_ARRAY, TYPE.I18NSTRING]);

function fail(tag: number, message: string): never {
  throw new TypeError(`rpm header tag ${tag}: ${message}`);
}

function cstring(tag: number, s: string): Buffer {
  if (s.includes('\0')) fail(tag, `string contains a NUL byte: ${JSON.stringify(s)}`);
  return Buffer.from(`${s}\0`, 'utf8');
}

/**
 * NUL-terminated strings back to back, written into one Buffer: a Buffer per string (8 file arrays
 * of 20,000 names) was the largest heap peak of an rpm build.
 */
function stringArray(tag: number, values: readonly string[]): Buffer {
  let size = 0;
  for (const s of values) {
    if (s.includes('\0')) fail(tag, `string contains a NUL byte: ${JSON.stringify(s)}`);
    size += Buffer.byteLength(s, 'utf8') + 1;
  }
  const out = Buffer.alloc(size);
  let pos = 0;
  for (const s of values) pos += out.write(s, pos, 'utf8') + 1;
  return out;
}

function intRange(tag: number, v: number, bits: 8 | 16 | 32): number {
  const max = 2 ** bits;
  if (!Number.isInteger(v) || v < -(max / 2) || v >= max) fail(tag, `value ${v} does not fit in ${bits} bits`);
  return v < 0 ? v + max : v;
}

/** Encode one entry's data and its count. */
function encodeData(e: HeaderEntry): { data: Buffer; count: number } {
  switch (e.type) {
    case TYPE.STRING:
    case TYPE.I18NSTRING:
      return { data: cstring(e.tag, e.value), count: 1 };
    case TYPE.STRING_ARRAY:
      return { data: stringArray(e.tag, e.value), count: e.value.length };
    case TYPE.BIN:
      return { data: Buffer.from(e.value), count: e.value.length };
    case TYPE.INT64: {
      const b = Buffer.alloc(8 * e.value.length);
      e.value.forEach((v, i) => {
        const big = BigInt(v);
        if (big < -(1n << 63n) || big >= 1n << 64n) fail(e.tag, `value ${v} does not fit in 64 bits`);
        b.writeBigUInt64BE(BigInt.asUintN(64, big), i * 8);
      });
      return { data: b, count: e.value.length };
    }
    default: {
      const size = e.type === TYPE.INT16 ? 2 : e.type === TYPE.INT32 ? 4 : 1;
      const b = Buffer.alloc(size * e.value.length);
      e.value.forEach((v, i) => {
        const u = intRange(e.tag, v, (size * 8) as 8 | 16 | 32);
        if (size === 1) b.writeUInt8(u, i);
        else if (size === 2) b.writeUInt16BE(u, i * 2);
        else b.writeUInt32BE(u, i * 4);
      });
      return { data: b, count: e.value.length };
    }
  }
}

/**
 * Encode a complete header blob (magic to end of data). Entries are sorted by tag; the data is
 * laid out in index order with each value aligned to its type's size; the region entry comes
 * first in the index and its 16-byte trailer last in the data, with offset `-(il * 16)`.
 * In the main header, known tags must carry their declared type.
 */
export function encodeHeader(entries: readonly HeaderEntry[], kind: HeaderKind): Buffer {
  const regionTag = kind === 'main' ? REGION.IMMUTABLE : REGION.SIGNATURES;
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const limits = LIMITS[kind];
  if (sorted.length + 1 > limits.tags) throw new TypeError(`rpm ${kind} header: ${sorted.length + 1} tags exceed the limit of ${limits.tags}`);

  const index: Buffer[] = [];
  const chunks: Buffer[] = [];
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
    const { data, count } = encodeData(e);
    if (count < 1) fail(e.tag, 'an entry needs at least one value');
    if (e.type !== TYPE.BIN && count > MAX_ARRAY) fail(e.tag, `${count} values exceed the array limit of ${MAX_ARRAY}`);
    const pad = (ALIGN[e.type] - (offset % ALIGN[e.type])) % ALIGN[e.type];
    if (pad) chunks.push(Buffer.alloc(pad));
    offset += pad;
    index.push(indexEntry(e.tag, e.type, offset, count));
    chunks.push(data);
    offset += data.length;
  }
  const il = index.length + 1;
  chunks.push(indexEntry(regionTag, TYPE.BIN, -(il * 16), 16));
  const dl = offset + 16;
  if (dl > limits.data) throw new TypeError(`rpm ${kind} header: ${dl} data bytes exceed the limit of ${limits.data}`);
  return Buffer.concat([headerIntro(il, dl), indexEntry(regionTag, TYPE.BIN, dl - 16, 16), ...index, ...chunks]);
}

/** A header's 16-byte intro: magic, index entry count, data length. */
export function headerIntro(il: number, dl: number): Buffer {
  const intro = Buffer.alloc(16);
  HEADER_MAGIC.copy(intro, 0);
  intro.writeUInt32BE(il, 8);
  intro.writeUInt32BE(dl, 12);
  return intro;
}

/** One 16-byte index entry: tag, type, data offset, count. */
export function indexEntry(tag: number, type: TagType, offset: number, count: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(tag, 0);
  b.writeUInt32BE(type, 4);
  b.writeInt32BE(offset, 8);
  b.writeUInt32BE(count, 12);
  return b;
}
