/** `mkpkg deploy PKG… --host H…`: a rolling, health-checked upgrade over SSH. */
import { deployPackages, hostSummary } from '../../publish/deploy/index.js';
import { printError, printJson } from '../output.js';
import type { DeployFlags } from './deploy-flags.js';

/** Run the deploy and print the result; exit 1 when a host failed. */
export async function runDeploy(f: DeployFlags): Promise<number> {
  const progress = !f.quiet && !f.json;
  const { report, failure } = await deployPackages(f.pkgs, {
    hosts: f.host, user: f.user, port: f.port, identity: f.identity, knownHosts: f['known-hosts'], acceptNewHostKey: f['accept-new-host-key'],
    serial: f.serial, timeout: f.timeout, settle: f.settle, connectTimeout: f['connect-timeout'],
    healthUrl: f['health-url'], healthCmd: f['health-cmd'], rollback: f.rollback, previous: f.previous,
  }, {
    onProgress: progress ? (host, m) => process.stderr.write(`${host}: ${m}\n`) : undefined,
    onCommand: f.verbose && !f.quiet ? (host, line) => process.stderr.write(`${host}: $ ${line}\n`) : undefined,
  });
  if (f.json) printJson(report);
  else if (!f.quiet) {
    for (const h of report.hosts) {
      process.stdout.write(`${hostSummary(h)}\n`);
      for (const n of h.notes) process.stdout.write(`  note: ${n}\n`);
      if (h.rollback?.error) process.stdout.write(`  rollback failed: ${h.rollback.error.code}: ${h.rollback.error.message}\n`);
    }
  }
  return failure ? printError(failure) : 0;
}
