/**
 * Limits of the package readers (`mkpkg inspect`, the apt publisher, `mkpkg verify`). A package is
 * untrusted input: each limit bounds the time and memory one hostile file can cost, and sits far
 * above anything a real package needs. A file beyond a limit is refused with E_READ_PACKAGE.
 */

const MiB = 1 << 20;

/** Limits a reader applies; each field is documented on its default in {@link READ_LIMITS}. */
export interface ReadLimits {
  arMembers: number;
  controlTarBytes: number;
  controlFileBytes: number;
  dataTarEntries: number;
  dataTarNameBytes: number;
  dataTarMinBytes: number;
  dataTarExpansion: number;
  rpmHeaderEntries: number;
  rpmHeaderDataBytes: number;
  rpmHeaderValues: number;
}

/** The default limits. */
export const READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  /** Members of a .deb's ar archive (a .deb has 3; dpkg allows a few more, such as signatures). */
  arMembers: 64,
  /** Decompressed size of control.tar (its md5sums list for 100 000 files is about 8 MiB). */
  controlTarBytes: 64 * MiB,
  /** Size of each control file kept in memory (`control`, `conffiles`). */
  controlFileBytes: 4 * MiB,
  /** Entries listed from data.tar. */
  dataTarEntries: 1_000_000,
  /** Bytes of file and link names listed from data.tar, all entries together. */
  dataTarNameBytes: 128 * MiB,
  /** data.tar may always expand to this many bytes… */
  dataTarMinBytes: 1024 * MiB,
  /** …and beyond that to this many times its compressed size (real packages stay under 20). */
  dataTarExpansion: 200,
  /** Index entries of one rpm header (rpm's own limit, HEADER_TAGS_MAX). */
  rpmHeaderEntries: 0xffff,
  /** Data bytes of one rpm header (rpm allows 256 MiB; real headers take a few MiB). */
  rpmHeaderDataBytes: 32 * MiB,
  /** Values decoded from one rpm header, all tags together (about 15 per file: 250 000 files). */
  rpmHeaderValues: 4 * MiB,
});

/** `n` bytes as a short human string (`64 MiB`). */
export function byteSize(n: number): string {
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
