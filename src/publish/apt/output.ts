/**
 * `aptRepository()`: the apt publisher as a config output — after packaging, the build's .deb files
 * go to the repository. A build that made no .deb (e.g. `mkpkg rpm`) leaves the repository untouched.
 */
import type { Output } from '../../pipeline/types.js';
import { repositoryOutput, resolveTarget } from '../repo-output.js';
import type { PublishReport } from '../report.js';
import { checkAptOptions, type AptPublishOptions } from './options.js';
import { publishApt } from './publish.js';

/** Options of {@link aptRepository}: those of `mkpkg publish apt`, with the repository as `dir` or `target`. */
export interface AptRepositoryOptions extends Omit<AptPublishOptions, 'target'> {
  /** The repository directory (relative: to the project directory). */
  dir?: string;
  /** A directory or `s3://BUCKET/PREFIX` (instead of `dir`). */
  target?: string;
}

/** Add `debs` to an apt repository (the library form of `mkpkg publish apt`). */
export function publishAptRepository(debs: readonly string[], options: AptRepositoryOptions): Promise<PublishReport> {
  return publishApt(debs, { ...options, ...resolveTarget(options, process.cwd(), 'aptRepository') });
}

/**
 * An output publishing the build's .deb files, e.g.
 * `outputs: [aptRepository({ dir: 'out/repo', signKey: process.env.REPO_KEY })]`.
 * The options are checked when the config is loaded.
 */
export function aptRepository(options: AptRepositoryOptions): Output {
  checkAptOptions({ ...options, target: options.target ?? options.dir ?? '' });
  return repositoryOutput('apt-repository', 'aptRepository', 'deb', options, publishApt);
}
