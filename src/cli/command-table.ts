/**
 * Every mkpkg command: what it takes (the specs the parser reads) and what runs it. Commands other
 * than the builds and publish are imported when run: start-up stays small (the verify harness,
 * archive readers and template ejection are never loaded for `mkpkg deb`).
 */
import type { CommandSpec, ParsedArgs } from './args/spec.js';
import { BUILD_ARGS, runBuild, type BuildFlags } from './commands/build.js';
import { DEPLOY_ARGS, type DeployFlags } from './commands/deploy-flags.js';
import { NOTIFY_ARGS, type NotifyFlags } from './commands/notify-flags.js';
import { PUBLISH_ARGS, runPublish, type PublishFlags } from './commands/publish.js';

/** A command and its handler, which receives the parsed arguments by their spec names. */
export interface Command extends CommandSpec {
  run(args: ParsedArgs): Promise<number>;
}

const build = (a: ParsedArgs) => a as unknown as BuildFlags;

export const COMMANDS: readonly Command[] = [
  { name: 'deb', describe: 'build a .deb', ...BUILD_ARGS, run: (a) => runBuild(build(a), ['deb']) },
  { name: 'rpm', describe: 'build an .rpm', ...BUILD_ARGS, run: (a) => runBuild(build(a), ['rpm']) },
  {
    name: 'build', describe: 'build several formats in one pass', positionals: BUILD_ARGS.positionals,
    options: { ...BUILD_ARGS.options, formats: { type: 'string', default: 'deb,rpm', describe: 'comma-separated: deb,rpm' } },
    run: (a) => runBuild(build(a), undefined),
  },
  {
    name: 'stage', describe: 'write the release tree exactly as it will be packaged', positionals: BUILD_ARGS.positionals,
    options: { ...BUILD_ARGS.options, out: { ...BUILD_ARGS.options.out!, required: true }, format: { type: 'string', default: 'deb', choices: ['deb', 'rpm'] } },
    run: (a) => runBuild({ ...build(a), out: undefined }, [a.format as 'deb' | 'rpm'], a.out as string),
  },
  {
    name: 'inspect', describe: 'print the metadata and file list of a .deb or .rpm',
    positionals: [{ name: 'file', required: true }],
    options: { json: { type: 'boolean' } },
    run: async (a) => (await import('./commands/inspect.js')).runInspect(a.file as string, Boolean(a.json)),
  },
  {
    name: 'init', describe: 'write a commented mkpkg.config.ts derived from package.json',
    positionals: [{ name: 'dir', default: '.' }],
    options: { force: { type: 'boolean', describe: 'overwrite an existing config' } },
    run: async (a) => (await import('./commands/init.js')).runInit(a.dir as string, Boolean(a.force)),
  },
  {
    name: 'templates', describe: 'list the templates, or eject built-ins into the project for editing',
    positionals: [{ name: 'action', required: true, choices: ['list', 'eject'] }, { name: 'names', variadic: true }],
    options: { dir: { type: 'string', default: '.', describe: 'project directory' }, config: BUILD_ARGS.options.config!, json: { type: 'boolean' } },
    run: async (a) => (await import('./commands/templates.js'))
      .runTemplates(a.action as 'list' | 'eject', a.names as string[], a.dir as string, Boolean(a.json), a.config as string | undefined),
  },
  {
    name: 'verify', describe: 'install, upgrade and remove a package in a booted systemd container',
    positionals: [{ name: 'pkg', required: true }],
    options: {
      'upgrade-from': { type: 'string', describe: 'an older package to install first' },
      timeout: { type: 'number', describe: 'seconds to wait for each service to become active (default 20)' },
      settle: { type: 'number', describe: 'seconds each service must then stay up: same MainPID, no restarts (default 5)' },
      'health-cmd': { type: 'string', describe: 'a shell command run in the container after install, upgrade and reinstall; must exit 0' },
      'health-url': { type: 'string', describe: 'http://127.0.0.1:PORT/PATH that must answer 2xx after install, upgrade and reinstall' },
      json: { type: 'boolean' },
    },
    run: async (a) => (await import('./commands/verify.js')).runVerify(a.pkg as string, a['upgrade-from'] as string | undefined, Boolean(a.json), a.timeout as number | undefined, {
      settle: a.settle as number | undefined, healthCmd: a['health-cmd'] as string | undefined, healthUrl: a['health-url'] as string | undefined,
    }),
  },
  {
    name: 'deploy', describe: 'install or upgrade packages on hosts over SSH, one batch at a time, health-checked', ...DEPLOY_ARGS,
    run: async (a) => (await import('./commands/deploy.js')).runDeploy(a as unknown as DeployFlags),
  },
  {
    name: 'notify', describe: 'send a release notification (Slack-compatible or generic JSON webhook)', ...NOTIFY_ARGS,
    run: async (a) => (await import('./commands/notify.js')).runNotify(a as unknown as NotifyFlags),
  },
  {
    name: 'publish', describe: 'add packages to an apt or yum repository (a directory or s3://BUCKET/PREFIX)', ...PUBLISH_ARGS,
    run: (a) => runPublish(a as unknown as PublishFlags),
  },
];
