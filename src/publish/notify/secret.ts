/**
 * The webhook URL is a secret (a Slack webhook URL is its own credential): it comes from an
 * environment variable or a file, never a flag or a config value, and no message mkpkg prints
 * contains it, any part of its path or query, or its host. Messages name where it came from instead.
 */
import { readFile } from 'node:fs/promises';
import { MkpkgError } from '../../errors.js';

/** The default environment variable holding the webhook URL. */
export const DEFAULT_URL_ENV = 'MKPKG_WEBHOOK_URL';

/** A webhook URL and where it came from (`$NAME` or `file PATH`), the only part ever shown. */
export interface WebhookSecret {
  url: URL;
  source: string;
}

/** Where to read the URL from. */
export interface WebhookSource {
  /** Environment variable (default {@link DEFAULT_URL_ENV}). */
  urlEnv?: string;
  /** A file whose first line is the URL (takes precedence over the environment). */
  urlFile?: string;
}

/** Read the URL; undefined when the source is empty or missing. E_NOTIFY_INVALID when it is not an http(s) URL. */
export async function readWebhookUrl(src: WebhookSource, env: NodeJS.ProcessEnv = process.env): Promise<WebhookSecret | undefined> {
  let raw: string | undefined;
  let source: string;
  if (src.urlFile) {
    source = `file ${src.urlFile}`;
    raw = await readFile(src.urlFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new MkpkgError('E_NOTIFY_INVALID', `cannot read the webhook URL from ${source} (${e.code ?? 'unreadable'})`, { hint: 'check --url-file (notify({ urlFile })): a file holding the webhook URL on its first line' });
    });
    raw = raw.split('\n')[0];
  } else {
    const name = src.urlEnv ?? DEFAULT_URL_ENV;
    source = `$${name}`;
    raw = env[name];
  }
  raw = raw?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new MkpkgError('E_NOTIFY_INVALID', `the webhook URL in ${source} is not an http(s) URL`, { hint: `put the full webhook URL (https://…) in ${source}; it is never printed` });
  }
  return { url, source };
}

/** The strings that give the URL (or a usable part of it) away, longest first. */
function secretParts(url: URL): string[] {
  const parts = new Set<string>([url.href, url.href.replace(/\/$/, ''), `${url.host}${url.pathname}`, url.pathname + url.search, url.search, url.host, url.hostname]);
  if (url.username) parts.add(url.username);
  if (url.password) parts.add(url.password);
  // Token-like path segments and query values (not words such as "services" or "hooks").
  const tokenLike = (s: string) => s.length >= 16 || (s.length >= 6 && /\d/.test(s));
  for (const seg of url.pathname.split('/')) if (tokenLike(seg)) parts.add(seg);
  for (const v of url.searchParams.values()) if (tokenLike(v)) parts.add(v);
  return [...parts].filter((p) => p.length >= 4 && p !== '/').sort((a, b) => b.length - a.length);
}

/** `text` with every part of the secret URL replaced by `***`. */
export function redact(text: string, secret: WebhookSecret | undefined): string {
  if (!secret) return text;
  let out = text;
  for (const p of secretParts(secret.url)) out = out.split(p).join('***');
  for (const p of secretParts(secret.url).map(encodeURIComponent)) out = out.split(p).join('***');
  return out;
}
