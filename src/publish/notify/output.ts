/**
 * `notify({...})`: an output announcing the release to a webhook (Slack-compatible or generic
 * JSON) in the notify step, after the publish outputs, with what they reported (repositories, hosts).
 */
import type { Output, PublishResult } from '../../pipeline/types.js';
import { readPackageFile } from '../package-file.js';
import { checkNotifyOptions, sendNotification, type NotifyOptions } from './send.js';

/** The output. Options are checked when the config is loaded; the URL is read when it runs. */
export function notify(options: NotifyOptions = {}): Output {
  checkNotifyOptions(options, 'notify()');
  return {
    name: 'notify',
    kind: 'notify',
    async run(artifacts, ctx): Promise<PublishResult> {
      const packages = [];
      for (const a of artifacts) packages.push(await readPackageFile(a.path));
      const destinations = ctx.published.map((r) => ({ output: r.output, ok: r.ok, ...(r.location ? { location: r.location } : {}), ...(r.detail ? { detail: r.detail } : {}) }));
      const out = await sendNotification({ packages, destinations, projectDir: ctx.options.dir, onAttempt: (m) => ctx.reporter.verbose(`notify: ${m}`) }, options, 'notify()');
      if (!out.delivered) {
        ctx.warn({ code: 'W_NOTIFY_FAILED', message: `${out.error?.code}: ${out.error?.message} (the release goes on; notify({ required: true }) makes this an error)` });
        return { output: 'notify', ok: false, detail: out.error?.code };
      }
      ctx.reporter.info(`notify: delivered to the webhook in ${out.source} (${out.format}${out.attempts > 1 ? `, after ${out.attempts} attempts` : ''})`);
      return { output: 'notify', ok: true, detail: `webhook in ${out.source}` };
    },
  };
}
