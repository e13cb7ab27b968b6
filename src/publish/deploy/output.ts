/**
 * `deploy({...})`: an output that deploys the build's packages to hosts over SSH after the
 * publish outputs listed before it, e.g.
 * `outputs: [aptRepository({ dir: 'out/repo' }), deploy({ hosts: ['web1', 'web2'], healthUrl: 'http://127.0.0.1:8080/health' })]`.
 */
import type { Output, PublishResult } from '../../pipeline/types.js';
import { resolveDeployOptions, type DeployOptions } from './options.js';
import { deployPackages } from './rollout.js';
import type { HostResult } from './types.js';

/** One line per host for the pipeline's --verbose and the result detail. */
export function hostSummary(h: HostResult): string {
  const pkgs = h.packages.map((p) => `${p.name} ${p.oldVersion ?? '(none)'} → ${p.newVersion ?? '?'}`).join(', ');
  const svc = h.services.length ? `, ${h.services.filter((s) => s.active === 'active').length}/${h.services.length} services active` : '';
  const health = h.health && h.health.check !== 'none' ? `, health ${h.health.ok ? 'ok' : 'failed'}` : '';
  const rb = h.rollback ? `, rollback ${h.rollback.ok ? 'done' : 'FAILED'}` : '';
  return `${h.host}: ${h.status}${pkgs ? ` (${pkgs}${svc}${health}${rb})` : ''} in ${(h.durationMs / 1000).toFixed(1)} s`;
}

/** The output. Options are checked when the config is loaded. */
export function deploy(options: DeployOptions): Output {
  resolveDeployOptions(options, 'deploy()', process.cwd());
  return {
    name: 'deploy',
    kind: 'publish',
    async run(artifacts, ctx): Promise<PublishResult> {
      const { report, failure } = await deployPackages(artifacts.map((a) => a.path), options, {
        baseDir: ctx.options.dir,
        onProgress: (host, m) => ctx.reporter.verbose(`deploy ${host}: ${m}`),
      });
      for (const h of report.hosts) ctx.reporter.info(`deploy ${hostSummary(h)}`);
      if (failure) throw failure;
      const deployed = report.hosts.map((h) => h.host);
      const versions = [...new Set(report.hosts.flatMap((h) => h.packages.map((p) => `${p.name} ${p.newVersion}`)))].join(', ');
      return { output: 'deploy', ok: true, location: deployed.join(', '), detail: `${versions} on ${deployed.length} host${deployed.length === 1 ? '' : 's'}` };
    },
  };
}
