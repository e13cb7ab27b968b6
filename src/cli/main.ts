/** The mkpkg command line: argument parsing and dispatch only; the work is in the library. */
import yargs from 'yargs';
import { MkpkgError } from '../errors.js';
import { killDescendantsAtExit } from '../proc/children.js';
import { providePublicApi } from '../config/user-modules.js';
import { cliPublicApi } from './public-api.js';
import { buildFlags, runBuild, type BuildFlags } from './commands/build.js';
import { deployFlags, type DeployFlags } from './commands/deploy-flags.js';
import { notifyFlags, type NotifyFlags } from './commands/notify-flags.js';
import type * as InspectCmd from './commands/inspect.js';
import type * as InitCmd from './commands/init.js';
import type * as TemplatesCmd from './commands/templates.js';
import type * as VerifyCmd from './commands/verify.js';
import type * as DeployCmd from './commands/deploy.js';
import type * as NotifyCmd from './commands/notify.js';
import { publishFlags, runPublish, type PublishFlags } from './commands/publish.js';
import { isVersionRequest, mkpkgVersion } from './version.js';

// Commands other than the builds are imported when run: start-up stays small (the verify harness,
// archive readers and template ejection are never loaded for `mkpkg deb`).
const runInspect = async (...a: Parameters<typeof InspectCmd.runInspect>) => (await import('./commands/inspect.js')).runInspect(...a);
const runInit = async (...a: Parameters<typeof InitCmd.runInit>) => (await import('./commands/init.js')).runInit(...a);
const runTemplates = async (...a: Parameters<typeof TemplatesCmd.runTemplates>) => (await import('./commands/templates.js')).runTemplates(...a);
const runVerify = async (...a: Parameters<typeof VerifyCmd.runVerify>) => (await import('./commands/verify.js')).runVerify(...a);
const runDeploy = async (...a: Parameters<typeof DeployCmd.runDeploy>) => (await import('./commands/deploy.js')).runDeploy(...a);
const runNotify = async (...a: Parameters<typeof NotifyCmd.runNotify>) => (await import('./commands/notify.js')).runNotify(...a);
import { EXIT, printError } from './output.js';

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // The CLI owns its process: nothing it started (compressors, npm, plugins' processes) outlives it.
  killDescendantsAtExit();
  providePublicApi(cliPublicApi);
  // For the benchmark (bench/run.mjs): node's own peak RSS and CPU time, apart from the compressor processes.
  if (process.env.MKPKG_REPORT_RSS) {
    process.once('exit', () => {
      const u = process.resourceUsage();
      process.stderr.write(`mkpkg-maxrss-kib ${u.maxRSS}\nmkpkg-cpu-ms ${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
    });
  }
  // `mkpkg inspect X | head`: a closed pipe ends the output quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.OK);
    throw e;
  });
  if (isVersionRequest(argv)) {
    process.stdout.write(`${await mkpkgVersion()}\n`);
    return EXIT.OK;
  }
  // With --json, an error is also a JSON object on stdout (scripts read stdout only).
  const json = argv.includes('--json');
  let usageError: string | undefined;
  // A command handler only records its action: yargs calls handlers even when strict validation
  // failed (unknown option, bad choice), and nothing may be built before the usage is known good.
  let action: (() => Promise<number>) | undefined;
  const run = (fn: () => Promise<number>) => async () => {
    action = fn;
  };
  const parser = yargs(argv)
    .scriptName('mkpkg')
    .usage('$0 <command> [options]\n$0 --version')
    .command('deb [dir]', 'build a .deb', (y) => buildFlags(y), (a) => run(() => runBuild(a as unknown as BuildFlags, ['deb']))())
    .command('rpm [dir]', 'build an .rpm', (y) => buildFlags(y), (a) => run(() => runBuild(a as unknown as BuildFlags, ['rpm']))())
    .command('build [dir]', 'build several formats in one pass', (y) => buildFlags(y).option('formats', { type: 'string', default: 'deb,rpm', describe: 'comma-separated: deb,rpm' }),
      (a) => run(() => runBuild(a as unknown as BuildFlags, undefined))())
    .command('stage [dir]', 'write the release tree exactly as it will be packaged', (y) => buildFlags(y).option('format', { type: 'string', default: 'deb', choices: ['deb', 'rpm'] }).demandOption('out'),
      (a) => run(() => runBuild({ ...(a as unknown as BuildFlags), out: undefined }, [a.format as 'deb' | 'rpm'], a.out as string))())
    .command('inspect <file>', 'print the metadata and file list of a .deb or .rpm', (y) => y.positional('file', { type: 'string', demandOption: true }).option('json', { type: 'boolean' }),
      (a) => run(() => runInspect(a.file as string, Boolean(a.json)))())
    .command('init [dir]', 'write a commented mkpkg.config.ts derived from package.json', (y) => y.positional('dir', { type: 'string', default: '.' }).option('force', { type: 'boolean', describe: 'overwrite an existing config' }),
      (a) => run(() => runInit(a.dir as string, Boolean(a.force)))())
    .command('templates <action> [names..]', 'list the templates, or eject built-ins into the project for editing', (y) => y
      .positional('action', { choices: ['list', 'eject'] as const, demandOption: true })
      .positional('names', { type: 'string', array: true })
      .option('dir', { type: 'string', default: '.', describe: 'project directory' })
      .option('config', { type: 'string', describe: 'config file (default: mkpkg.config.{ts,mts,mjs,js,json})' })
      .option('json', { type: 'boolean' }),
    (a) => run(() => runTemplates(a.action as 'list' | 'eject', (a.names as string[] | undefined) ?? [], a.dir as string, Boolean(a.json), a.config as string | undefined))())
    .command('verify <pkg>', 'install, upgrade and remove a package in a booted systemd container', (y) => y
      .positional('pkg', { type: 'string', demandOption: true })
      .option('upgrade-from', { type: 'string', describe: 'an older package to install first' })
      .option('timeout', { type: 'number', describe: 'seconds to wait for each service to become active (default 20)' })
      .option('settle', { type: 'number', describe: 'seconds each service must then stay up: same MainPID, no restarts (default 5)' })
      .option('health-cmd', { type: 'string', describe: 'a shell command run in the container after install, upgrade and reinstall; must exit 0' })
      .option('health-url', { type: 'string', describe: 'http://127.0.0.1:PORT/PATH that must answer 2xx after install, upgrade and reinstall' })
      .option('json', { type: 'boolean' }),
    (a) => run(() => runVerify(a.pkg as string, a['upgrade-from'] as string | undefined, Boolean(a.json), a.timeout as number | undefined, {
      settle: a.settle as number | undefined, healthCmd: a['health-cmd'] as string | undefined, healthUrl: a['health-url'] as string | undefined,
    }))())
    .command('deploy <pkgs..>', 'install or upgrade packages on hosts over SSH, one batch at a time, health-checked', (y) => deployFlags(y),
      (a) => run(() => runDeploy(a as unknown as DeployFlags))())
    .command('notify <pkgs..>', 'send a release notification (Slack-compatible or generic JSON webhook)', (y) => notifyFlags(y),
      (a) => run(() => runNotify(a as unknown as NotifyFlags))())
    .command('publish <family> <target> [packages..]', 'add packages to an apt or yum repository (a directory or s3://BUCKET/PREFIX)', (y) => publishFlags(y),
      (a) => run(() => runPublish(a as unknown as PublishFlags))())
    .demandCommand(1, 'give a command: deb, rpm, build, stage, inspect, init, templates, verify, publish, deploy, notify')
    .strict()
    .version(false)
    .help()
    .alias('h', 'help')
    .wrap(process.stdout.columns ? Math.min(110, process.stdout.columns) : null)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err && !(err instanceof MkpkgError) && !(err as Error).name?.includes('YError')) throw err;
      usageError = msg ?? err?.message;
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (!usageError) return printError(e, process.stderr, json);
  }
  if (usageError) {
    return printError(new MkpkgError('E_USAGE', usageError, { hint: 'run "mkpkg --help" or "mkpkg <command> --help"' }), process.stderr, json);
  }
  if (!action) return EXIT.OK; // --help
  try {
    return await action();
  } catch (e) {
    return printError(e, process.stderr, json);
  }
}
