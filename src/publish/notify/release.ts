/**
 * The facts of a release that a notification carries: packages and versions with checksums,
 * where they went, what changed since the previous release, and who/what ran it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { builtinTemplatesDir } from '../../templates/lookup.js';
import { compareDebianVersions, parseDebianVersion } from '../../versions/debian.js';
import { readChangelog, type ChangelogEntry, type PackageFile } from '../package-file.js';
import { changesSinceTag, type CommitLine } from './git.js';
import { runnerInfo, type RunnerInfo } from './runner-info.js';

/** One released package file. */
export interface ReleasedPackage {
  name: string;
  version: string;
  arch: string;
  format: string;
  file: string;
  size: number;
  sha256: string;
}

/** Where the release went: a repository, hosts, … (a publish output's result). */
export interface Destination {
  output: string;
  ok: boolean;
  location?: string;
  detail?: string;
}

/** Changelog entries of one package since the previous release. */
export interface PackageChanges {
  package: string;
  version: string;
  changes: string[];
}

/** Everything a notification says. */
export interface ReleaseSummary {
  packages: ReleasedPackage[];
  destinations: Destination[];
  changes: {
    /** The previous release tag (git), when known. */
    since?: string;
    changelog: PackageChanges[];
    commits: CommitLine[];
    commitsTruncated: boolean;
  };
  ranBy: RunnerInfo;
  mkpkg: string;
  /** ISO 8601. */
  time: string;
}

/** Input of {@link summarizeRelease}. */
export interface ReleaseInput {
  packages: PackageFile[];
  destinations: Destination[];
  /** The project checkout, for the commits since the previous tag (none when not a git checkout). */
  projectDir?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

let version: string | undefined;
/** mkpkg's own version (its package.json sits beside packaging-templates/). */
export function mkpkgVersion(): string {
  version ??= (JSON.parse(readFileSync(join(dirname(builtinTemplatesDir()), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

function upstreamOf(v: string): string {
  try {
    return parseDebianVersion(v).upstream;
  } catch {
    return v.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
  }
}

/**
 * The entries newer than the previous release `since` (a tag such as `v1.2.0`), newest first;
 * only the newest entry when the previous release is not known or not a version.
 */
export function entriesSince(entries: readonly ChangelogEntry[], since: string | undefined): ChangelogEntry[] {
  const prev = since?.replace(/^v(?=\d)/, '');
  if (!prev || !/^\d/.test(prev)) return entries.slice(0, 1);
  const out: ChangelogEntry[] = [];
  for (const e of entries) {
    try {
      if (compareDebianVersions(upstreamOf(e.version), prev) <= 0) break;
    } catch {
      break;
    }
    out.push(e);
  }
  return out.length ? out : entries.slice(0, 1);
}

/** Gather the summary: reads each package's changelog and the project's git history. */
export async function summarizeRelease(input: ReleaseInput): Promise<ReleaseSummary> {
  const git = input.projectDir ? await changesSinceTag(input.projectDir) : undefined;
  const changelog: PackageChanges[] = [];
  for (const p of input.packages) {
    if (changelog.some((c) => c.package === p.name)) continue;
    for (const e of entriesSince(await readChangelog(p), git?.previousTag)) changelog.push({ package: p.name, version: e.version, changes: e.changes });
  }
  return {
    packages: input.packages.map((p) => ({ name: p.name, version: p.version, arch: p.arch, format: p.format, file: p.file, size: p.size, sha256: p.sha256 })),
    destinations: input.destinations,
    changes: { ...(git?.previousTag ? { since: git.previousTag } : {}), changelog, commits: git?.commits ?? [], commitsTruncated: git?.truncated ?? false },
    ranBy: runnerInfo(input.env),
    mkpkg: mkpkgVersion(),
    time: (input.now ?? new Date()).toISOString(),
  };
}
