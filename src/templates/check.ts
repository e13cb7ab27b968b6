/** Syntax check of rendered shell scripts with the system's POSIX shell. */
import { spawnSync } from 'node:child_process';
import { MkpkgError } from '../errors.js';

/**
 * Run `/bin/sh -n` on `script` (on stdin). Throws E_SCRIPT_SYNTAX naming `label` (the template
 * that produced it), sh's message and the offending line.
 */
export function checkShellSyntax(script: string, label: string): void {
  const r = spawnSync('/bin/sh', ['-n'], { input: script, encoding: 'utf8' });
  if (r.error) {
    throw new MkpkgError('E_SCRIPT_SYNTAX', `cannot run /bin/sh -n to check ${label}: ${r.error.message}`, {
      hint: 'mkpkg checks every generated script with /bin/sh; make sure it exists',
    });
  }
  if (r.status === 0) return;
  const message = (r.stderr || `exit status ${r.status}`).trim();
  const lineNo = /:\s*(?:line\s*)?(\d+):/.exec(message)?.[1];
  const line = lineNo ? script.split('\n')[Number(lineNo) - 1] : undefined;
  throw new MkpkgError('E_SCRIPT_SYNTAX', `${label} is not valid POSIX sh: ${message}${line !== undefined ? ` (line ${lineNo}: ${line.trim()})` : ''}`, {
    hint: 'fix the template or the script fragment (slot / scripts entry) that produced this line',
    details: { template: label, error: message, line: lineNo ? Number(lineNo) : undefined },
  });
}
