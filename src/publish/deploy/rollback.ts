/**
 * `--rollback`: put a failed host back on the versions it had before the deploy. Per package, the
 * first of: the previous package file the user gave (`--previous`), the copy the last deploy kept
 * on the host ({@link KEPT_DIR}), that version from the host's repositories (apt-get / dnf / yum);
 * a package the host did not have is removed. Then its services must run again.
 */
import { MkpkgError } from '../../errors.js';
import type { PackageFile } from '../package-file.js';
import { waitServicesSteady } from './health.js';
import { installFiles, installVersionFromRepo, removePackages, type InstallTool } from './install-commands.js';
import { hasKept, keepCopy, keptName, keptPath, pruneKept } from './kept.js';
import { installedServices, installedVersion, type HostFacts } from './probe.js';
import type { RemoteHost } from './remote.js';
import { archFits } from './select.js';
import { errorInfo, type PackageChange, type RollbackResult, type RolledBackPackage } from './types.js';
import { withUploads } from './upload.js';

/** What a rollback needs besides the host. */
export interface RollbackInput {
  facts: HostFacts;
  tool: InstallTool;
  /** The packages the deploy touched, with the versions they had. */
  changes: PackageChange[];
  /** `--previous` files. */
  previous: PackageFile[];
  timeoutMs: number;
  settleMs: number;
  onCleanupFailed: (dir: string, output: string) => void;
}

const INSTALL_TIMEOUT = 15 * 60_000;

/** Roll back; never throws (the failure is in the result). */
export async function rollBack(remote: RemoteHost, input: RollbackInput): Promise<RollbackResult> {
  const done: RolledBackPackage[] = [];
  try {
    const { facts, tool } = input;
    const upload: PackageFile[] = [];
    const kept: { name: string; version: string; path: string }[] = [];
    const fromRepo: { name: string; version: string }[] = [];
    const remove: string[] = [];
    for (const c of input.changes) {
      const prev = input.previous.find((p) => p.name === c.name && p.format === facts.family && archFits(p.arch, facts.arch));
      if (prev) { upload.push(prev); done.push({ name: c.name, version: prev.version, method: 'previous-file' }); continue; }
      if (c.oldVersion === null) { remove.push(c.name); done.push({ name: c.name, version: null, method: 'remove' }); continue; }
      const path = keptPath(c.name, c.oldVersion, facts.family as 'deb' | 'rpm');
      if (await hasKept(remote, path)) { kept.push({ name: c.name, version: c.oldVersion, path }); done.push({ name: c.name, version: c.oldVersion, method: 'kept-copy' }); continue; }
      if (installVersionFromRepo(tool, c.name, c.oldVersion)) { fromRepo.push({ name: c.name, version: c.oldVersion }); done.push({ name: c.name, version: c.oldVersion, method: 'repository' }); continue; }
      throw new MkpkgError('E_DEPLOY_ROLLBACK', `${remote.label}: nothing to roll ${c.name} back to ${c.oldVersion} with: no --previous file for it, no kept copy (${path}) and ${tool} cannot fetch versions`, {
        hint: `pass the package of ${c.name} ${c.oldVersion} with --previous FILE`,
      });
    }
    const run = async (cmd: { argv: string[]; env?: Record<string, string> }, what: string) =>
      remote.runOk(cmd.argv, what, 'E_DEPLOY_ROLLBACK', { root: true, env: cmd.env, timeoutMs: INSTALL_TIMEOUT });
    const installAll = async (paths: string[]) => {
      if (paths.length) await run(installFiles(tool, paths, true), `rollback: ${tool} reinstalling ${paths.length} package file(s)`);
    };
    if (upload.length) {
      await withUploads(remote, upload, async (paths) => {
        await installAll([...paths, ...kept.map((k) => k.path)]);
        for (const [i, p] of upload.entries()) await keepCopy(remote, p, paths[i]!);
      }, input.onCleanupFailed);
    } else {
      await installAll(kept.map((k) => k.path));
    }
    for (const r of fromRepo) await run(installVersionFromRepo(tool, r.name, r.version)!, `rollback: ${tool} installing ${r.name} ${r.version}`);
    if (remove.length) await run(removePackages(tool, remove), `rollback: ${tool} removing ${remove.join(' ')}`);

    for (const d of done) {
      const now = await installedVersion(remote, facts.family as 'deb' | 'rpm', d.name);
      if (now !== d.version) {
        throw new MkpkgError('E_DEPLOY_ROLLBACK', `${remote.label}: after the rollback ${d.name} is ${now ?? 'not installed'}, expected ${d.version ?? 'not installed'}`, { hint: 'look at the host: the package manager did not restore the version' });
      }
      if (d.version !== null) await pruneKept(remote, d.name, keptName(d.version, facts.family as 'deb' | 'rpm'));
    }
    const units: string[] = [];
    for (const d of done) if (d.version !== null) units.push(...(await installedServices(remote, facts.family as 'deb' | 'rpm', d.name)));
    await waitServicesSteady(remote, units, input.timeoutMs, input.settleMs);
    return { ok: true, packages: done };
  } catch (e) {
    return { ok: false, packages: done, error: errorInfo(e) };
  }
}
