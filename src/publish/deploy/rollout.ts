/**
 * A rolling deploy: hosts are upgraded `serial` at a time, in the order given; after a batch with
 * a failed host the rollout stops and the hosts not reached yet are left untouched.
 */
import { MkpkgError, isMkpkgError } from '../../errors.js';
import { readPackageFile, type PackageFile } from '../package-file.js';
import { deployHost } from './host.js';
import { resolveDeployOptions, type DeployOptions } from './options.js';
import { checkPackageSet } from './select.js';
import type { DeployReport, HostResult } from './types.js';

/** Callbacks of a deploy run. */
export interface DeployRunHooks {
  /** `host: message` progress lines. */
  onProgress?: (host: string, message: string) => void;
  /** Every remote command line as sent (for --verbose). */
  onCommand?: (host: string, line: string) => void;
  /** Relative paths (identity, knownHosts, previous) are resolved from here (default: cwd). */
  baseDir?: string;
}

/** The report and, when the rollout failed, the error that stopped it (with its details). */
export interface DeployRun {
  report: DeployReport;
  failure?: MkpkgError;
}

async function readAll(paths: readonly string[], what: string): Promise<PackageFile[]> {
  const out: PackageFile[] = [];
  for (const p of paths) out.push(await readPackageFile(p));
  checkPackageSet(out, what);
  return out;
}

/** Deploy `files` (.deb and/or .rpm, any number of packages) to the hosts of `options`. */
export async function deployPackages(files: readonly string[], options: DeployOptions, hooks: DeployRunHooks = {}): Promise<DeployRun> {
  const o = resolveDeployOptions(options, 'deploy', hooks.baseDir ?? process.cwd());
  if (files.length === 0) throw new MkpkgError('E_DEPLOY_INVALID', 'deploy: no package files given', { hint: 'give the .deb and/or .rpm files to deploy (mkpkg deploy PKG… --host H)' });
  const packages = await readAll(files, 'packages');
  const previous = await readAll(o.previous, 'previous packages');
  const stray = previous.find((p) => !packages.some((q) => q.name === p.name));
  if (stray) {
    throw new MkpkgError('E_DEPLOY_INVALID', `previous package ${stray.path} is ${stray.name}, which is not being deployed (${[...new Set(packages.map((p) => p.name))].join(', ')})`, {
      hint: 'give --previous files of the packages being deployed',
    });
  }
  const hosts: HostResult[] = [];
  let failure: MkpkgError | undefined;
  for (let i = 0; i < o.targets.length; i += o.serial) {
    const batch = o.targets.slice(i, i + o.serial);
    const results = await Promise.all(batch.map((t) => deployHost(t, { packages, previous, options: o, onProgress: hooks.onProgress, onCommand: hooks.onCommand })));
    for (const { failure: f, ...r } of results) {
      hosts.push(r);
      if (f && !failure) failure = isMkpkgError(f) ? f : new MkpkgError('E_DEPLOY_REMOTE', `${r.host}: ${(f as Error).message}`, { cause: f, hint: 'see the remote command\'s output above; rerun with --verbose to see each command' });
    }
    if (failure) {
      for (const t of o.targets.slice(i + o.serial)) hosts.push({ host: t.label, status: 'skipped', packages: [], services: [], durationMs: 0, notes: [] });
      break;
    }
  }
  const report: DeployReport = { ok: !failure, serial: o.serial, hosts };
  const first = hosts.find((h) => h.error);
  if (first?.error) report.error = first.error;
  return { report, failure };
}
