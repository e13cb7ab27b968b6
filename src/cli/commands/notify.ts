/** `mkpkg notify PKG…`: announce a release to a webhook. */
import { resolve as resolvePath } from 'node:path';
import { readPackageFile, type PackageFile } from '../../publish/package-file.js';
import { sendNotification } from '../../publish/notify/index.js';
import { printJson } from '../output.js';
import type { NotifyFlags } from './notify-flags.js';

export async function runNotify(f: NotifyFlags): Promise<number> {
  const packages: PackageFile[] = [];
  for (const p of f.pkgs) packages.push(await readPackageFile(resolvePath(p)));
  const destinations = [
    ...(f.repository ?? []).map((r) => ({ output: 'repository', ok: true, location: r })),
    ...(f.host?.length ? [{ output: 'deploy', ok: true, location: f.host.join(', ') }] : []),
  ];
  const dir = resolvePath(f.dir);
  const out = await sendNotification({
    packages, destinations, projectDir: dir, dryRun: f['dry-run'],
    onAttempt: f.verbose && !f.quiet ? (m) => process.stderr.write(`notify: ${m}\n`) : undefined,
  }, {
    urlEnv: f['url-env'], urlFile: f['url-file'] ? resolvePath(f['url-file']) : undefined, format: f.format, required: f.required, retries: f.retries, timeout: f.timeout,
  }, 'mkpkg notify');
  if (out.error) process.stderr.write(`warning W_NOTIFY_FAILED: ${out.error.code}: ${out.error.message}\n${out.error.hint ? `  hint: ${out.error.hint}\n` : ''}`);
  if (f.json) printJson(out);
  else if (f['dry-run']) printJson(out.payload);
  else if (out.delivered && !f.quiet) process.stdout.write(`delivered to the webhook in ${out.source} (${out.format}${out.attempts > 1 ? `, after ${out.attempts} attempts` : ''})\n`);
  return 0;
}
