/**
 * A gzip file as its members (RFC 1952 §2.2: a gzip file is a series of members; zlib's readers,
 * and so dnf, createrepo_c and apt, decode them as one stream). Reading keeps each member's byte
 * range, so a document written as several members can be extended by re-using the compressed
 * bytes of the members that did not change.
 */
import { crc32, gzipSync, inflateRawSync } from 'node:zlib';

/** One member: its bytes in the file and the bytes it decompresses to, in the whole open content. */
export interface GzipMember {
  start: number;
  end: number;
  openStart: number;
  openEnd: number;
}

/** The open content of a gzip file and its members. */
export interface GzipMembers {
  open: Buffer;
  members: GzipMember[];
}

/** What reading one gzip file may decompress to at most (a repository document far larger than any real one). */
export const MAX_OPEN_BYTES = 1 << 30;

const FLAG = { FHCRC: 0x02, FEXTRA: 0x04, FNAME: 0x08, FCOMMENT: 0x10 };

/** Where the deflate data of the member at `at` starts (after its header). */
function afterHeader(gz: Buffer, at: number): number {
  if (gz.length < at + 18 || gz[at] !== 0x1f || gz[at + 1] !== 0x8b || gz[at + 2] !== 8) throw new Error(`no gzip member at byte ${at}`);
  const flags = gz[at + 3]!;
  let p = at + 10;
  if (flags & FLAG.FEXTRA) p += 2 + gz.readUInt16LE(p);
  for (const f of [FLAG.FNAME, FLAG.FCOMMENT]) {
    if (!(flags & f)) continue;
    const zero = gz.indexOf(0, p);
    if (zero < 0) throw new Error('truncated gzip header');
    p = zero + 1;
  }
  if (flags & FLAG.FHCRC) p += 2;
  if (p > gz.length) throw new Error('truncated gzip header');
  return p;
}

/**
 * Split `gz` into members, decompressing each (bounded by {@link MAX_OPEN_BYTES} in all) and checking its CRC and size.
 * Trailing bytes that start no member are ignored (then the last member ends before the end of `gz`).
 */
export function readGzipMembers(gz: Buffer, maxOpen = MAX_OPEN_BYTES): GzipMembers {
  const parts: Buffer[] = [];
  const members: GzipMember[] = [];
  let openSize = 0;
  for (let at = 0; at < gz.length;) {
    // Bytes after the last member that start no other (padding some writers add) end the content, as for gzip -d.
    if (members.length && (gz[at] !== 0x1f || gz[at + 1] !== 0x8b)) break;
    const data = afterHeader(gz, at);
    const { buffer, engine } = inflateRawSync(gz.subarray(data), { info: true, maxOutputLength: Math.max(1, maxOpen - openSize) }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    const trailer = data + engine.bytesWritten;
    if (trailer + 8 > gz.length) throw new Error('truncated gzip member');
    if (gz.readUInt32LE(trailer) !== crc32(buffer) || gz.readUInt32LE(trailer + 4) !== (buffer.length >>> 0)) throw new Error(`gzip member at byte ${at} fails its check`);
    members.push({ start: at, end: trailer + 8, openStart: openSize, openEnd: openSize + buffer.length });
    openSize += buffer.length;
    parts.push(buffer);
    at = trailer + 8;
  }
  return { open: Buffer.concat(parts, openSize), members };
}

/** One gzip member holding `data` (reproducible: no name, no time). */
export const gzipMember = (data: Uint8Array | string, level = 6): Buffer => gzipSync(data, { level });
