/** The flags of `mkpkg notify` (parsed at start-up; the notify code is loaded only when it runs). */
import type { CommandArgs } from '../args/spec.js';

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

/** The arguments of `mkpkg notify`. */
export const NOTIFY_ARGS: CommandArgs = {
  positionals: [{ name: 'pkgs', variadic: true, required: true, describe: 'the released .deb and/or .rpm files' }],
  options: {
    repository: { type: 'string[]', describe: 'where the packages were published (repeatable)' },
    host: { type: 'string[]', describe: 'a host the packages were deployed to (repeatable)' },
    'url-env': { type: 'string', describe: 'environment variable holding the webhook URL (default MKPKG_WEBHOOK_URL); the URL is never a flag' },
    'url-file': { type: 'string', describe: 'file whose first line is the webhook URL' },
    format: { type: 'string', choices: ['slack', 'generic'], describe: 'slack (text + blocks, default) or generic JSON' },
    required: { type: 'boolean', describe: 'exit 1 when the notification cannot be delivered (default: warn, exit 0)' },
    retries: { type: 'number', describe: 'retries on 429/5xx/timeouts (default 3)' },
    timeout: { type: 'number', describe: 'seconds per attempt (default 10)' },
    dir: { type: 'string', default: '.', describe: 'the project checkout: commits since the previous git tag' },
    'dry-run': { type: 'boolean', describe: 'print the payload, send nothing' },
    json: { type: 'boolean', describe: 'print the outcome and the payload as JSON' },
    quiet: { alias: 'q', type: 'boolean', describe: 'print only errors and warnings' },
    verbose: { alias: 'v', type: 'boolean', describe: 'print each retry' },
  },
};
