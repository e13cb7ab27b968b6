/**
 * Webhook delivery: POST the JSON body with a per-attempt timeout; on 429, 5xx, a timeout or a
 * network error retry (bounded) after `Retry-After` when the receiver sent one, else an
 * exponential backoff. Messages never contain the URL (see {@link redact}).
 */
import { MkpkgError } from '../../errors.js';
import { redact, type WebhookSecret } from './secret.js';

/** Delivery settings. */
export interface DeliveryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Per-attempt timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** First backoff in ms, doubled per retry (default 1 s, at most 30 s). */
  backoffMs?: number;
  /** The longest Retry-After honoured, in ms (default 60 s); a longer one ends the retries. */
  maxRetryAfterMs?: number;
  /** Told about each failed attempt (already redacted). */
  onAttempt?: (message: string) => void;
  userAgent?: string;
}

/** A successful delivery. */
export interface Delivery {
  status: number;
  attempts: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How much of a response body is read: enough for an error message; a hostile endpoint cannot fill memory. */
const BODY_BYTES = 4096;

/** The start of a response's body as text; the rest is never read (the stream is cancelled). */
async function bodyStart(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, BODY_BYTES).toString('utf8');
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const date = Date.parse(t);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/** POST `body` to the secret URL. Throws E_NOTIFY_FAILED (redacted) when every attempt failed. */
export async function deliverWebhook(secret: WebhookSecret, body: unknown, opts: DeliveryOptions = {}): Promise<Delivery> {
  const retries = opts.retries ?? 3;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const backoff = opts.backoffMs ?? 1000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  const data = JSON.stringify(body);
  let last = '';
  let attempts = 0;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    attempts = attempt;
    let wait: number | undefined;
    let retryable = true;
    try {
      const res = await fetch(secret.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': opts.userAgent ?? 'mkpkg' },
        body: data,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const text = (await bodyStart(res).catch(() => '')).slice(0, 300).trim();
      if (res.ok) return { status: res.status, attempts: attempt };
      last = `HTTP ${res.status}${text ? ` ${JSON.stringify(text)}` : ''}`;
      retryable = res.status === 429 || res.status >= 500;
      wait = retryAfterMs(res.headers.get('retry-after'));
    } catch (e) {
      last = errorText(e);
    }
    last = redact(last, secret);
    if (!retryable || attempt > retries) break;
    if (wait !== undefined && wait > maxRetryAfter) {
      last += ` (asked to retry after ${Math.round(wait / 1000)} s, more than ${maxRetryAfter / 1000} s)`;
      break;
    }
    const delay = wait ?? Math.min(30_000, backoff * 2 ** (attempt - 1));
    opts.onAttempt?.(`attempt ${attempt}: ${last}; retrying in ${(delay / 1000).toFixed(1)} s${wait !== undefined ? ' (Retry-After)' : ''}`);
    await sleep(delay);
  }
  throw new MkpkgError('E_NOTIFY_FAILED', `the notification to the webhook in ${secret.source} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last}`, {
    hint: 'check the webhook (is it still active? does the receiver accept JSON?); the URL itself is never printed',
    details: { source: secret.source, attempts, lastError: last },
  });
}
