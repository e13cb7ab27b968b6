/**
 * Package repositories for the apt and dnf flows, made with Debian's own tools as test tools:
 * a flat apt repository (dpkg-scanpackages + a Release file with SHA256 sums) and a yum
 * repository (createrepo_c). They are served to the container with `serveDirectory`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * A flat apt repository in `dir` (`deb URL ./`): the .debs, `Packages` from dpkg-scanpackages,
 * and a `Release` listing its size and SHA256 (apt requires a strong hash).
 */
export function makeFlatAptRepo(dir: string, debs: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const d of debs) copyFileSync(d, join(dir, basename(d)));
  const packages = sh('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], dir);
  writeFileSync(join(dir, 'Packages'), packages);
  const bytes = readFileSync(join(dir, 'Packages'));
  const sha = createHash('sha256').update(bytes).digest('hex');
  const date = new Date().toUTCString().replace('GMT', 'UTC');
  writeFileSync(join(dir, 'Release'), [
    'Origin: mkpkg-e2e', 'Label: mkpkg-e2e', 'Suite: e2e', 'Codename: e2e', `Date: ${date}`, 'Architectures: all amd64 arm64',
    'SHA256:', ` ${sha} ${bytes.length} Packages`, '',
  ].join('\n'));
  return dir;
}

/** A yum repository in `dir`: the .rpms and `repodata/` from createrepo_c. */
export function makeYumRepo(dir: string, rpms: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const r of rpms) copyFileSync(r, join(dir, basename(r)));
  sh('createrepo_c', ['--quiet', '.'], dir);
  return dir;
}
