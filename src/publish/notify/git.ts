/** What changed in a git checkout since the previous release tag (no shell; nothing when not a checkout). */
import { run } from '../../proc/run.js';

/** One commit. */
export interface CommitLine {
  hash: string;
  subject: string;
}

/** Commits since the previous tag. */
export interface GitChanges {
  /** The tag the commits are counted from (absent when the history has no tag). */
  previousTag?: string;
  commits: CommitLine[];
  /** More commits than listed. */
  truncated: boolean;
}

/** Git's output, or undefined when git is missing, fails or hangs. */
async function git(cwd: string, args: string[]): Promise<string | undefined> {
  const r = await run('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, timeoutMs: 30_000 }).catch(() => undefined);
  return r?.code === 0 ? r.stdout : undefined;
}

/**
 * The previous release tag of `dir`'s checkout — the newest tag reachable from HEAD, or from
 * HEAD^ when HEAD itself carries a tag (the release being announced) — and the commit subjects
 * since it (merges left out), at most `max`. Undefined when `dir` is not in a git checkout.
 */
export async function changesSinceTag(dir: string, max = 30): Promise<GitChanges | undefined> {
  if ((await git(dir, ['rev-parse', '--is-inside-work-tree']))?.trim() !== 'true') return undefined;
  const atHead = (await git(dir, ['tag', '--points-at', 'HEAD']))?.trim();
  const previousTag = (await git(dir, ['describe', '--tags', '--abbrev=0', atHead ? 'HEAD^' : 'HEAD']))?.trim() || undefined;
  const range = previousTag ? [`${previousTag}..HEAD`] : ['HEAD'];
  const log = (await git(dir, ['log', '--no-merges', `--max-count=${max + 1}`, '--format=%h%x09%s', ...range])) ?? '';
  const commits = log.split('\n').filter(Boolean).map((l) => {
    const tab = l.indexOf('\t');
    return { hash: l.slice(0, tab), subject: l.slice(tab + 1) };
  });
  return { ...(previousTag ? { previousTag } : {}), commits: commits.slice(0, max), truncated: commits.length > max };
}
