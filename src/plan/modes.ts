/** Permission modes and owners: parsing explicit values and the safe defaults for everything else. */
import { MkpkgError } from '../errors.js';

/**
 * The flags of an entry that has none, shared by every such entry (one object instead of one per
 * file; nothing mutates plan flags). Frozen so that a mutation would throw instead of leaking.
 */
export const NO_FLAGS: Readonly<Record<string, never>> = Object.freeze({});
/** Default owner and group of every entry. */
export const ROOT = 'root';
/** Directories (explicit without a mode, implicit parents, copied from a source tree). */
export const DIR_MODE = 0o755;
/** Regular files without any execute bit in the source. */
export const FILE_MODE = 0o644;
/** Regular files with an execute bit in the source. */
export const EXEC_MODE = 0o755;
/** Symbolic links (the mode of a link is not used by Linux; tar and cpio record 0777). */
export const SYMLINK_MODE = 0o777;

/**
 * Parse an explicit mode: a number (`0o750`, `493`) or an octal string (`"0750"`, `"750"`).
 * Setuid/setgid/sticky bits are kept only here, where the user asked for them.
 */
export function parseMode(value: number | string, where: string): number {
  let mode: number;
  if (typeof value === 'number') mode = value;
  else if (/^0?[0-7]{3,4}$/.test(value)) mode = parseInt(value, 8);
  else mode = NaN;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is not a permission mode`, {
      hint: 'write the mode as an octal string such as "0644" or a number such as 0o644',
      details: { where, value },
    });
  }
  return mode;
}

/**
 * The packaged mode of a regular file taken from a source tree: 0755 when the source has any execute
 * bit, else 0644. Group/world write and setuid/setgid/sticky bits of a checkout are never copied.
 */
export function sourceFileMode(sourceMode: number): number {
  return (sourceMode & 0o111) !== 0 ? EXEC_MODE : FILE_MODE;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/;

/** Validate an owner or group name (a POSIX-portable user name, as useradd accepts). */
export function checkOwnerName(value: string, where: string): string {
  if (!NAME.test(value)) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is not a valid user or group name`, {
      hint: 'use letters, digits, "_", "." or "-" (at most 32 characters, not starting with "-"), e.g. "root" or "app-svc"',
      details: { where, value },
    });
  }
  return value;
}
