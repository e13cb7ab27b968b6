/** The files changed since a git ref, for `--since`: committed, staged, unstaged and untracked. */
import { MkpkgError } from '../errors.js';
import { run } from '../proc/run.js';

async function git(args: string[], cwd: string): Promise<string> {
  const r = await run('git', args, { cwd }).catch((e: NodeJS.ErrnoException) => {
    throw new MkpkgError('E_GIT', e.code === 'ENOENT' ? 'git is not installed (needed for --since)' : `git ${args.join(' ')} in ${cwd} failed: ${e.message}`, {
      hint: e.code === 'ENOENT' ? 'install git, or drop --since' : 'run the workspaces build inside a git work tree', details: { cwd, args },
    });
  });
  if (r.code !== 0) {
    throw new MkpkgError('E_GIT', `git ${args.join(' ')} in ${cwd} failed: ${r.stderr.trim() || `exit code ${r.code}`}`, {
      hint: 'run the workspaces build inside a git work tree', details: { cwd, args },
    });
  }
  return r.stdout;
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
