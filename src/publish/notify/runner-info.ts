/**
 * Who or what ran the release: the local user and host, and the CI run when a known CI's
 * variables are set. Only the named variables below are read (never the whole environment:
 * CI environments hold tokens).
 */
import { hostname, userInfo } from 'node:os';

/** The CI run, when there is one. */
export interface CiRun {
  provider: string;
  /** A link to the run or job. */
  url?: string;
  repository?: string;
  ref?: string;
  commit?: string;
  /** Who triggered it. */
  actor?: string;
}

/** Who/what ran mkpkg. */
export interface RunnerInfo {
  user: string;
  host: string;
  ci?: CiRun;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A one-line value of at most 200 characters, or undefined. */
function clean(v: string | undefined): string | undefined {
  const t = v?.split(/[\r\n]/)[0]?.trim();
  return t ? t.slice(0, 200) : undefined;
}

function compact(run: CiRun): CiRun {
  return Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)) as unknown as CiRun;
}

/** The CI run described by `env`, if any. */
export function detectCi(env: Env): CiRun | undefined {
  const e = (k: string) => clean(env[k]);
  if (env.GITHUB_ACTIONS === 'true') {
    const server = e('GITHUB_SERVER_URL') ?? 'https://github.com';
    const repo = e('GITHUB_REPOSITORY');
    const id = e('GITHUB_RUN_ID');
    return compact({ provider: 'GitHub Actions', url: repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined, repository: repo, ref: e('GITHUB_REF_NAME'), commit: e('GITHUB_SHA'), actor: e('GITHUB_ACTOR') });
  }
  if (env.GITLAB_CI === 'true') {
    return compact({ provider: 'GitLab CI', url: e('CI_JOB_URL') ?? e('CI_PIPELINE_URL'), repository: e('CI_PROJECT_PATH'), ref: e('CI_COMMIT_REF_NAME'), commit: e('CI_COMMIT_SHA'), actor: e('GITLAB_USER_LOGIN') });
  }
  if (env.BUILDKITE === 'true') {
    return compact({ provider: 'Buildkite', url: e('BUILDKITE_BUILD_URL'), repository: e('BUILDKITE_PIPELINE_SLUG'), ref: e('BUILDKITE_BRANCH'), commit: e('BUILDKITE_COMMIT'), actor: e('BUILDKITE_BUILD_CREATOR') });
  }
  if (env.CIRCLECI === 'true') {
    return compact({ provider: 'CircleCI', url: e('CIRCLE_BUILD_URL'), repository: e('CIRCLE_PROJECT_REPONAME'), ref: e('CIRCLE_BRANCH'), commit: e('CIRCLE_SHA1'), actor: e('CIRCLE_USERNAME') });
  }
  if (env.JENKINS_URL) {
    return compact({ provider: 'Jenkins', url: e('BUILD_URL'), repository: e('JOB_NAME'), ref: e('GIT_BRANCH'), commit: e('GIT_COMMIT') });
  }
  if (env.CI === 'true' || env.CI === '1') return { provider: 'CI' };
  return undefined;
}

/** The local user, host and CI run. */
export function runnerInfo(env: Env = process.env): RunnerInfo {
  let user = clean(env.USER) ?? 'unknown';
  try { user = userInfo().username; } catch { /* no passwd entry (containers): keep $USER */ }
  const ci = detectCi(env);
  return { user, host: hostname(), ...(ci ? { ci } : {}) };
}
