/** Opening a package file for reading: only a regular file is read, and opening never blocks. */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { MkpkgError } from '../errors.js';

/** An open (package) file and its size. */
export interface PackageFile {
  fh: FileHandle;
  size: number;
}

const HINT = 'give the path of a .deb or .rpm file';

function kindOf(s: import('node:fs').Stats): string {
  return s.isDirectory() ? 'a directory' : s.isFIFO() ? 'a FIFO (named pipe)' : s.isSocket() ? 'a socket'
    : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : 'not a regular file';
}

/**
 * Open `path` read-only without blocking (O_NONBLOCK: a FIFO would wait for a writer) and check, on
 * the open handle (no race with a rename), that it is a regular file; otherwise the handle is closed
 * and `refuse(what)` thrown, `what` naming the kind (`a FIFO (named pipe)`). Open errors (ENOENT…) are
 * thrown as they are.
 */
export async function openRegularFile(path: string, refuse: (what: string) => Error): Promise<PackageFile> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw refuse(kindOf(s));
    return { fh, size: s.size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Open a package for reading through {@link openRegularFile}: anything but a regular file, or a failed open, is E_READ_PACKAGE naming it. */
export async function openPackageFile(path: string): Promise<PackageFile> {
  const refuse = (what: string) => new MkpkgError('E_READ_PACKAGE', `${path} is ${what}, not a package file`, { hint: HINT, details: { path } });
  try {
    return await openRegularFile(path, refuse);
  } catch (e) {
    if (e instanceof MkpkgError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new MkpkgError('E_READ_PACKAGE', `cannot open package ${path} (${code})`, { hint: HINT, details: { path }, cause: e });
  }
}

/** Read the first `n` bytes of `path` (fewer if the file is shorter), through {@link openPackageFile}. */
async function readPackageHead(path: string, n: number): Promise<Buffer> {
  const { fh } = await openPackageFile(path);
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Tell a .deb (`!<arch>` ar magic) from an .rpm (lead magic); anything else is E_READ_PACKAGE. */
export async function packageKind(path: string): Promise<'deb' | 'rpm'> {
  const head = await readPackageHead(path, 8);
  if (head.length === 8 && head.toString('latin1') === '!<arch>\n') return 'deb';
  if (head.length >= 4 && head.readUInt32BE(0) === 0xedabeedb) return 'rpm';
  throw new MkpkgError('E_READ_PACKAGE', `${path} is neither a .deb (ar archive) nor an .rpm (lead magic ${head.subarray(0, 4).toString('hex') || 'missing: empty file'})`, {
    hint: HINT, details: { path },
  });
}
