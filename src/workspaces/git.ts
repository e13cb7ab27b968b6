/** The files changed since a git ref, for `--since`: committed, staged, unstaged and untracked. */
import { execFile } from 'node:child_process';
import { MkpkgError } from '../errors.js';

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new MkpkgError('E_GIT', missing ? 'git is not installed (needed for --since)' : `git ${args.join(' ')} in ${cwd} failed: ${(stderr || err.message).trim()}`, {
        hint: missing ? 'install git, or drop --since' : 'run the workspaces build inside a git work tree', details: { cwd, args },
      }));
    });
  });
}

/**
 * Paths relative to `dir` that differ from `ref`: `git diff --name-only --no-renames REF` against
 * the work tree (both sides of a rename), plus untracked files git does not ignore — a build
 * packages the work tree, so a new file counts as a change. A ref that names no commit → `E_GIT`.
 */
export async function changedSince(dir: string, ref: string): Promise<string[]> {
  if (!ref || ref.startsWith('-') || /[\x00-\x20\x7f]/.test(ref)) {
    throw new MkpkgError('E_GIT', `--since ${JSON.stringify(ref)} is not a git ref`, { hint: 'give a branch, tag or commit, e.g. --since origin/main', details: { ref } });
  }
  await git(['rev-parse', '--is-inside-work-tree'], dir);
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], dir);
  } catch (e) {
    throw new MkpkgError('E_GIT', `--since ${JSON.stringify(ref)} does not name a commit in the repository at ${dir}`, {
      hint: 'give a branch, tag or commit that exists (fetch it first in a shallow CI clone: git fetch --depth=50 origin main)', details: { ref, dir }, cause: e,
    });
  }
  const diff = await git(['-c', 'core.quotePath=false', 'diff', '--name-only', '--no-renames', '--relative', ref, '--'], dir);
  const untracked = await git(['-c', 'core.quotePath=false', 'ls-files', '--others', '--exclude-standard'], dir);
  return [...new Set([...diff.split('\n'), ...untracked.split('\n')].filter(Boolean))].sort();
}
