/** Read a .deb: its control area (repository indexes), and for `mkpkg inspect` its file list too. */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { MkpkgError, isMkpkgError } from '../../errors.js';
import { readArMembers, type ArMember } from '../../archive/ar-read.js';
import { compressionFromName, createDecompressor } from '../../archive/decompress.js';
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

async function readTarMember(path: string, m: ArMember, onEntry: (h: Header, body: Buffer | undefined) => void, wantBody: boolean): Promise<void> {
  const c = compressionFromName(m.name);
  if (c === undefined) throw new Error(`unsupported compression for member ${m.name}`);
  const tar = extract();
  const consume = (async () => {
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) if (wantBody) chunks.push(chunk as Buffer);
      onEntry(entry.header, wantBody ? Buffer.concat(chunks) : undefined);
    }
  })();
  const source = m.size === 0 ? Readable.from([]) : createReadStream(path, { start: m.offset, end: m.offset + m.size - 1 });
  await Promise.all([pipeline(source, createDecompressor(c), tar), consume]);
}

/** Run `read` on the .deb at `path`; anything but a coded error becomes E_READ_PACKAGE naming the file. */
async function readingDeb<T>(path: string, read: (fail: (why: string, cause?: unknown) => MkpkgError) => Promise<T>): Promise<T> {
  const fail = (why: string, cause?: unknown) =>
    new MkpkgError('E_READ_PACKAGE', `${path} is not a readable .deb: ${why}`, {
      hint: 'check that the file is a complete Debian package (dpkg-deb --info FILE)', details: { path }, cause,
    });
  try {
    return await read(fail);
  } catch (e) {
    if (isMkpkgError(e)) throw e;
    throw fail((e as Error).message, e);
  }
}

/** Check the ar layout and read control.tar; returns the control area and the data.tar member. */
async function readControlArea(path: string, fail: (why: string) => MkpkgError): Promise<{ control: DebControl; dataMember: ArMember }> {
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  let members: ArMember[];
  let versionText = '';
  try {
    members = await readArMembers(fh, size);
    const db = members[0];
    if (db?.name !== 'debian-binary') throw fail('the first ar member is not debian-binary');
    const buf = Buffer.alloc(Math.min(db.size, 64));
    await fh.read(buf, 0, buf.length, db.offset);
    versionText = buf.toString('latin1');
  } finally {
    await fh.close();
  }
  if (!/^2\.\d+\n/.test(versionText)) throw fail(`unsupported format version ${JSON.stringify(versionText.split('\n')[0])}`);
  const controlMember = members.find((m) => m.name.startsWith('control.tar'));
  const dataMember = members.find((m) => m.name.startsWith('data.tar'));
  if (!controlMember) throw fail('no control.tar member');
  if (!dataMember) throw fail('no data.tar member');

  const controlFiles = new Map<string, Buffer>();
  await readTarMember(path, controlMember, (h, body) => {
    if (h.type === 'file' && body) controlFiles.set(archiveToAbsolute(h.name).slice(1), body);
  }, true);
  const controlText = controlFiles.get('control')?.toString('utf8');
  if (controlText === undefined) throw fail('control.tar has no control file');
  const conffiles = (controlFiles.get('conffiles')?.toString('utf8') ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const scripts = [...controlFiles.keys()].filter((n) => SCRIPT_NAMES.has(n)).sort();
  return { control: { control: parseControl(controlText), controlText, scripts, conffiles }, dataMember };
}

/** Read the control area of the .deb at `path`, without decompressing data.tar. Throws E_READ_PACKAGE when it is not a well-formed .deb. */
export async function readDebControl(path: string): Promise<DebControl> {
  return readingDeb(path, async (fail) => (await readControlArea(path, fail)).control);
}

/** Read `path` as a .deb, data.tar's entries included. Throws E_READ_PACKAGE when it is not a well-formed one. */
export async function inspectDeb(path: string): Promise<DebInfo> {
  return readingDeb(path, async (fail) => {
    const { control, dataMember } = await readControlArea(path, fail);
    const files: PackageFileInfo[] = [];
    await readTarMember(path, dataMember, (h) => {
      const p = archiveToAbsolute(h.name);
      if (p === '/') return;
      const type = TYPES[h.type ?? 'file'] ?? 'other';
      const info: PackageFileInfo = { path: p, mode: (h.mode ?? 0) & 0o7777, type, owner: h.uname ?? '', group: h.gname ?? '', size: h.size ?? 0 };
      if (type === 'symlink' && h.linkname) info.linkTarget = h.linkname;
      if (type === 'hardlink' && h.linkname) info.linkTarget = archiveToAbsolute(h.linkname);
      files.push(info);
    }, false);
    return { ...control, files };
  });
}

/** The content of one file of data.tar (absolute path, e.g. `/usr/share/doc/x/changelog.Debian.gz`), or undefined when absent. */
export async function readDebDataFile(path: string, file: string): Promise<Buffer | undefined> {
  return readingDeb(path, async (fail) => {
    const { dataMember } = await readControlArea(path, fail);
    let found: Buffer | undefined;
    await readTarMember(path, dataMember, (h, body) => {
      if (h.type === 'file' && archiveToAbsolute(h.name) === file) found = body;
    }, true);
    return found;
  });
}
