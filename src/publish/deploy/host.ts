/**
 * The deploy of one host: connect (host key checked), probe, pick the packages for its family
 * and architecture, upload them to a private temp dir, install, check the installed versions,
 * wait for the services to run steadily, run the health check; on a failure after the install
 * started, roll back when asked. Never throws: the outcome is in the {@link HostResult}.
 */
import { MkpkgError } from '../../errors.js';
import type { PackageFile } from '../package-file.js';
import { runHealthCheck, waitServicesSteady, type ServiceState } from './health.js';
import { installFiles, installTool } from './install-commands.js';
import { keepCopy, keptName, pruneKept } from './kept.js';
import type { ResolvedDeploy } from './options.js';
import { installedVersion, probeHost } from './probe.js';
import { RemoteHost } from './remote.js';
import { rollBack } from './rollback.js';
import { pickPackages } from './select.js';
import { openSsh, type SshSession } from './ssh.js';
import type { DeployTarget } from './targets.js';
import { errorInfo, type HostResult } from './types.js';
import { withUploads } from './upload.js';

/** Everything a host's deploy needs. */
export interface HostDeployInput {
  packages: PackageFile[];
  previous: PackageFile[];
  options: ResolvedDeploy;
  /** Progress lines (`uploading …`, `installing …`). */
  onProgress?: (host: string, message: string) => void;
  /** Every remote command line (for --verbose). */
  onCommand?: (host: string, line: string) => void;
}

const COMMAND_TIMEOUT = 120_000;
const INSTALL_TIMEOUT = 15 * 60_000;

/** Deploy to one host. */
export async function deployHost(target: DeployTarget, input: HostDeployInput): Promise<HostResult & { failure?: unknown }> {
  const started = Date.now();
  const o = input.options;
  const say = (m: string) => input.onProgress?.(target.label, m);
  const result: HostResult & { failure?: unknown } = { host: target.label, status: 'failed', packages: [], services: [], durationMs: 0, notes: [] };
  const leftDir = (dir: string, out: string) => result.notes.push(`could not remove the upload directory ${dir}: ${out}`);
  let session: SshSession | undefined;
  let remote: RemoteHost | undefined;
  let rollbackNeeded = false;
  let rollback: (() => ReturnType<typeof rollBack>) | undefined;
  try {
    say('connecting');
    session = await openSsh(target, {
      identity: o.identity, hostKeys: o.hostKeys, connectTimeoutMs: o.connectTimeoutMs,
      onNewHostKey: (file) => result.notes.push(`new host key accepted and recorded in ${file}`),
    });
    remote = new RemoteHost(session, COMMAND_TIMEOUT, input.onCommand && ((l) => input.onCommand!(target.label, l)));
    const facts = await probeHost(remote);
    result.family = facts.family as 'deb' | 'rpm';
    result.arch = facts.arch;
    const chosen = pickPackages(input.packages, { label: target.label, family: result.family, arch: facts.arch });
    const tool = installTool(result.family, facts.tools);
    for (const p of chosen) {
      result.packages.push({ name: p.name, file: p.file, format: p.format, oldVersion: await installedVersion(remote, result.family, p.name), newVersion: null });
    }
    const h = remote;
    rollback = () => rollBack(h, {
      facts, tool, changes: result.packages, previous: input.previous, timeoutMs: o.timeoutMs, settleMs: o.settleMs, onCleanupFailed: leftDir,
    });
    const todo = chosen.filter((p, i) => result.packages[i]!.oldVersion !== p.version);
    if (todo.length) {
      say(`uploading ${todo.map((p) => p.file).join(', ')}`);
      await withUploads(h, todo, async (paths) => {
        say(`installing with ${tool}`);
        rollbackNeeded = true;
        const cmd = installFiles(tool, paths);
        await h.runOk(cmd.argv, `${tool} installing ${todo.map((p) => p.file).join(' ')}`, 'E_DEPLOY_INSTALL', { root: true, env: cmd.env, timeoutMs: INSTALL_TIMEOUT });
        for (const [i, p] of todo.entries()) await keepCopy(h, p, paths[i]!);
      }, leftDir);
    }
    for (const [i, p] of chosen.entries()) {
      const now = await installedVersion(h, result.family, p.name);
      result.packages[i]!.newVersion = now;
      if (now !== p.version) {
        throw new MkpkgError('E_DEPLOY_INSTALL', `${target.label}: after the install ${p.name} is ${now ?? 'not installed'}, expected ${p.version}`, {
          hint: 'the package manager did not install this version (a newer one installed? held?); look at the host', details: { host: target.label },
        });
      }
    }
    const units = [...new Set(chosen.flatMap((p) => p.services))].sort();
    say(units.length ? `waiting for ${units.join(', ')}` : 'no services to check');
    result.services = await waitServicesSteady(h, units, o.timeoutMs, o.settleMs);
    if (o.check) say('health check');
    result.health = await runHealthCheck(h, o.check, facts.tools, o.timeoutMs);
    for (const p of todo) await pruneKept(h, p.name, keptName(p.version, p.format));
    result.status = todo.length ? 'deployed' : 'unchanged';
  } catch (e) {
    result.failure = e;
    result.error = errorInfo(e);
    const states = (e as MkpkgError).details?.services;
    if (Array.isArray(states)) result.services = states as ServiceState[];
    if (rollbackNeeded && o.rollback && rollback) {
      say('rolling back');
      result.rollback = await rollback();
    }
  } finally {
    session?.close();
    result.durationMs = Date.now() - started;
  }
  return result;
}
