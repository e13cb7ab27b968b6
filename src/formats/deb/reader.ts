/**
 * Read a .deb: its control area (repository indexes), and for `mkpkg inspect` its file list too.
 * Everything is streamed from the file and bounded by {@link READ_LIMITS}: a hostile package costs
 * a coded error, not unbounded time or memory.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { MkpkgError, isMkpkgError } from '../../errors.js';
import { readArMembers, type ArMember } from '../../archive/ar-read.js';
import { byteLimit } from '../../archive/byte-limit.js';
import { compressionFromName, createDecompressor } from '../../archive/decompress.js';
import { READ_LIMITS, byteSize, type ReadLimits } from '../limits.js';
import { openPackageFile } from '../package-file.js';
import type { PackageFileInfo } from '../types.js';

/** The control area of a .deb. */
export interface DebControl {
  control: Record<string, string>;
  controlText: string;
  /** Maintainer scripts and other executable control files present (`postinst`, …), sorted. */
  scripts: string[];
  conffiles: string[];
}

/** Everything `mkpkg inspect` reports about a .deb: the control area and data.tar's entries (without the `./` root). */
export interface DebInfo extends DebControl {
  files: PackageFileInfo[];
}

const SCRIPT_NAMES = new Set(['preinst', 'postinst', 'prerm', 'postrm', 'config']);

/** Parse one deb822 stanza; continuation lines are joined with `\n` (their leading space removed). */
export function parseControl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      if (last === undefined) throw new Error(`continuation line before any field: ${JSON.stringify(line)}`);
      out[last] += '\n' + line.slice(1);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed control line: ${JSON.stringify(line)}`);
    last = line.slice(0, colon);
    out[last] = line.slice(colon + 1).trim();
  }
  return out;
}

function archiveToAbsolute(name: string): string {
  const p = name.replace(/^\.?\/*/, '/').replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

const TYPES: Partial<Record<NonNullable<Header['type']>, PackageFileInfo['type']>> = {
  file: 'file', 'contiguous-file': 'file', directory: 'dir', symlink: 'symlink', link: 'hardlink',
};

/** Options of the .deb readers. */
export interface DebReadOptions {
  /** Tighter or looser limits than {@link READ_LIMITS} (tests, library users). */
  limits?: Partial<ReadLimits>;
}

type Fail = (why: string, cause?: unknown) => MkpkgError;

/** What to do with the entries of one tar member: `onEntry` gets each header and, if it asked for it, the body. */
interface TarVisit {
  /** The most decompressed bytes the member may expand to, and the message when it does. */
  maxBytes: number;
  tooBig: string;
  /** Return a byte limit to receive the entry's body (larger bodies fail), or undefined to skip it. */
  wantBody(h: Header): number | undefined;
  onEntry(h: Header, body: Buffer | undefined): void;
}

/** The first coded error among `results`, else the first failure, else nothing. */
function firstFailure(results: PromiseSettledResult<unknown>[]): unknown {
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  return failed.find(isMkpkgError) ?? failed[0];
}

async function readTarMember(fh: FileHandle, m: ArMember, visit: TarVisit, fail: Fail): Promise<void> {
  const c = compressionFromName(m.name);
  if (c === undefined) throw fail(`unsupported compression for member ${JSON.stringify(m.name)}`);
  const tar = extract();
  const consume = (async () => {
    for await (const entry of tar) {
      const max = visit.wantBody(entry.header);
      if (max !== undefined && (entry.header.size ?? 0) > max) throw fail(`${entry.header.name} in ${m.name} is larger than ${byteSize(max)}`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) if (max !== undefined) chunks.push(chunk as Buffer);
      visit.onEntry(entry.header, max !== undefined ? Buffer.concat(chunks) : undefined);
    }
  })();
  const source = m.size === 0 ? Readable.from([]) : fh.createReadStream({ start: m.offset, end: m.offset + m.size - 1, autoClose: false });
  const piped = pipeline(source, createDecompressor(c), byteLimit(visit.maxBytes, () => fail(visit.tooBig)), tar);
  // A failed consumer (a limit) must stop the pipeline too, or it would run on to the end.
  consume.catch((e: unknown) => tar.destroy(e as Error));
  const failure = firstFailure(await Promise.allSettled([piped, consume]));
  if (failure !== undefined) throw failure;
}

/** Run `read` on the .deb at `path`; anything but a coded error becomes E_READ_PACKAGE naming the file. */
async function readingDeb<T>(path: string, read: (fh: FileHandle, size: number, fail: Fail) => Promise<T>): Promise<T> {
  const fail: Fail = (why, cause) =>
    new MkpkgError('E_READ_PACKAGE', `${path} is not a readable .deb: ${why}`, {
      hint: 'check that the file is a complete Debian package (dpkg-deb --info FILE)', details: { path }, cause,
    });
  const { fh, size } = await openPackageFile(path);
  try {
    return await read(fh, size, fail);
  } catch (e) {
    if (isMkpkgError(e)) throw e;
    throw fail((e as Error).message, e);
  } finally {
    await fh.close();
  }
}

/** The files of control.tar kept in memory (the rest are only listed by name). */
const KEPT_CONTROL_FILES = new Set(['control', 'conffiles']);

/** Check the ar layout and read control.tar; returns the control area and the data.tar member. */
async function readControlArea(fh: FileHandle, size: number, limits: ReadLimits, fail: Fail): Promise<{ control: DebControl; dataMember: ArMember }> {
  const members = await readArMembers(fh, size, limits.arMembers);
  const db = members[0];
  if (db?.name !== 'debian-binary') throw fail('the first ar member is not debian-binary');
  const buf = Buffer.alloc(Math.min(db.size, 64));
  await fh.read(buf, 0, buf.length, db.offset);
  const versionText = buf.toString('latin1');
  if (!/^2\.\d+\n/.test(versionText)) throw fail(`unsupported format version ${JSON.stringify(versionText.split('\n')[0])}`);
  const controlMember = members.find((m) => m.name.startsWith('control.tar'));
  const dataMember = members.find((m) => m.name.startsWith('data.tar'));
  if (!controlMember) throw fail('no control.tar member');
  if (!dataMember) throw fail('no data.tar member');

  const kept = new Map<string, Buffer>();
  const names: string[] = [];
  await readTarMember(fh, controlMember, {
    maxBytes: limits.controlTarBytes,
    tooBig: `${controlMember.name} expands to more than ${byteSize(limits.controlTarBytes)} (a real control area is far smaller: a damaged file or a decompression bomb)`,
    wantBody: (h) => (h.type === 'file' && KEPT_CONTROL_FILES.has(archiveToAbsolute(h.name).slice(1)) ? limits.controlFileBytes : undefined),
    onEntry: (h, body) => {
      if (h.type !== 'file') return;
      const name = archiveToAbsolute(h.name).slice(1);
      names.push(name);
      if (body) kept.set(name, body);
    },
  }, fail);
  const controlText = kept.get('control')?.toString('utf8');
  if (controlText === undefined) throw fail('control.tar has no control file');
  const conffiles = (kept.get('conffiles')?.toString('utf8') ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const scripts = [...new Set(names.filter((n) => SCRIPT_NAMES.has(n)))].sort();
  let control: Record<string, string>;
  try {
    control = parseControl(controlText);
  } catch (e) {
    throw fail(`bad control file: ${(e as Error).message}`, e);
  }
  return { control: { control, controlText, scripts, conffiles }, dataMember };
}

/** How far data.tar may expand: {@link ReadLimits.dataTarMinBytes}, or beyond that its expansion limit times its compressed size. */
function dataTarBound(dataMember: ArMember, limits: ReadLimits): Pick<TarVisit, 'maxBytes' | 'tooBig'> {
  const maxBytes = Math.max(limits.dataTarMinBytes, dataMember.size * limits.dataTarExpansion);
  return { maxBytes, tooBig: `${dataMember.name} expands to more than ${byteSize(maxBytes)}, over ${limits.dataTarExpansion} times its compressed size (a decompression bomb?)` };
}

/** Read the control area of the .deb at `path`, without decompressing data.tar. Throws E_READ_PACKAGE when it is not a well-formed .deb. */
export async function readDebControl(path: string, options: DebReadOptions = {}): Promise<DebControl> {
  const limits = { ...READ_LIMITS, ...options.limits };
  return readingDeb(path, async (fh, size, fail) => (await readControlArea(fh, size, limits, fail)).control);
}

/** Read `path` as a .deb, data.tar's entries included. Throws E_READ_PACKAGE when it is not a well-formed one. */
export async function inspectDeb(path: string, options: DebReadOptions = {}): Promise<DebInfo> {
  const limits = { ...READ_LIMITS, ...options.limits };
  return readingDeb(path, async (fh, size, fail) => {
    const { control, dataMember } = await readControlArea(fh, size, limits, fail);
    const files: PackageFileInfo[] = [];
    let nameBytes = 0;
    await readTarMember(fh, dataMember, {
      ...dataTarBound(dataMember, limits),
      wantBody: () => undefined,
      onEntry: (h) => {
        const p = archiveToAbsolute(h.name);
        if (p === '/') return;
        if (files.length >= limits.dataTarEntries) throw fail(`${dataMember.name} has more than ${limits.dataTarEntries} entries`);
        nameBytes += p.length + (h.linkname?.length ?? 0);
        if (nameBytes > limits.dataTarNameBytes) throw fail(`the names in ${dataMember.name} take more than ${byteSize(limits.dataTarNameBytes)}`);
        const type = TYPES[h.type ?? 'file'] ?? 'other';
        const info: PackageFileInfo = { path: p, mode: (h.mode ?? 0) & 0o7777, type, owner: h.uname ?? '', group: h.gname ?? '', size: h.size ?? 0 };
        if (type === 'symlink' && h.linkname) info.linkTarget = h.linkname;
        if (type === 'hardlink' && h.linkname) info.linkTarget = archiveToAbsolute(h.linkname);
        files.push(info);
      },
    }, fail);
    return { ...control, files };
  });
}

/**
 * The content of one file of data.tar (absolute path, e.g. `/usr/share/doc/x/changelog.Debian.gz`),
 * or undefined when absent. The file may be at most `maxFileBytes` (default 4 MiB).
 */
export async function readDebDataFile(path: string, file: string, options: DebReadOptions & { maxFileBytes?: number } = {}): Promise<Buffer | undefined> {
  const limits = { ...READ_LIMITS, ...options.limits };
  const maxFile = options.maxFileBytes ?? limits.controlFileBytes;
  return readingDeb(path, async (fh, size, fail) => {
    const { dataMember } = await readControlArea(fh, size, limits, fail);
    let found: Buffer | undefined;
    const wanted = (h: Header) => h.type === 'file' && archiveToAbsolute(h.name) === file;
    await readTarMember(fh, dataMember, {
      ...dataTarBound(dataMember, limits),
      wantBody: (h) => (wanted(h) ? maxFile : undefined),
      onEntry: (h, body) => { if (body && wanted(h)) found = body; },
    }, fail);
    return found;
  });
}
