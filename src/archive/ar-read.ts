/** Read the member table of an `ar` archive (as used by .deb). */
import type { FileHandle } from 'node:fs/promises';
import { AR_MAGIC } from './ar.js';

/** One member: its name (without a trailing `/`), where its data starts, and its size. */
export interface ArMember {
  name: string;
  offset: number;
  size: number;
}

/**
 * List the members of the ar archive in `fh` (`fileSize` bytes), at most `maxMembers` of them.
 * Throws an Error describing the first problem.
 */
export async function readArMembers(fh: FileHandle, fileSize: number, maxMembers = Infinity): Promise<ArMember[]> {
  const magic = Buffer.alloc(8);
  await fh.read(magic, 0, 8, 0);
  if (magic.toString('latin1') !== AR_MAGIC) throw new Error('not an ar archive (bad magic)');
  const members: ArMember[] = [];
  const header = Buffer.alloc(60);
  let pos = 8;
  while (pos < fileSize) {
    if (members.length >= maxMembers) throw new Error(`more than ${maxMembers} ar members`);
    const { bytesRead } = await fh.read(header, 0, 60, pos);
    if (bytesRead < 60) throw new Error(`truncated ar member header at byte ${pos}`);
    const text = header.toString('latin1');
    if (text.slice(58, 60) !== '`\n') throw new Error(`bad ar member header at byte ${pos}`);
    const name = text.slice(0, 16).trimEnd().replace(/\/$/, '');
    const sizeText = text.slice(48, 58).trim();
    const size = /^\d+$/.test(sizeText) ? Number(sizeText) : NaN;
    if (!Number.isSafeInteger(size)) throw new Error(`bad size in ar member ${name}`);
    const offset = pos + 60;
    if (offset + size > fileSize) throw new Error(`ar member ${name} is truncated (${size} bytes declared at byte ${offset}, file has ${fileSize})`);
    members.push({ name, offset, size });
    pos = offset + size + (size % 2);
  }
  return members;
}
