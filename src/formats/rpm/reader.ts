/**
 * Reader for `mkpkg inspect FILE.rpm`: parses the lead, the signature header and the main header
 * (the payload is not read) into plain data. Anything malformed is E_READ_PACKAGE.
 */
import { MkpkgError } from '../../errors.js';
import { READ_LIMITS, byteSize, type ReadLimits } from '../limits.js';
import { openPackageFile } from '../package-file.js';
import { RPM_RELATION_KINDS, type RpmDependency, type RpmRelationKind, type RpmScriptName } from '../../config/resolved.js';
import { RELATION_TAGS, dependencyText } from './deps.js';
import { HEADER_MAGIC } from './header.js';
import { LEAD_MAGIC, LEAD_SIZE } from './lead.js';
import { SCRIPT_TAGS } from './main-header.js';
import { FILEFLAG, REGION, SIGTAG, TAG, TAG_NAMES, TYPE } from './tags.js';
import type { PackageFileInfo } from '../types.js';

/** A decoded header value: strings, string arrays, numbers, bigints (INT64) or bytes (BIN). */
export type TagValue = string | string[] | number[] | bigint[] | Uint8Array;

/** One file of an inspected package. */
export interface InspectedFile extends PackageFileInfo {
  mtime: number;
  digest: string;
  /** Names of the RPMFILE_* flags set (config, noreplace, ghost, …). */
  flags: string[];
}

/** A dependency as stored, plus its text form (`nodejs >= 18`). */
export interface InspectedDependency extends RpmDependency {
  text: string;
}

/** What `mkpkg inspect` shows for an .rpm; each relation kind (requires, provides, …) is a top-level list. */
export interface RpmInspection extends Record<RpmRelationKind, InspectedDependency[]> {
  format: 'rpm';
  /** Main-header tags by lower-case name (name, version, release, arch, summary, …), file and dependency arrays excluded. */
  tags: Record<string, unknown>;
  files: InspectedFile[];
  scripts: { name: RpmScriptName; interpreter: string; body: string }[];
  signature: { sha1?: string; sha256?: string; md5?: string; size?: number; payloadSize?: number; openpgp?: 'rsa' | 'dsa' };
  /** Byte offset of the main header (its end is {@link payloadOffset}): repodata's `rpm:header-range`. */
  headerStart: number;
  /** Byte offset of the compressed payload. */
  payloadOffset: number;
}

const bad = (file: string, why: string): never => {
  throw new MkpkgError('E_READ_PACKAGE', `${file} is not a valid rpm package: ${why}`, {
    hint: 'check that the file is a complete .rpm (not truncated or another format)', details: { path: file },
  });
};

/** Options of the rpm readers. */
export interface RpmReadOptions {
  /** Tighter or looser limits than {@link READ_LIMITS} (tests, library users). */
  limits?: Partial<ReadLimits>;
}

/** Refuse an index count or data length beyond the limits before anything is allocated for them. */
function checkHeaderSize(file: string, where: string, il: number, dl: number, limits: ReadLimits): void {
  if (il > limits.rpmHeaderEntries) bad(file, `${where} declares ${il} index entries (at most ${limits.rpmHeaderEntries} are read)`);
  if (dl > limits.rpmHeaderDataBytes) bad(file, `${where} declares ${byteSize(dl)} of data (at most ${byteSize(limits.rpmHeaderDataBytes)} are read)`);
}

/** Bytes per value of the fixed-size types. */
const WIDTH: Partial<Record<number, number>> = { [TYPE.INT64]: 8, [TYPE.INT32]: 4, [TYPE.INT16]: 2, [TYPE.BIN]: 1, [TYPE.CHAR]: 1, [TYPE.INT8]: 1 };

/** Decode one header blob (starting at its magic). Returns the entries by tag and the blob length. */
export function parseHeader(buf: Buffer, file = 'header', options: RpmReadOptions = {}): { tags: Map<number, TagValue>; length: number } {
  const limits = { ...READ_LIMITS, ...options.limits };
  if (buf.length < 16 || !buf.subarray(0, 8).equals(HEADER_MAGIC)) bad(file, 'bad header magic');
  const il = buf.readUInt32BE(8);
  const dl = buf.readUInt32BE(12);
  checkHeaderSize(file, 'the header', il, dl, limits);
  const length = 16 + il * 16 + dl;
  if (buf.length < length) bad(file, `truncated header (${il} entries, ${dl} data bytes)`);
  const data = buf.subarray(16 + il * 16, length);
  const tags = new Map<number, TagValue>();
  let values = 0;
  for (let i = 0; i < il; i++) {
    const at = 16 + i * 16;
    const tag = buf.readUInt32BE(at);
    const type = buf.readUInt32BE(at + 4);
    const off = buf.readInt32BE(at + 8);
    const count = buf.readUInt32BE(at + 12);
    if (tag === REGION.IMMUTABLE || tag === REGION.SIGNATURES) continue;
    if (off < 0 || off > dl) bad(file, `tag ${tag} has offset ${off} outside the data`);
    // A count the data cannot hold is refused before anything is decoded; then the values of all tags together are bounded.
    const width = WIDTH[type] ?? 1;
    if (count > (dl - off) / width) bad(file, `tag ${tag} declares ${count} values, more than its ${dl - off} data bytes can hold`);
    values += count;
    if (values > limits.rpmHeaderValues) bad(file, `the header holds more than ${limits.rpmHeaderValues} values`);
    tags.set(tag, decode(data, off, type, count, () => bad(file, `tag ${tag} runs past the data`)));
  }
  return { tags, length };
}

function decode(data: Buffer, off: number, type: number, count: number, overflow: () => never): TagValue {
  const need = (n: number) => { if (off + n > data.length) overflow(); };
  switch (type) {
    case TYPE.STRING: case TYPE.STRING_ARRAY: case TYPE.I18NSTRING: {
      const out: string[] = [];
      let p = off;
      for (let i = 0; i < count; i++) {
        const end = data.indexOf(0, p);
        if (end < 0) overflow();
        out.push(data.toString('utf8', p, end));
        p = end + 1;
      }
      return type === TYPE.STRING_ARRAY ? out : out[0] ?? '';
    }
    case TYPE.BIN: need(count); return new Uint8Array(data.subarray(off, off + count));
    case TYPE.INT64: need(count * 8); return Array.from({ length: count }, (_, i) => data.readBigUInt64BE(off + i * 8));
    case TYPE.INT32: need(count * 4); return Array.from({ length: count }, (_, i) => data.readUInt32BE(off + i * 4));
    case TYPE.INT16: need(count * 2); return Array.from({ length: count }, (_, i) => data.readUInt16BE(off + i * 2));
    default: need(count); return Array.from(data.subarray(off, off + count));
  }
}

type Handle = import('node:fs/promises').FileHandle;

/** Bytes `pos`..`pos + n` of the file into `into` at `at` (a new buffer of `n` bytes by default). */
async function readExact(fh: Handle, pos: number, n: number, file: string, into = Buffer.alloc(n), at = 0): Promise<Buffer> {
  const { bytesRead } = await fh.read(into, at, n, pos);
  if (bytesRead !== n) bad(file, `unexpected end of file at byte ${pos + bytesRead}`);
  return into;
}

async function readHeaderAt(fh: Handle, pos: number, fileSize: number, file: string, options: RpmReadOptions) {
  const intro = await readExact(fh, pos, 16, file);
  if (!intro.subarray(0, 8).equals(HEADER_MAGIC)) bad(file, `no header magic at byte ${pos}`);
  const il = intro.readUInt32BE(8);
  const dl = intro.readUInt32BE(12);
  checkHeaderSize(file, `the header at byte ${pos}`, il, dl, { ...READ_LIMITS, ...options.limits });
  const rest = il * 16 + dl;
  if (pos + 16 + rest > fileSize) bad(file, `the header at byte ${pos} needs ${16 + rest} bytes, the file ends at byte ${fileSize}`);
  const blob = Buffer.alloc(16 + rest);
  intro.copy(blob);
  return parseHeader(await readExact(fh, pos + 16, rest, file, blob, 16), file, options);
}

const num = (v: TagValue | undefined, i = 0): number => (Array.isArray(v) ? Number(v[i] ?? 0) : 0);
const strs = (v: TagValue | undefined): string[] => (Array.isArray(v) && typeof v[0] === 'string' ? (v as string[]) : typeof v === 'string' ? [v] : []);
const nums = (v: TagValue | undefined): number[] => (Array.isArray(v) && typeof v[0] !== 'string' ? (v as (number | bigint)[]).map(Number) : []);
const hex = (v: TagValue | undefined) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : undefined);

const OMIT = new Set<number>([
  TAG.HEADERI18NTABLE, TAG.FILESIZES, TAG.LONGFILESIZES, TAG.FILEMODES, TAG.FILERDEVS, TAG.FILEMTIMES, TAG.FILEDIGESTS,
  TAG.FILELINKTOS, TAG.FILEFLAGS, TAG.FILEUSERNAME, TAG.FILEGROUPNAME, TAG.FILEVERIFYFLAGS, TAG.FILEDEVICES, TAG.FILEINODES,
  TAG.FILELANGS, TAG.DIRINDEXES, TAG.BASENAMES, TAG.DIRNAMES,
  ...Object.values(RELATION_TAGS).flat(), ...Object.values(SCRIPT_TAGS).flat(),
]);

const KEEP_ARRAY = new Set<number>([TAG.PAYLOADDIGEST, TAG.PAYLOADDIGESTALT]);

/** The file arrays, which must hold one value per BASENAMES entry. */
const FILE_ARRAYS = [
  TAG.DIRINDEXES, TAG.FILESIZES, TAG.LONGFILESIZES, TAG.FILEMODES, TAG.FILEINODES, TAG.FILEFLAGS, TAG.FILELINKTOS,
  TAG.FILEUSERNAME, TAG.FILEGROUPNAME, TAG.FILEMTIMES, TAG.FILEDIGESTS,
] as const;

function files(t: Map<number, TagValue>, file: string): InspectedFile[] {
  const base = strs(t.get(TAG.BASENAMES));
  for (const tag of FILE_ARRAYS) {
    const v = t.get(tag);
    const n = v === undefined ? base.length : typeof v === 'string' ? 1 : v.length;
    if (n !== base.length) bad(file, `${TAG_NAMES[tag] ?? `tag ${tag}`} has ${n} values for ${base.length} files`);
  }
  const dirs = strs(t.get(TAG.DIRNAMES));
  const dix = nums(t.get(TAG.DIRINDEXES));
  const sizes = nums(t.get(TAG.LONGFILESIZES) ?? t.get(TAG.FILESIZES));
  const modes = nums(t.get(TAG.FILEMODES));
  const inodes = nums(t.get(TAG.FILEINODES));
  const flags = nums(t.get(TAG.FILEFLAGS));
  const links = strs(t.get(TAG.FILELINKTOS));
  const users = strs(t.get(TAG.FILEUSERNAME));
  const groups = strs(t.get(TAG.FILEGROUPNAME));
  const mtimes = nums(t.get(TAG.FILEMTIMES));
  const digests = strs(t.get(TAG.FILEDIGESTS));
  const bigIndex = dix.find((d) => d >= dirs.length);
  if (bigIndex !== undefined) bad(file, `a file's directory index ${bigIndex} is outside the ${dirs.length} directory names`);
  const seen = new Set<number>();
  return base.map((b, i) => {
    const mode = modes[i] ?? 0;
    const fmt = mode & 0o170000;
    const f = flags[i] ?? 0;
    let type: InspectedFile['type'] = fmt === 0o100000 ? 'file' : fmt === 0o040000 ? 'dir' : fmt === 0o120000 ? 'symlink' : 'other';
    if (type === 'file' && !(f & FILEFLAG.ghost)) {
      if (seen.has(inodes[i])) type = 'hardlink';
      seen.add(inodes[i]);
    }
    const link = links[i];
    return {
      path: `${dirs[dix[i]] ?? ''}${b}`, mode: mode & 0o7777, type,
      owner: users[i] ?? '', group: groups[i] ?? '',
      size: sizes[i] ?? 0, mtime: mtimes[i] ?? 0, digest: digests[i] ?? '',
      ...(link ? { linkTarget: link } : {}),
      flags: Object.entries(FILEFLAG).filter(([, bit]) => f & bit).map(([n]) => n),
    };
  });
}

function dependency(name: string, flags: number, version: string): InspectedDependency {
  return { name, flags, version, text: dependencyText({ name, flags, version }) };
}

/** `mkpkg inspect` for an .rpm (same as {@link readRpm}). */
export const inspectRpm = (file: string, options: RpmReadOptions = {}): Promise<RpmInspection> => readRpm(file, options);

/** Parse an .rpm file's lead and headers (the payload is not read). Throws E_READ_PACKAGE when it is not a well-formed one. */
export async function readRpm(file: string, options: RpmReadOptions = {}): Promise<RpmInspection> {
  const { fh, size } = await openPackageFile(file);
  try {
    const lead = await readExact(fh, 0, LEAD_SIZE, file);
    if (!lead.subarray(0, 4).equals(LEAD_MAGIC)) bad(file, 'no rpm lead magic');
    if (lead.readUInt16BE(78) !== 5) bad(file, `unsupported signature type ${lead.readUInt16BE(78)}`);
    const sig = await readHeaderAt(fh, LEAD_SIZE, size, file, options);
    const mainAt = LEAD_SIZE + sig.length + ((8 - (sig.length % 8)) % 8);
    const main = await readHeaderAt(fh, mainAt, size, file, options);
    const t = main.tags;
    const tags: Record<string, unknown> = {};
    for (const [tag, v] of t) {
      if (OMIT.has(tag)) continue;
      const name = TAG_NAMES[tag] ?? `tag${tag}`;
      tags[name] = v instanceof Uint8Array ? Buffer.from(v).toString('hex')
        : Array.isArray(v) && v.length === 1 && !KEEP_ARRAY.has(tag) ? (typeof v[0] === 'bigint' ? Number(v[0]) : v[0]) : v;
    }
    const relations = {} as Record<RpmRelationKind, InspectedDependency[]>;
    for (const kind of RPM_RELATION_KINDS) {
      const [n, f, v] = RELATION_TAGS[kind];
      const flags = nums(t.get(f));
      const versions = strs(t.get(v));
      relations[kind] = strs(t.get(n)).map((name, i) => dependency(name, flags[i] ?? 0, versions[i] ?? ''));
    }
    const scripts = (Object.entries(SCRIPT_TAGS) as [RpmScriptName, readonly [number, number]][])
      .filter(([, [body, prog]]) => t.has(body) || t.has(prog))
      .map(([name, [body, prog]]) => ({ name, interpreter: strs(t.get(prog)).join(' ') || '/bin/sh', body: strs(t.get(body))[0] ?? '' }));
    const s = sig.tags;
    const signature: RpmInspection['signature'] = {
      sha1: strs(s.get(SIGTAG.SHA1))[0], sha256: strs(s.get(SIGTAG.SHA256))[0], md5: hex(s.get(SIGTAG.MD5)),
      size: s.has(SIGTAG.LONGSIZE) ? num(s.get(SIGTAG.LONGSIZE)) : num(s.get(SIGTAG.SIZE)),
      payloadSize: s.has(SIGTAG.LONGARCHIVESIZE) ? num(s.get(SIGTAG.LONGARCHIVESIZE)) : num(s.get(SIGTAG.PAYLOADSIZE)),
      ...(s.has(SIGTAG.RSA) ? { openpgp: 'rsa' as const } : s.has(SIGTAG.DSA) ? { openpgp: 'dsa' as const } : {}),
    };
    if (signature.size && mainAt + signature.size > size) {
      bad(file, `truncated: the signature header declares ${signature.size} bytes of header and payload after byte ${mainAt}, the file ends at byte ${size}`);
    }
    return { format: 'rpm', tags, files: files(t, file), scripts, ...relations, signature, headerStart: mainAt, payloadOffset: mainAt + main.length };
  } finally {
    await fh.close();
  }
}
