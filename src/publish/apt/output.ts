/**
 * `aptRepository()`: the apt publisher as a config output — after packaging, the build's .deb files
 * go to the repository. A build that made no .deb (e.g. `mkpkg rpm`) leaves the repository untouched.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { MkpkgError } from '../../errors.js';
import type { Output, PublishResult } from '../../pipeline/types.js';
import { isArmoredKey } from '../../sign/index.js';
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

/** The target, with a relative directory and key file resolved against `base`. */
export function resolveTarget(options: { dir?: string; target?: string; signKey?: string }, base: string, what: string): { target: string; signKey?: string } {
  const target = options.target ?? options.dir;
  if (!target) throw new MkpkgError('E_REPO_INVALID', `${what}: give the repository as dir or target`, { hint: `e.g. ${what}({ dir: 'out/repo' }) or ${what}({ target: 's3://bucket/prefix' })` });
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  const key = options.signKey;
  return {
    target: local && !isAbsolute(target) ? resolvePath(base, target) : target,
    signKey: key && !isArmoredKey(key) && !isAbsolute(key) ? resolvePath(base, key) : key,
  };
}

/** Add `debs` to an apt repository (the library form of `mkpkg publish apt`). */
export function publishAptRepository(debs: readonly string[], options: AptRepositoryOptions): Promise<PublishReport> {
  return publishApt(debs, { ...options, ...resolveTarget(options, process.cwd(), 'aptRepository') });
}

/** The one-line summary outputs print: `1 added, 3 in stable/main [amd64 arm64], signed`. */
export function outputDetail(r: PublishReport): string {
  const where = r.family === 'apt' ? ` in ${r.suite}/${r.components?.join(',')} [${r.architectures?.join(' ')}]` : '';
  const extra = [r.replaced.length && `${r.replaced.length} replaced`, r.unchanged.length && `${r.unchanged.length} already published`, r.removed.length && `${r.removed.length} removed`].filter(Boolean);
  return `${r.added.length} added, ${r.packages}${where}${r.signed ? ', signed' : ''}${extra.length ? `; ${extra.join(', ')}` : ''}${r.changed ? '' : '; repository unchanged'}`;
}

/**
 * An output publishing the build's .deb files, e.g.
 * `outputs: [aptRepository({ dir: 'out/repo', signKey: process.env.REPO_KEY })]`.
 * The options are checked when the config is loaded.
 */
export function aptRepository(options: AptRepositoryOptions): Output {
  checkAptOptions({ ...options, target: options.target ?? options.dir ?? '' });
  resolveTarget(options, '.', 'aptRepository');
  return {
    name: 'apt-repository',
    kind: 'publish',
    async run(artifacts, ctx): Promise<PublishResult> {
      const debs = artifacts.filter((a) => a.format === 'deb').map((a) => a.path);
      const { target, signKey } = resolveTarget(options, ctx.options.dir, 'aptRepository');
      if (debs.length === 0) return { output: 'apt-repository', ok: true, location: target, detail: 'no .deb was built; the repository was not touched' };
      const r = await publishApt(debs, { ...options, target, signKey });
      for (const n of r.notes) ctx.reporter.info(`apt-repository: ${n}`);
      return { output: 'apt-repository', ok: true, location: r.location, detail: outputDetail(r) };
    },
  };
}
