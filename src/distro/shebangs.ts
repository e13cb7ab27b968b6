/**
 * `#!/usr/bin/env X` shebangs rewritten to X's absolute path, as Fedora's brp-mangle-shebangs
 * does (rpmlint reports env-script-interpreter as an error): only executable regular files that
 * start with `#!` are read, and only their first line changes. `env` with options or variable
 * assignments (`env -S node --flag`, `env A=1 node`) is left alone with a warning.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Warning } from '../errors.js';
import { dataBytes, type PlanEntry } from '../plan/types.js';

/** Interpreters that live in /bin on every Debian and Fedora (merged /usr or not). */
const IN_BIN = new Set(['sh', 'bash', 'dash']);
/** Scripts above this size are left alone (a script is small; this bounds what is read into memory). */
const MAX_SCRIPT = 16 * 1024 * 1024;
const HEAD = 512;
const ENV_SHEBANG = /^#!\s*(\/(?:usr\/)?bin\/env)[ \t]+([^\n]*)$/;
const COMMAND = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** Where a command found through `env` lives: `interpreters` (absolute paths by command) first. */
export function interpreterPath(cmd: string, interpreters: Readonly<Record<string, string>> = {}): string {
  return interpreters[cmd] ?? (IN_BIN.has(cmd) ? `/bin/${cmd}` : `/usr/bin/${cmd}`);
}

/** The first line of `bytes` rewritten, or a reason it is left alone, or undefined when it is no env shebang. */
export function mangleShebangLine(firstLine: string, interpreters?: Readonly<Record<string, string>>): { line: string } | { skip: string } | undefined {
  const m = ENV_SHEBANG.exec(firstLine.replace(/\r$/, ''));
  if (!m) return undefined;
  const [cmd, ...args] = m[2].trim().split(/[ \t]+/);
  if (!cmd || !COMMAND.test(cmd)) return { skip: `"${m[1]} ${m[2].trim()}" passes options or variables to env` };
  return { line: `#!${interpreterPath(cmd, interpreters)}${args.length ? ` ${args.join(' ')}` : ''}` };
}

function head(source: string): Buffer {
  const fd = openSync(source, 'r');
  try {
    const b = Buffer.alloc(HEAD);
    return b.subarray(0, readSync(fd, b, 0, HEAD, 0));
  } finally {
    closeSync(fd);
  }
}

/** Rewrite the env shebangs of a plan's executable files (data entries replace them; paths unchanged). */
export function mangleShebangs(entries: readonly PlanEntry[], interpreters?: Readonly<Record<string, string>>): { entries: PlanEntry[]; warnings: Warning[]; changed: string[] } {
  const warnings: Warning[] = [];
  const changed: string[] = [];
  const out = entries.map((e): PlanEntry => {
    if ((e.kind !== 'file' && e.kind !== 'data') || (e.mode & 0o111) === 0) return e;
    if (e.kind === 'file' && e.size > MAX_SCRIPT) return e;
    const start = e.kind === 'file' ? head(e.source) : dataBytes(e).subarray(0, HEAD);
    if (start[0] !== 0x23 || start[1] !== 0x21) return e;
    const nl = start.indexOf(0x0a);
    if (nl < 0 && start.length === HEAD) return e;
    const first = start.toString('latin1', 0, nl < 0 ? start.length : nl);
    const r = mangleShebangLine(first, interpreters);
    if (!r) return e;
    if ('skip' in r) {
      warnings.push({ code: 'W_SHEBANG_KEPT', message: `${e.path}: ${r.skip}; its shebang is left unchanged` });
      return e;
    }
    const bytes = e.kind === 'file' ? readFileSync(e.source) : dataBytes(e);
    const rest = bytes.subarray(Buffer.byteLength(first, 'latin1'));
    changed.push(e.path);
    return {
      kind: 'data', path: e.path, mode: e.mode, owner: e.owner, group: e.group, mtime: e.mtime, flags: e.flags,
      data: Buffer.concat([Buffer.from(r.line, 'latin1'), rest]).toString('base64'), encoding: 'base64',
    };
  });
  return { entries: out, warnings, changed };
}
