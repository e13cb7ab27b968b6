/** Pure assembly of the main header's entries from metadata, scripts, files and payload facts. */
import type { Compression } from '../../archive/compress.js';
import type { RpmDependency, RpmMetadata, RpmRelationKind, RpmScriptName, RpmScripts } from '../../config/resolved.js';
import { relationTags, scriptProg } from './deps.js';
import { fileTags, installedSize, type RpmFile } from './files.js';
import { i18n, int32, int64, str, strArray, type HeaderEntry } from './header.js';
import { DIGEST_SHA256, TAG } from './tags.js';

/** The rpm version whose header layout mkpkg writes (RPMVERSION). */
export const RPM_FORMAT_VERSION = '4.18.0';

/** Scriptlet → [body tag, interpreter tag]. */
export const SCRIPT_TAGS: Record<RpmScriptName, readonly [number, number]> = {
  pretrans: [TAG.PRETRANS, TAG.PRETRANSPROG],
  pre: [TAG.PREIN, TAG.PREINPROG],
  post: [TAG.POSTIN, TAG.POSTINPROG],
  preun: [TAG.PREUN, TAG.PREUNPROG],
  postun: [TAG.POSTUN, TAG.POSTUNPROG],
  posttrans: [TAG.POSTTRANS, TAG.POSTTRANSPROG],
};

export interface MainHeaderInput {
  meta: RpmMetadata;
  scripts: RpmScripts;
  files: readonly RpmFile[];
  /** The sha256 hex of a file's content ('' for anything but a regular file). */
  fileDigest: (f: RpmFile) => string;
  /** A file is ≥ 4 GiB (needsLargeFiles): 64-bit sizes, decided once with the payload form and rpmlib(LargeFiles). */
  largeFiles: boolean;
  relations: Record<RpmRelationKind, RpmDependency[]>;
  buildTime: number;
  compression: Compression;
  level: number;
  /** sha256 hex of the compressed and the uncompressed payload. */
  payloadDigest: string;
  payloadDigestAlt: string;
}

/** Every main-header entry (the encoder sorts them by tag). */
export function mainHeaderEntries(h: MainHeaderInput): HeaderEntry[] {
  const { meta } = h;
  const size = installedSize(h.files);
  const e: HeaderEntry[] = [
    strArray(TAG.HEADERI18NTABLE, ['C']),
    str(TAG.NAME, meta.name),
    str(TAG.VERSION, meta.version),
    str(TAG.RELEASE, meta.release),
    i18n(TAG.SUMMARY, meta.summary),
    i18n(TAG.DESCRIPTION, meta.description),
    int32(TAG.BUILDTIME, [h.buildTime]),
    str(TAG.BUILDHOST, meta.buildHost),
    h.largeFiles || size > 0xffffffff ? int64(TAG.LONGSIZE, [size]) : int32(TAG.SIZE, [size]),
    str(TAG.LICENSE, meta.license),
    i18n(TAG.GROUP, meta.group),
    str(TAG.OS, 'linux'),
    str(TAG.ARCH, meta.arch),
    str(TAG.SOURCERPM, `${meta.name}-${meta.version}-${meta.release}.src.rpm`),
    str(TAG.RPMVERSION, RPM_FORMAT_VERSION),
    str(TAG.PAYLOADFORMAT, 'cpio'),
    str(TAG.PAYLOADFLAGS, h.compression === 'none' ? '' : String(h.level)),
    str(TAG.ENCODING, 'utf-8'),
    strArray(TAG.PAYLOADDIGEST, [h.payloadDigest]),
    int32(TAG.PAYLOADDIGESTALGO, [DIGEST_SHA256]),
    strArray(TAG.PAYLOADDIGESTALT, [h.payloadDigestAlt]),
    ...fileTags(h.files, h.fileDigest, h.largeFiles),
    ...relationTags(h.relations),
  ];
  // Without PAYLOADCOMPRESSOR rpm reads the payload through zlib, which passes plain data through
  // unchanged: this is what rpmbuild writes for an uncompressed (w.ufdio) payload.
  if (h.compression !== 'none') e.push(str(TAG.PAYLOADCOMPRESSOR, h.compression));
  if (meta.epoch !== undefined) e.push(int32(TAG.EPOCH, [meta.epoch]));
  if (meta.url) e.push(str(TAG.URL, meta.url));
  if (meta.vendor) e.push(str(TAG.VENDOR, meta.vendor));
  if (meta.packager) e.push(str(TAG.PACKAGER, meta.packager));
  const changelog = changelogEntries(meta, h.buildTime);
  e.push(
    int32(TAG.CHANGELOGTIME, changelog.map((c) => c.time)),
    strArray(TAG.CHANGELOGNAME, changelog.map((c) => c.author)),
    strArray(TAG.CHANGELOGTEXT, changelog.map((c) => c.text)),
  );
  for (const [name, [bodyTag, progTag]] of Object.entries(SCRIPT_TAGS) as [RpmScriptName, readonly [number, number]][]) {
    const s = h.scripts[name];
    if (!s) continue;
    e.push(strArray(progTag, scriptProg(s.interpreter)));
    if (s.body) e.push(str(bodyTag, s.body));
  }
  return e;
}

/**
 * The changelog: one entry for this build (rpm and rpmlint expect a changelog), its time rounded
 * to noon UTC of its day, as rpmbuild does.
 */
export function changelogEntries(meta: RpmMetadata, buildTime: number): { time: number; author: string; text: string }[] {
  const author = `${meta.packager ?? meta.vendor ?? 'mkpkg'} - ${meta.epoch !== undefined ? `${meta.epoch}:` : ''}${meta.version}-${meta.release}`;
  return [{ time: Math.floor(buildTime / 86400) * 86400 + 43200, author, text: `- Package ${meta.name} ${meta.version}-${meta.release} built by mkpkg` }];
}
