/**
 * Hostile package files for the reader tests: decompression bombs, rpm headers with huge or lying
 * sizes, ar members larger than the file. Built from small pieces (a compressed stream repeated
 * is a valid stream of the repeated content), so a 512 MiB bomb costs a few KiB and milliseconds.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeArHeader } from '../../src/archive/ar.js';
import { encodeHeaderBlock, type TarHeaderFields } from '../../src/archive/tar-header.js';
import { headerIntro, indexEntry } from '../../src/formats/rpm/header.js';
import { encodeLead } from '../../src/formats/rpm/lead.js';
import { TYPE } from '../../src/formats/rpm/tags.js';

const MiB = 1 << 20;

export type Compressor = 'gzip' | 'xz' | 'zstd';
const SUFFIX: Record<Compressor, string> = { gzip: '.gz', xz: '.xz', zstd: '.zst' };

/** Compress `data` into one complete stream (gzip member, xz stream, zstd frame). */
export function compress(c: Compressor, data: Buffer): Buffer {
  if (c === 'gzip') return gzipSync(data, { level: 9 });
  const r = spawnSync(c, c === 'xz' ? ['-c', '-9'] : ['-c', '-19', '-q'], { input: data, maxBuffer: 64 * MiB });
  if (r.status !== 0) throw new Error(`${c} failed: ${String(r.stderr)}`);
  return r.stdout;
}

function tarHeader(name: string, size: number, type: TarHeaderFields['type'] = '0'): Buffer {
  return encodeHeaderBlock({ name, type, mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', size, mtime: 0 });
}

/** A tar file entry with its content, padded to whole blocks. */
export function tarFile(name: string, content: Buffer): Buffer {
  return Buffer.concat([tarHeader(name, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512)]);
}

/** The two zero blocks that end a tar archive. */
export const TAR_END = Buffer.alloc(1024);

/**
 * A compressed tar holding `before`, then an entry NAME of `mib` MiB of zeros, then the end:
 * the zeros are one compressed MiB repeated.
 */
export function tarBomb(c: Compressor, before: Buffer, name: string, mib: number): Buffer {
  const oneMiB = compress(c, Buffer.alloc(MiB));
  return Buffer.concat([compress(c, Buffer.concat([before, tarHeader(name, mib * MiB)])), ...Array<Buffer>(mib).fill(oneMiB), compress(c, TAR_END)]);
}

const CONTROL = 'Package: bomb\nVersion: 1.0\nArchitecture: all\nMaintainer: A <a@b.example>\nDescription: hostile\n';

function arMember(name: string, data: Buffer, declaredSize = data.length): Buffer {
  return Buffer.concat([encodeArHeader(name, declaredSize, { mtime: 0 }), data, data.length % 2 ? Buffer.from('\n') : Buffer.alloc(0)]);
}

/** An ar archive (.deb layout) of the given members, written to `path`. */
export function writeDeb(path: string, members: [name: string, data: Buffer][]): string {
  writeFileSync(path, Buffer.concat([Buffer.from('!<arch>\n'), ...members.map(([n, d]) => arMember(n, d))]));
  return path;
}

/** A small data.tar (one file) compressed with `c`. */
export function smallDataTar(c: Compressor): Buffer {
  return compress(c, Buffer.concat([tarFile('./usr/share/doc/bomb/README', Buffer.from('hi\n')), TAR_END]));
}

/** A .deb whose control.tar holds a valid control file and then a `md5sums` of `mib` MiB of zeros. */
export function controlBombDeb(dir: string, c: Compressor, mib = 512): string {
  const control = tarBomb(c, tarFile('./control', Buffer.from(CONTROL)), './md5sums', mib);
  return writeDeb(join(dir, `control-bomb-${c}.deb`), [['debian-binary', Buffer.from('2.0\n')], [`control.tar${SUFFIX[c]}`, control], [`data.tar${SUFFIX[c]}`, smallDataTar(c)]]);
}

/** A .deb whose control file itself claims `mib` MiB (zeros). */
export function hugeControlFileDeb(dir: string, c: Compressor, mib = 256): string {
  const control = tarBomb(c, Buffer.alloc(0), './control', mib);
  return writeDeb(join(dir, `huge-control-${c}.deb`), [['debian-binary', Buffer.from('2.0\n')], [`control.tar${SUFFIX[c]}`, control], [`data.tar${SUFFIX[c]}`, smallDataTar(c)]]);
}

/** A .deb whose data.tar member declares 1 GB while the file is a few hundred bytes. */
export function arMemberBeyondFileDeb(dir: string): string {
  const path = join(dir, 'ar-member-beyond-file.deb');
  const control = compress('gzip', Buffer.concat([tarFile('./control', Buffer.from(CONTROL)), TAR_END]));
  writeFileSync(path, Buffer.concat([
    Buffer.from('!<arch>\n'), arMember('debian-binary', Buffer.from('2.0\n')), arMember('control.tar.gz', control),
    encodeArHeader('data.tar.gz', 1_000_000_000, { mtime: 0 }), Buffer.alloc(100),
  ]));
  return path;
}

/** An empty signature header (no entries), as rpm's lead + signature layout needs, 8-aligned. */
const EMPTY_SIGNATURE = headerIntro(0, 0);

/**
 * An .rpm whose main header declares `dl` data bytes holding one INT32 tag with `count` values; the
 * file really is that long (sparse: zeros), so only a size limit stops the reader.
 */
export function int32ArrayRpm(dir: string, name: string, dl: number, count: number): string {
  const path = join(dir, name);
  const head = Buffer.concat([encodeLead('hostile-1-1', 'noarch'), EMPTY_SIGNATURE, headerIntro(1, dl), indexEntry(5999, TYPE.INT32, 0, count)]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + dl);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** An .rpm whose main header declares `il` index entries (and no more bytes in the file). */
export function hugeIndexRpm(dir: string, il: number): string {
  const path = join(dir, `huge-index-${il}.rpm`);
  writeFileSync(path, Buffer.concat([encodeLead('hostile-1-1', 'noarch'), EMPTY_SIGNATURE, headerIntro(il, 16), Buffer.alloc(64)]));
  return path;
}

/** An .rpm whose main header's only tag (a string array) claims `count` strings in 16 data bytes. */
export function lyingCountRpm(dir: string, count: number): string {
  const path = join(dir, `lying-count-${count}.rpm`);
  const data = Buffer.from('a\0b\0c\0d\0e\0f\0g\0h\0');
  writeFileSync(path, Buffer.concat([encodeLead('hostile-1-1', 'noarch'), EMPTY_SIGNATURE, headerIntro(1, data.length), indexEntry(1117, TYPE.STRING_ARRAY, 0, count), data]));
  return path;
}
