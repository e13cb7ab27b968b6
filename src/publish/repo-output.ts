/**
 * What the apt and yum repository outputs share: the repository given as `dir` or `target`, the
 * one-line summary, and the output that publishes the build's packages of one format.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { MkpkgError } from '../errors.js';
import type { FormatName } from '../formats/types.js';
import type { Output, PublishResult } from '../pipeline/types.js';
import { isArmoredKey } from '../sign/index.js';
import type { PublishReport } from './report.js';

/** The repository of an output: a directory or `s3://BUCKET/PREFIX`, as `dir` or `target`, and its key. */
export interface RepositoryTarget {
  /** The repository directory (relative: to the project directory). */
  dir?: string;
  /** A directory or `s3://BUCKET/PREFIX` (instead of `dir`). */
  target?: string;
  signKey?: string;
}

/** The target, with a relative directory and key file resolved against `base`. */
export function resolveTarget(options: RepositoryTarget, base: string, what: string): { target: string; signKey?: string } {
  const target = options.target ?? options.dir;
  if (!target) throw new MkpkgError('E_REPO_INVALID', `${what}: give the repository as dir or target`, { hint: `e.g. ${what}({ dir: 'out/repo' }) or ${what}({ target: 's3://bucket/prefix' })` });
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  const key = options.signKey;
  return {
    target: local && !isAbsolute(target) ? resolvePath(base, target) : target,
    signKey: key && !isArmoredKey(key) && !isAbsolute(key) ? resolvePath(base, key) : key,
  };
}

/** The one-line summary outputs print: `1 added, 3 in stable/main [amd64 arm64], signed`. */
function outputDetail(r: PublishReport): string {
  const where = r.family === 'apt' ? ` in ${r.suite}/${r.components?.join(',')} [${r.architectures?.join(' ')}]` : '';
  const extra = [r.replaced.length && `${r.replaced.length} replaced`, r.unchanged.length && `${r.unchanged.length} already published`, r.removed.length && `${r.removed.length} removed`].filter(Boolean);
  return `${r.added.length} added, ${r.packages}${where}${r.signed ? ', signed' : ''}${extra.length ? `; ${extra.join(', ')}` : ''}${r.changed ? '' : '; repository unchanged'}`;
}

/**
 * The output `name` (also the function named in errors, `what`), publishing the build's `format`
 * files with `publish`; a build that made none leaves the repository untouched.
 */
export function repositoryOutput<O extends RepositoryTarget>(
  name: string, what: string, format: FormatName, options: O,
  publish: (files: string[], options: O & { target: string; signKey?: string }) => Promise<PublishReport>,
): Output {
  resolveTarget(options, '.', what);
  return {
    name,
    kind: 'publish',
    async run(artifacts, ctx): Promise<PublishResult> {
      const files = artifacts.filter((a) => a.format === format).map((a) => a.path);
      const { target, signKey } = resolveTarget(options, ctx.options.dir, what);
      if (files.length === 0) return { output: name, ok: true, location: target, detail: `no .${format} was built; the repository was not touched` };
      const r = await publish(files, { ...options, target, signKey });
      for (const n of r.notes) ctx.reporter.info(`${name}: ${n}`);
      return { output: name, ok: true, location: r.location, detail: outputDetail(r) };
    },
  };
}
