/** The flags of `mkpkg notify` (parsed at start-up; the notify code is loaded only when it runs). */
import type { Argv } from 'yargs';
import { last } from './last-value.js';

/** The flags of `mkpkg notify`. */
export interface NotifyFlags {
  pkgs: string[];
  repository?: string[];
  host?: string[];
  'url-env'?: string;
  'url-file'?: string;
  format?: 'slack' | 'generic';
  required?: boolean;
  retries?: number;
  timeout?: number;
  dir: string;
  'dry-run'?: boolean;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function notifyFlags<T>(y: Argv<T>) {
  return y
    .positional('pkgs', { type: 'string', array: true, demandOption: true, describe: 'the released .deb and/or .rpm files' })
    .option('repository', { type: 'string', array: true, describe: 'where the packages were published (repeatable)' })
    .option('host', { type: 'string', array: true, describe: 'a host the packages were deployed to (repeatable)' })
    .option('url-env', { type: 'string', coerce: last, describe: 'environment variable holding the webhook URL (default MKPKG_WEBHOOK_URL); the URL is never a flag' })
    .option('url-file', { type: 'string', coerce: last, describe: 'file whose first line is the webhook URL' })
    .option('format', { type: 'string', coerce: last, choices: ['slack', 'generic'] as const, describe: 'slack (text + blocks, default) or generic JSON' })
    .option('required', { type: 'boolean', describe: 'exit 1 when the notification cannot be delivered (default: warn, exit 0)' })
    .option('retries', { type: 'number', coerce: last, describe: 'retries on 429/5xx/timeouts (default 3)' })
    .option('timeout', { type: 'number', coerce: last, describe: 'seconds per attempt (default 10)' })
    .option('dir', { type: 'string', coerce: last, default: '.', describe: 'the project checkout: commits since the previous git tag' })
    .option('dry-run', { type: 'boolean', describe: 'print the payload, send nothing' })
    .option('json', { type: 'boolean', describe: 'print the outcome and the payload as JSON' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'print only errors and warnings' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'print each retry' });
}
