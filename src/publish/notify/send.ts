/**
 * One release notification: summarise, build the body, read the secret URL, deliver. Shared by
 * `mkpkg notify` and the `notify({...})` output. A failure is a warning unless `required`.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import * as z from 'zod';
import { MkpkgError, isMkpkgError } from '../../errors.js';
import { parseOptions } from '../options.js';
import type { PackageFile } from '../package-file.js';
import { deliverWebhook, type Delivery } from './deliver.js';
import { payloadFor, type PayloadFormat } from './payload.js';
import { mkpkgVersion, summarizeRelease, type Destination } from './release.js';
import { DEFAULT_URL_ENV, readWebhookUrl, redact, type WebhookSecret } from './secret.js';

/** `notify({...})` / `mkpkg notify` options. The URL itself is never an option. */
export const notifyOptionsSchema = z.object({
  /** Environment variable holding the webhook URL (default MKPKG_WEBHOOK_URL). */
  urlEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
  /** A file whose first line is the webhook URL (relative: to the project). */
  urlFile: z.string().min(1).optional(),
  /** `slack` (text + blocks; default) or `generic` (the release summary as JSON). */
  format: z.enum(['slack', 'generic']).optional(),
  /** Fail the release when the notification cannot be delivered (default: warn). */
  required: z.boolean().optional(),
  /** Retries after the first attempt on 429/5xx/timeouts (default 3). */
  retries: z.number().int().min(0).max(10).optional(),
  /** Seconds per attempt (default 10). */
  timeout: z.number().positive().max(300).optional(),
}).strict();

/** The options. */
export type NotifyOptions = z.input<typeof notifyOptionsSchema>;

const HINT = `notify options: urlEnv (default ${DEFAULT_URL_ENV}), urlFile, format ('slack' | 'generic'), required, retries, timeout; the URL is a secret and goes in the environment or a file`;

/** Validate the options (never echoing values: they sit next to a secret). */
export function checkNotifyOptions(value: unknown, where: string): z.output<typeof notifyOptionsSchema> {
  if (value && typeof value === 'object' && ('url' in value || 'webhook' in value)) {
    throw new MkpkgError('E_NOTIFY_INVALID', `${where}: the webhook URL cannot be an option (it is a secret and would end up in the config, shell history or logs)`, {
      hint: `put it in an environment variable (urlEnv, default ${DEFAULT_URL_ENV}) or a file (urlFile)`,
    });
  }
  const o = parseOptions(notifyOptionsSchema, value ?? {}, where, 'E_NOTIFY_INVALID', HINT, false);
  if (o.urlEnv && o.urlFile) throw new MkpkgError('E_NOTIFY_INVALID', `${where}: give urlEnv or urlFile, not both`, { hint: HINT });
  return o;
}

/** What a notification did. */
export interface NotifyOutcome {
  delivered: boolean;
  format: PayloadFormat;
  /** Where the URL came from (`$NAME`, `file PATH`). */
  source: string;
  attempts: number;
  status?: number;
  /** Why it was not delivered (redacted), when it was not. */
  error?: { code: string; message: string; hint?: string };
  payload: Record<string, unknown>;
}

/** What to announce. */
export interface NotifyInput {
  packages: PackageFile[];
  destinations: Destination[];
  /** The project checkout (commits since the previous tag); relative `urlFile` is taken from here too. */
  projectDir: string;
  /** Told about retries (redacted). */
  onAttempt?: (message: string) => void;
  /** Build the payload but send nothing. */
  dryRun?: boolean;
}

/**
 * Send the notification. Throws (a redacted E_NOTIFY_*) only when `required`; otherwise a
 * failure is returned in the outcome for the caller to warn about.
 */
export async function sendNotification(input: NotifyInput, options: NotifyOptions, where = 'notify'): Promise<NotifyOutcome> {
  const o = checkNotifyOptions(options, where);
  const format = o.format ?? 'slack';
  const summary = await summarizeRelease({ packages: input.packages, destinations: input.destinations, projectDir: input.projectDir });
  const payload = payloadFor(format, summary);
  const urlFile = o.urlFile && !isAbsolute(o.urlFile) ? resolvePath(input.projectDir, o.urlFile) : o.urlFile;
  const source = urlFile ? `file ${urlFile}` : `$${o.urlEnv ?? DEFAULT_URL_ENV}`;
  const outcome: NotifyOutcome = { delivered: false, format, source, attempts: 0, payload };
  if (input.dryRun) return outcome;
  let secret: WebhookSecret | undefined;
  try {
    secret = await readWebhookUrl({ urlEnv: o.urlEnv, urlFile });
    if (!secret) {
      throw new MkpkgError('E_NOTIFY_INVALID', `no webhook URL: ${source} is ${urlFile ? 'empty' : 'not set'}`, {
        hint: `put the webhook URL in ${source} (--url-env NAME / --url-file FILE choose another place)`,
      });
    }
    const d: Delivery = await deliverWebhook(secret, payload, {
      retries: o.retries, timeoutMs: o.timeout !== undefined ? o.timeout * 1000 : undefined, onAttempt: input.onAttempt, userAgent: `mkpkg/${mkpkgVersion()}`,
    });
    return { ...outcome, delivered: true, attempts: d.attempts, status: d.status };
  } catch (e) {
    if (!isMkpkgError(e)) throw e;
    const safe = new MkpkgError(e.code, redact(e.message, secret), { hint: e.hint, details: { source } });
    if (o.required) throw safe;
    const attempts = typeof e.details?.attempts === 'number' ? e.details.attempts : 0;
    return { ...outcome, attempts, error: { code: safe.code, message: safe.message, ...(safe.hint ? { hint: safe.hint } : {}) } };
  }
}
