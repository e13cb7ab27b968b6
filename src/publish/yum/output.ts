/**
 * `yumRepository()`: the yum publisher as a config output — after packaging, the build's .rpm
 * files go to the repository. A build that made no .rpm leaves the repository untouched.
 */
import type { Output } from '../../pipeline/types.js';
import { checkRunOptions } from '../pool.js';
import { repositoryOutput, resolveTarget } from '../repo-output.js';
import type { PublishReport } from '../report.js';
import { publishYum, type YumPublishOptions } from './publish.js';

/** Options of {@link yumRepository}: those of `mkpkg publish yum`, with the repository as `dir` or `target`. */
export interface YumRepositoryOptions extends Omit<YumPublishOptions, 'target'> {
  /** The repository directory (relative: to the project directory). */
  dir?: string;
  /** A directory or `s3://BUCKET/PREFIX` (instead of `dir`). */
  target?: string;
}

/** Add `rpms` to a yum repository (the library form of `mkpkg publish yum`). */
export function publishYumRepository(rpms: readonly string[], options: YumRepositoryOptions): Promise<PublishReport> {
  return publishYum(rpms, { ...options, ...resolveTarget(options, process.cwd(), 'yumRepository') });
}

/**
 * An output publishing the build's .rpm files, e.g. `outputs: [yumRepository({ dir: 'out/yum', signKey: process.env.REPO_KEY })]`.
 * The options are checked when the config is loaded.
 */
export function yumRepository(options: YumRepositoryOptions): Output {
  checkRunOptions(options);
  return repositoryOutput('yum-repository', 'yumRepository', 'rpm', options, publishYum);
}
