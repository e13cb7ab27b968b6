/** `mkpkg deb|rpm|build|stage`: flags → BuildOptions → build() → printed result. */
import { COMPRESSIONS, type Compression } from '../../archive/compression.js';
import { MkpkgError } from '../../errors.js';
import { probeDeathSignal } from '../../proc/children.js';
import type { Artifact, FormatName } from '../../formats/types.js';
import { consoleReporter } from '../../reporter.js';
import type { CommandArgs } from '../args/spec.js';
import { printJson } from '../output.js';
import { formatSize, safeLine } from '../../terminal.js';

/** Flags shared by every building command. */
export interface BuildFlags {
  dir: string;
  out?: string;
  arch?: string;
  version?: string;
  release?: string;
  compression?: string;
  level?: number;
  config?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  strict?: boolean;
  'dry-run'?: boolean;
  'sign-key'?: string;
  publish?: boolean;
  formats?: string;
  workspaces?: string[];
  since?: string;
}

/** The arguments of every building command: the project directory and the shared options. */
export const BUILD_ARGS: CommandArgs = {
  positionals: [{ name: 'dir', default: '.', describe: 'project directory' }],
  options: {
    out: { alias: 'o', type: 'string', describe: 'output directory (default: DIR/mkpkg-out)' },
    arch: { type: 'string', describe: 'architecture: amd64/x86_64/x64, arm64/aarch64, all/noarch, …' },
    version: { type: 'string', describe: 'package version (default: package.json version)' },
    release: { type: 'string', describe: 'Debian revision / RPM release (default 1)' },
    compression: { type: 'string', choices: COMPRESSIONS, describe: 'payload compression (default xz)' },
    level: { type: 'number', describe: 'compression level' },
    config: { type: 'string', describe: 'config file (default: mkpkg.config.{ts,mts,mjs,js,json})' },
    json: { type: 'boolean', describe: 'print a machine-readable result on stdout' },
    quiet: { alias: 'q', type: 'boolean', describe: 'print only errors' },
    verbose: { alias: 'v', type: 'boolean', describe: 'print each step and template source' },
    strict: { type: 'boolean', describe: 'treat warnings as errors' },
    'dry-run': { type: 'boolean', describe: 'resolve and print the plan; write nothing' },
    'sign-key': { type: 'string', describe: 'armored OpenPGP private key to sign .rpm (passphrase: $MKPKG_SIGN_PASSPHRASE)' },
    publish: { type: 'boolean', default: true, describe: 'run the configured outputs (--no-publish: build only)' },
    workspaces: { type: 'string[]', describe: 'npm workspaces root: package each workspace (or the NAMEs/globs given) plus the metapackage' },
    since: { type: 'string', describe: 'with workspaces: only those changed since this git ref, and their dependents' },
  },
};

/** An artifact as `--json` prints it. */
function artifactJson(a: Artifact) {
  return { format: a.format, path: a.path, size: a.size, sha256: a.sha256, name: a.name, version: a.version, arch: a.arch };
}

/** An artifact as the human-readable output prints it: path, size, name version arch. */
function artifactLine(a: Artifact): string {
  return `${safeLine(a.path)}  (${formatSize(a.size)}, ${safeLine(`${a.name} ${a.version} ${a.arch}`)})\n`;
}

async function runWorkspacesBuild(flags: BuildFlags, formats: FormatName[], stageDir: string | undefined): Promise<number> {
  if (stageDir) throw new MkpkgError('E_USAGE', 'mkpkg stage does not take --workspaces or --since', { hint: 'stage one workspace: mkpkg stage packages/NAME --out DIR' });
  if (flags.version !== undefined) throw new MkpkgError('E_USAGE', '--version cannot be given to a workspaces build (each workspace has its own version)', { hint: 'set the version in each workspace\'s package.json, or build one workspace directory' });
  const reporter = consoleReporter({ quiet: flags.quiet || flags.json, verbose: flags.verbose });
  const { buildWorkspaces } = await import('../../workspaces/index.js');
  const result = await buildWorkspaces({
    dir: flags.dir, formats, outDir: flags.out, arch: flags.arch, release: flags.release, compression: flags.compression as Compression | undefined,
    level: flags.level, configFile: flags.config, strict: flags.strict, dryRun: flags['dry-run'], signKey: flags['sign-key'], publish: flags.publish,
    workspaces: flags.workspaces?.map(String), since: flags.since, reporter,
  }).finally(() => reporter.close?.());
  if (flags.json) {
    printJson({
      planned: result.planned.map((p) => ({ ...p, artifacts: p.artifacts.map((a) => a.path) })),
      skipped: result.skipped, outside: result.outside,
      artifacts: result.artifacts.map(artifactJson),
      warnings: result.warnings,
    });
    return 0;
  }
  if (flags.quiet) return 0;
  const verb = flags['dry-run'] ? 'would build' : 'built';
  for (const p of result.planned) process.stdout.write(`${verb} ${safeLine(p.name)}${p.kind === 'metapackage' ? ' (metapackage)' : ''} [${safeLine(p.packages.deb)}]: ${safeLine(p.reason)}\n`);
  for (const s of result.skipped) process.stdout.write(`skipped ${safeLine(s.name)}: ${safeLine(s.reason)}\n`);
  if (result.outside.length) process.stdout.write(`changed outside every workspace (selects nothing): ${result.outside.map(safeLine).join(', ')}\n`);
  if (!result.planned.length) process.stdout.write('nothing to build\n');
  for (const a of result.artifacts) process.stdout.write(artifactLine(a));
  return 0;
}

function parseFormats(s: string): FormatName[] {
  const list = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const f of list) {
    if (f !== 'deb' && f !== 'rpm') throw new MkpkgError('E_USAGE', `--formats: unknown format "${f}"`, { hint: 'use deb, rpm or deb,rpm' });
  }
  if (!list.length) throw new MkpkgError('E_USAGE', '--formats is empty', { hint: 'use deb, rpm or deb,rpm' });
  return [...new Set(list)] as FormatName[];
}

/** Run a build for the given formats and print the result. */
export async function runBuild(flags: BuildFlags, formats: FormatName[] | undefined, stageDir?: string): Promise<number> {
  // A build spawns compressors: find out now, while the project loads, whether they can be tied to our life with setpriv.
  probeDeathSignal();
  const reporter = consoleReporter({ quiet: flags.quiet || flags.json, verbose: flags.verbose });
  const fmts = formats ?? parseFormats(flags.formats ?? 'deb,rpm');
  const { configuresWorkspaces } = await import('../../workspaces/configured.js');
  if (flags.workspaces !== undefined || flags.since !== undefined || (!stageDir && (await configuresWorkspaces(flags.dir, flags.config)))) {
    return runWorkspacesBuild(flags, fmts, stageDir);
  }
  const { build } = await import('../../pipeline/build.js'); // loaded after argument parsing: --help stays fast
  const result = await build({
    dir: flags.dir,
    formats: fmts,
    outDir: stageDir ? undefined : flags.out,
    arch: flags.arch,
    version: flags.version,
    release: flags.release,
    compression: flags.compression as Compression | undefined,
    level: flags.level,
    configFile: flags.config,
    strict: flags.strict,
    dryRun: flags['dry-run'],
    signKey: flags['sign-key'],
    publish: flags.publish,
    stageDir,
    until: stageDir ? 'stage' : undefined,
    reporter,
  }).finally(() => reporter.close?.());
  if (flags.json) {
    printJson({
      artifacts: result.artifacts.map(artifactJson),
      staged: result.stageDirs,
      published: result.published,
      warnings: result.warnings,
    });
  } else if (!flags.quiet) {
    for (const a of result.artifacts) process.stdout.write(artifactLine(a));
  }
  return 0;
}
