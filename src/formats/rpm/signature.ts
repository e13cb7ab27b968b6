/**
 * The signature header: header digests (SHA1, SHA256), size, MD5 over header + payload,
 * uncompressed payload size, reserved space, and an optional OpenPGP signature over the header.
 */
import { bin, encodeHeader, int32, int64, str, type HeaderEntry } from './header.js';
import { SIGTAG } from './tags.js';

/** rpmbuild's default reserved space (32 + %__gpg_reserved_space 4096) so rpmsign can sign in place. */
export const RESERVED_SPACE = 4128;

export interface SignatureInput {
  /** sha1 hex of the main header blob. */
  headerSha1: string;
  /** sha256 hex of the main header blob. */
  headerSha256: string;
  /** Header blob + compressed payload, in bytes. */
  size: number;
  /** MD5 of header blob + compressed payload. */
  md5: Uint8Array;
  /** Uncompressed cpio size. */
  archiveSize: number;
  /** OpenPGP signature over the header and the tag it goes in (RSA 268, DSA 267). */
  pgp?: { tag: number; signature: Uint8Array };
}

const U32_MAX = 0xffffffff;

/** Encode the signature header, padded with zeros to a multiple of 8. */
export function encodeSignature(s: SignatureInput): Buffer {
  const entries: HeaderEntry[] = [
    str(SIGTAG.SHA1, s.headerSha1),
    str(SIGTAG.SHA256, s.headerSha256),
    bin(SIGTAG.MD5, s.md5),
    s.size > U32_MAX ? int64(SIGTAG.LONGSIZE, [s.size]) : int32(SIGTAG.SIZE, [s.size]),
    s.archiveSize > U32_MAX ? int64(SIGTAG.LONGARCHIVESIZE, [s.archiveSize]) : int32(SIGTAG.PAYLOADSIZE, [s.archiveSize]),
  ];
  let reserved = RESERVED_SPACE;
  if (s.pgp) {
    entries.push(bin(s.pgp.tag, s.pgp.signature));
    reserved = Math.max(32, RESERVED_SPACE - s.pgp.signature.length - 16);
  }
  entries.push(bin(SIGTAG.RESERVEDSPACE, new Uint8Array(reserved)));
  const blob = encodeHeader(entries, 'signature');
  const pad = (8 - (blob.length % 8)) % 8;
  return pad ? Buffer.concat([blob, Buffer.alloc(pad)]) : blob;
}
