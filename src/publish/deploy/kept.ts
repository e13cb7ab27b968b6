/**
 * The copy of the last healthy package a host keeps for rollbacks: after an install, the uploaded
 * file is copied (as root) to `/var/lib/mkpkg-deploy/NAME/VERSION.FORMAT` (directories 0700,
 * file 0600); once the new version is healthy the older copies go. A rollback reinstalls the copy
 * of the version the host had before.
 */
import type { FormatName } from '../../formats/types.js';
import { remoteFailure, scriptArgv, type RemoteHost } from './remote.js';

/** Where kept copies live on a host. */
export const KEPT_DIR = '/var/lib/mkpkg-deploy';

/** The file name of the kept copy of `version` (names and versions are validated plain words). */
export function keptName(version: string, format: FormatName): string {
  return `${version}.${format}`;
}

/** The absolute path of a kept copy. */
export function keptPath(name: string, version: string, format: FormatName): string {
  return `${KEPT_DIR}/${name}/${keptName(version, format)}`;
}

const KEEP = 'set -e; d="$1/$2"; install -d -m 0700 "$1" "$d"; install -m 0600 "$3" "$d/$4"';
const PRUNE = 'cd "$1/$2" 2>/dev/null || exit 0; for f in *; do if [ "$f" != "$3" ] && [ -f "$f" ]; then rm -f -- "$f"; fi; done';

/** Copy the uploaded file at `uploaded` to the package's kept copies. */
export async function keepCopy(remote: RemoteHost, pkg: { name: string; version: string; format: FormatName }, uploaded: string): Promise<void> {
  const r = await remote.run(scriptArgv(KEEP, [KEPT_DIR, pkg.name, uploaded, keptName(pkg.version, pkg.format)]), { root: true });
  if (r.code !== 0) throw remoteFailure(remote.label, `keeping a copy of ${pkg.name} ${pkg.version} in ${KEPT_DIR}`, r, 'E_DEPLOY_INSTALL', `the deploy keeps the installed package in ${KEPT_DIR} for --rollback: /var/lib must be writable by root and have room`);
}

/** Remove every kept copy of `name` except `keep` (a {@link keptName}). */
export async function pruneKept(remote: RemoteHost, name: string, keep: string): Promise<void> {
  await remote.run(scriptArgv(PRUNE, [KEPT_DIR, name, keep]), { root: true });
}

/** True when the host has the kept copy at `path`. */
export async function hasKept(remote: RemoteHost, path: string): Promise<boolean> {
  return (await remote.run(['test', '-f', path], { root: true })).code === 0;
}
