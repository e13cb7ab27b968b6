/**
 * The configuration schema: one zod schema is the source of truth for validation,
 * for the `MkpkgConfig` type that `defineConfig` accepts, and for the editor JSON schema.
 */
import * as z from 'zod';
import { COMPRESSIONS } from '../archive/compression.js';
import { numericModeProblem } from './mode.js';

/**
 * A permission mode: a number (`0o755`) or an octal string (`"0755"`, `"755"`). A number like `755`
 * (decimal 755 = 0o1363) is refused as ambiguous, see `mode.ts`.
 */
export const modeSchema = z.union([
  z.number().int().min(0).max(0o7777).superRefine((n, ctx) => {
    const problem = numericModeProblem(n);
    if (problem) ctx.addIssue({ code: 'custom', message: `mode ${n} ${problem}` });
  }),
  z.string().regex(/^0?[0-7]{3,4}$/, 'an octal mode such as "0644"'),
]);

const nameLike = z.string().min(1);
const relations = z.array(z.string().min(1));

/** How one contents entry is treated. */
export const contentTypeSchema = z.enum(['file', 'dir', 'symlink', 'config', 'config-noreplace', 'ghost', 'doc', 'license']);

/** One explicit contents entry (`src` may be a glob; for a symlink, `src` is the link target). */
export const contentSchema = z.strictObject({
  src: z.string().min(1).optional(),
  data: z.string().optional(),
  dst: z.string().min(1),
  type: contentTypeSchema.optional(),
  mode: modeSchema.optional(),
  owner: nameLike.optional(),
  group: nameLike.optional(),
  /** Only for this format. */
  packager: z.enum(['deb', 'rpm']).optional(),
});

/** Package metadata fields that may also be overridden per format. */
const metadataShape = {
  name: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  /** Debian revision / RPM Release. Default 1. */
  release: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  epoch: z.number().int().nonnegative().optional(),
  maintainer: z.string().min(1).optional(),
  vendor: z.string().min(1).optional(),
  /** One-line synopsis (Debian Description first line / RPM Summary). */
  summary: z.string().min(1).optional(),
  /** Long description. */
  description: z.string().optional(),
  homepage: z.string().min(1).optional(),
  license: z.string().min(1).optional(),
  /** Debian Section (default `misc`). */
  section: z.string().min(1).optional(),
  /** Debian Priority (default `optional`). */
  priority: z.string().min(1).optional(),
  /** RPM Group (default `Unspecified`). */
  group: z.string().min(1).optional(),
  /** Architecture in any spelling: x64/amd64/x86_64, arm64/aarch64, all/noarch. */
  arch: z.string().min(1).optional(),
  depends: relations.optional(),
  preDepends: relations.optional(),
  recommends: relations.optional(),
  suggests: relations.optional(),
  conflicts: relations.optional(),
  breaks: relations.optional(),
  replaces: relations.optional(),
  provides: relations.optional(),
  enhances: relations.optional(),
  /** RPM only. */
  obsoletes: relations.optional(),
  /** RPM only. */
  supplements: relations.optional(),
};

export const metadataOverrideSchema = z.strictObject(metadataShape);

/** A system user the package needs. Created before anything needs it; never deleted. */
export const userSchema = z.strictObject({
  name: nameLike,
  /** Primary group (created if missing). Default: a group with the user's name. */
  group: nameLike.optional(),
  /** Home directory. Default `/nonexistent`. */
  home: z.string().min(1).optional(),
  shell: z.string().min(1).optional(),
  comment: z.string().optional(),
  uid: z.number().int().positive().optional(),
});

export const groupSchema = z.strictObject({ name: nameLike, gid: z.number().int().positive().optional() });

/** What happens to a running service when the package is upgraded. */
export const upgradeBehaviourSchema = z.enum(['restart', 'stop-start', 'keep-running']);

/** A service name as given, `NAME` or `NAME.service`: resolved once, here, to `NAME`. */
const serviceName = nameLike.transform((n) => n.replace(/\.service$/, ''));

/** A systemd service the package runs. */
export const serviceSchema = z.strictObject({
  /** The unit's name without `.service` (a trailing `.service` is dropped). */
  name: serviceName,
  description: z.string().optional(),
  /** The command line (default for a Node app: node + main, or scripts.start). */
  command: z.string().min(1).optional(),
  type: z.enum(['simple', 'exec', 'notify', 'oneshot', 'forking']).optional(),
  user: nameLike.optional(),
  group: nameLike.optional(),
  workingDirectory: z.string().min(1).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  /** `/etc/default/NAME` by default (shipped as a conffile); `false` for none. */
  environmentFile: z.union([z.string().min(1), z.literal(false)]).optional(),
  restart: z.enum(['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always']).optional(),
  restartSec: z.number().nonnegative().optional(),
  /** Start limit (in [Unit]): more than `startLimitBurst` starts within this many seconds leave the unit failed (default 120). */
  startLimitIntervalSec: z.number().positive().optional(),
  /** Starts allowed within `startLimitIntervalSec` (default 10). */
  startLimitBurst: z.number().int().positive().optional(),
  stateDirectory: z.union([z.string().min(1), z.literal(false)]).optional(),
  logsDirectory: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** `CacheDirectory=` under /var/cache (default none). */
  cacheDirectory: z.union([z.string().min(1), z.literal(false)]).optional(),
  runtimeDirectory: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** Hardening directives; `false` turns all defaults off, an object overrides single ones. */
  hardening: z.union([z.literal(false), z.record(z.string(), z.union([z.string(), z.boolean()]))]).optional(),
  /** Extra `[Unit]` / `[Service]` / `[Install]` directives. */
  unit: z.record(z.string(), z.string()).optional(),
  service: z.record(z.string(), z.string()).optional(),
  install: z.record(z.string(), z.string()).optional(),
  /** Ship this unit file instead of generating one. */
  unitFile: z.string().min(1).optional(),
  /** Extra units (timers, sockets) shipped alongside. */
  extraUnits: z.array(z.string().min(1)).optional(),
  enable: z.boolean().optional(),
  start: z.boolean().optional(),
  onUpgrade: upgradeBehaviourSchema.optional(),
  /** Make the package operation fail when the service fails to start (default false). */
  failOnStartError: z.boolean().optional(),
});

const debScripts = z.strictObject({
  preinst: z.string().min(1).optional(),
  postinst: z.string().min(1).optional(),
  prerm: z.string().min(1).optional(),
  postrm: z.string().min(1).optional(),
});
const rpmScripts = z.strictObject({
  pretrans: z.string().min(1).optional(),
  pre: z.string().min(1).optional(),
  post: z.string().min(1).optional(),
  preun: z.string().min(1).optional(),
  postun: z.string().min(1).optional(),
  posttrans: z.string().min(1).optional(),
});

/** The Node.js app layout, or `false` for a project that is not a Node app. */
export const appSchema = z.union([
  z.literal(false),
  z.strictObject({
    /** Where the app is installed. Default `/usr/lib/NAME`. */
    dir: z.string().min(1).optional(),
    /** `production` runs `npm ci --omit=dev` in the staging area; `none` ships no node_modules. */
    nodeModules: z.enum(['production', 'none']).optional(),
    /** Link package.json `bin` entries into /usr/bin (default true). */
    bin: z.boolean().optional(),
  }),
]);

export const runtimeTemplateSchema = z.strictObject({
  src: z.string().min(1),
  dst: z.string().min(1),
  mode: modeSchema.optional(),
  /** Which service renders it (default: every service of the package); `.service` is dropped like in services[].name. */
  service: serviceName.optional(),
});

/** The generated launcher (`/usr/bin/NAME` by default), or `false` for none. */
export const launcherSchema = z.union([
  z.literal(false),
  z.strictObject({
    /** Where the launcher is installed. Default `/usr/bin/NAME` (NAME: the package name). */
    path: z.string().min(1).optional(),
  }),
]);

const hookFiles = z.array(z.string().min(1));
/**
 * Boot hooks shipped with the package: files (relative to the project) installed 0755 under
 * `/usr/lib/NAME/hooks/<stage>.d/` and run by the launcher in lexical order of their names.
 */
export const bootHooksSchema = z.strictObject({
  'pre-start': hookFiles.optional(),
  'post-start': hookFiles.optional(),
  'pre-stop': hookFiles.optional(),
  'post-stop': hookFiles.optional(),
  'pre-upgrade': hookFiles.optional(),
  'post-upgrade': hookFiles.optional(),
});

/** The metapackage of a workspaces build: no files, depends on every member at the version just built. */
export const metapackageSchema = z.strictObject({
  /** Default: the root package.json name. */
  name: z.string().min(1).optional(),
  /** Default: the root package.json version. */
  version: z.string().min(1).optional(),
  release: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  /** One-line synopsis (default: the root package.json description). */
  summary: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
});

/**
 * npm workspaces packaged one package each (root config only): `true` for all, a list of names or
 * globs (npm names or directories), or an object with that selection and the metapackage.
 */
export const workspacesSchema = z.union([
  z.boolean(),
  z.array(z.string().min(1)),
  z.strictObject({
    select: z.union([z.literal(true), z.array(z.string().min(1))]).optional(),
    metapackage: metapackageSchema.optional(),
  }),
]);

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'expected a function' });

export const configSchema = z.strictObject({
  ...metadataShape,
  /** JSON-schema reference for editors; ignored. */
  $schema: z.string().optional(),
  app: appSchema.optional(),
  contents: z.array(contentSchema).optional(),
  users: z.array(userSchema).optional(),
  groups: z.array(groupSchema).optional(),
  services: z.array(serviceSchema).optional(),
  /** User-written maintainer-script fragments (paths relative to the project), merged with the generated ones. */
  scripts: z.strictObject({ deb: debScripts.optional(), rpm: rpmScripts.optional() }).optional(),
  runtime: z.strictObject({
    templates: z.array(runtimeTemplateSchema).optional(),
    /**
     * A Node.js build to bundle (never downloaded): `node-vX-linux-ARCH.tar.xz` (or .tar.gz) or its
     * unpacked directory, inside the project. Installed under APPDIR/runtime/node; the services, the
     * launcher and the bin commands run it, and the package does not depend on the distribution's nodejs.
     */
    node: z.string().min(1).optional(),
  }).optional(),
  /** The generated launcher; default on when the package has services. */
  launcher: launcherSchema.optional(),
  /** Boot hooks (shell scripts or programs) per stage; see {@link bootHooksSchema}. */
  bootHooks: bootHooksSchema.optional(),
  overrides: z.strictObject({ deb: metadataOverrideSchema.optional(), rpm: metadataOverrideSchema.optional() }).optional(),
  /** Depend on the packages of the shared libraries ELF files need (dpkg-shlibdeps, rpm's elfdeps). Default true. */
  shlibDeps: z.boolean().optional(),
  /** gzip man and info pages (/usr/share/man, /usr/share/info) as dh_compress does. Default true. */
  compressMan: z.boolean().optional(),
  /** Strip ELF files with the host's binutils. Default false (true with `debugPackage`). */
  strip: z.boolean().optional(),
  /** Ship the stripped debug symbols as NAME-dbgsym (.deb) and NAME-debuginfo (.rpm). Default false. */
  debugPackage: z.boolean().optional(),
  /**
   * Rewrite `#!/usr/bin/env X` in executable files to X's absolute path (`/usr/bin/X`; sh, bash and
   * dash: `/bin/X`); an object gives paths by command, e.g. `{ node: '/opt/node/bin/node' }`. Default false.
   */
  mangleShebangs: z.union([
    z.boolean(),
    z.record(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'a command name such as "node"'), z.string().regex(/^\/[^\s\x00-\x1f\x7f]*$/, 'an absolute path without spaces')),
  ]).optional(),
  /** Of .deb members and .rpm payloads (default xz); see archive/compression.ts. */
  compression: z.enum(COMPRESSIONS).optional(),
  /** Compression level, checked at load against the chosen compression's range (default: its own default). */
  level: z.number().int().nonnegative().optional(),
  /** Project template directory (default `packaging`). */
  templatesDir: z.string().min(1).optional(),
  /** Fragments for named template slots, e.g. `{ 'deb/postinst:configure': 'echo hi' }`. */
  slots: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  hooks: z.record(z.string(), z.union([fn, z.array(fn)])).optional(),
  plugins: z.array(z.union([z.string().min(1), z.tuple([z.string().min(1), z.unknown()]), z.record(z.string(), z.unknown())])).optional(),
  pipeline: fn.optional(),
  outputs: z.array(z.unknown()).optional(),
  /** Package npm workspaces (in the root config of a monorepo); see {@link workspacesSchema}. */
  workspaces: workspacesSchema.optional(),
});

/** What a user writes (every field optional). */
export type MkpkgConfig = z.input<typeof configSchema>;
/** A validated configuration. */
export type ValidConfig = z.output<typeof configSchema>;
export type ContentSpec = z.output<typeof contentSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type UserSpec = z.output<typeof userSchema>;
export type GroupSpec = z.output<typeof groupSchema>;
export type MetadataOverride = z.output<typeof metadataOverrideSchema>;
export type AppSpec = z.output<typeof appSchema>;
export type LauncherSpec = z.output<typeof launcherSchema>;
export type BootHooksSpec = z.output<typeof bootHooksSchema>;
export type WorkspacesSpec = z.output<typeof workspacesSchema>;
export type MetapackageSpec = z.output<typeof metapackageSchema>;
export type RuntimeTemplateSpec = z.output<typeof runtimeTemplateSchema>;
