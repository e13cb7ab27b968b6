/** Permission modes and owners: parsing explicit values and the safe defaults for everything else. */
import { numericModeProblem } from '../config/mode.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { PlanEntry } from './types.js';

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
 * Setuid/setgid/sticky bits are kept only here, where the user asked for them. `unambiguous`
 * refuses numbers such as `755` that look octal but are decimal (see config/mode.ts) where a value
 * comes straight from user code; config values are checked so by the schema already.
 */
export function parseMode(value: number | string, where: string, options: { unambiguous?: boolean } = {}): number {
  if (typeof value === 'number') {
    const problem = options.unambiguous ? numericModeProblem(value) : Number.isInteger(value) && value >= 0 && value <= 0o7777 ? undefined : 'is not a permission mode (0 to 0o7777)';
    if (problem) {
      throw new MkpkgError('E_PLAN_INVALID', `${where} ${String(value)} ${problem}`, {
        hint: 'write the mode as a JavaScript octal number such as 0o644 or an octal string such as "0644"',
        details: { where, value },
      });
    }
    return value;
  }
  if (!/^0?[0-7]{3,4}$/.test(value)) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is not a permission mode`, {
      hint: 'write the mode as an octal string such as "0644" or a number such as 0o644',
      details: { where, value },
    });
  }
  return parseInt(value, 8);
}

/** Where a mode comes from and what it is on, for {@link unsafeModeWarnings}. */
export interface ModeUse {
  path: string;
  kind: 'file' | 'dir';
  mode: number;
  /** Who set it, e.g. `contents[2]` or `runtime.templates[0]`; the path alone when unknown. */
  origin?: string;
}

/**
 * Coded warnings (errors under --strict) for explicit modes that are unsafe on a target system:
 * world-writable files, world-writable directories without the sticky bit, setuid/setgid files.
 */
export function unsafeModeWarnings(uses: Iterable<ModeUse>): Warning[] {
  const out: Warning[] = [];
  for (const u of uses) {
    const m = u.mode;
    const at = `${u.path}${u.origin ? ` (${u.origin})` : ''}`;
    const octal = m.toString(8).padStart(4, '0');
    if ((m & 0o002) !== 0 && (u.kind === 'file' || (m & 0o1000) === 0)) {
      out.push({ code: 'W_MODE_WORLD_WRITABLE', message: `${at}: mode ${octal} lets every user on the system write this ${u.kind === 'dir' ? 'directory (no sticky bit)' : 'file'}; use e.g. ${u.kind === 'dir' ? '0755, 0775, or 1777 for a shared directory' : '0644 or 0664'}` });
    }
    if (u.kind === 'file' && (m & 0o6000) !== 0) {
      out.push({ code: 'W_MODE_SETID', message: `${at}: mode ${octal} makes this file ${(m & 0o4000) !== 0 ? 'setuid' : 'setgid'}${(m & 0o6000) === 0o6000 ? ' and setgid' : ''}: it runs with its ${(m & 0o4000) !== 0 ? 'owner' : 'group'}'s rights for any user; make sure this is intended` });
    }
  }
  return out;
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
  if (!isOwnerName(value)) {
    throw new MkpkgError('E_PLAN_INVALID', `${where} ${JSON.stringify(value)} is not a valid user or group name`, {
      hint: 'use letters, digits, "_", "." or "-" (at most 32 characters, not starting with "-"), e.g. "root" or "app-svc"',
      details: { where, value },
    });
  }
  return value;
}

/** True when {@link checkOwnerName} accepts `value`. */
export function isOwnerName(value: string): boolean {
  return NAME.test(value);
}

/** The modes of a plan's regular files and directories (origins are read only for unsafe ones). */
export function* planModeUses(entries: readonly PlanEntry[], origins: Pick<ReadonlyMap<string, string>, 'get'>): Generator<ModeUse> {
  for (const e of entries) {
    if (e.kind === 'symlink' || (e.mode & 0o6002) === 0) continue;
    yield { path: e.path, kind: e.kind === 'dir' ? 'dir' : 'file', mode: e.mode, origin: origins.get(e.path) };
  }
}
