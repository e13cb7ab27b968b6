/** MD5/SHA-1/SHA-256/SHA-512 of a file (streamed) or of bytes in memory, with the size: what repository indexes list. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MkpkgError } from '../errors.js';

/** The digests repository indexes carry for one file. */
export interface Digests {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  sha512: string;
}

const ALGOS = ['md5', 'sha1', 'sha256', 'sha512'] as const;

function result(size: number, hex: string[]): Digests {
  const [md5, sha1, sha256, sha512] = hex as [string, string, string, string];
  return { size, md5, sha1, sha256, sha512 };
}

/** Digests of bytes in memory. */
export function digestBytes(data: Uint8Array): Digests {
  return result(data.length, ALGOS.map((a) => createHash(a).update(data).digest('hex')));
}

/** The SHA-256 of bytes in memory, in hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Digests of a file, read once as a stream. */
export async function digestFile(path: string): Promise<Digests> {
  const hashes = ALGOS.map((a) => createHash(a));
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      size += (chunk as Buffer).length;
      for (const h of hashes) h.update(chunk as Buffer);
    }
  } catch (e) {
    throw new MkpkgError('E_READ_PACKAGE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { hint: 'check the path of the package', cause: e });
  }
  return result(size, hashes.map((h) => h.digest('hex')));
}
