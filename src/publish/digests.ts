/** MD5/SHA-1/SHA-256 of a file (streamed) or of bytes in memory, with the size: what apt indexes list. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The digests apt repository indexes carry for one file. */
export interface Digests {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
}

const ALGOS = ['md5', 'sha1', 'sha256'] as const;

/** Digests of bytes in memory. */
export function digestBytes(data: Uint8Array): Digests {
  const [md5, sha1, sha256] = ALGOS.map((a) => createHash(a).update(data).digest('hex')) as [string, string, string];
  return { size: data.length, md5, sha1, sha256 };
}

/** Digests of a file, read once as a stream. */
export async function digestFile(path: string): Promise<Digests> {
  const hashes = ALGOS.map((a) => createHash(a));
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    size += (chunk as Buffer).length;
    for (const h of hashes) h.update(chunk as Buffer);
  }
  const [md5, sha1, sha256] = hashes.map((h) => h.digest('hex')) as [string, string, string];
  return { size, md5, sha1, sha256 };
}
