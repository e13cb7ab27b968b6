/** Types shared by the pipeline runner, its steps, hooks and plugins. */
import type { Compression } from '../archive/compress.js';
import type { DebMetadata, DebScripts, RpmMetadata, RpmScripts } from '../config/resolved.js';
import type { Warning } from '../errors.js';
import type { Artifact, FormatName } from '../formats/types.js';
import type { Plan } from '../plan/types.js';
import type { Target } from '../plan/target.js';
import type { Reporter } from '../reporter.js';

/** Options for one build (the library equivalent of the CLI flags). */
export interface BuildOptions {
  /** Project directory (default: cwd). */
  dir?: string;
  formats?: FormatName[];
  /** Output directory for packages (default: `<dir>/mkpkg-out`, which is never packed into the app). */
  outDir?: string;
  configFile?: string;
  version?: string;
  release?: string;
  arch?: string;
  compression?: Compression;
  level?: number;
  /** Timestamps for reproducible output (default: env SOURCE_DATE_EPOCH, else now). */
  sourceDateEpoch?: number;
  /** Run up to verify, print the plan, write nothing. */
  dryRun?: boolean;
  /** Materialise the release tree here (one subdirectory per format when several). */
  stageDir?: string;
  /** Stop after the step with this name (e.g. `stage` for `mkpkg stage`). */
  until?: string;
  /** Treat warnings as errors. */
  strict?: boolean;
  /** Armored OpenPGP private key file for signing (.rpm); passphrase from MKPKG_SIGN_PASSPHRASE. */
  signKey?: string;
  /** Run the configured outputs (publish and notify steps); default true. `false` is `--no-publish`. */
  publish?: boolean;
  reporter?: Reporter;
  signal?: AbortSignal;
}

export type { DebTarget, RpmTarget, Target } from '../plan/target.js';

/** What an output (publish/notify) reports back. */
export interface PublishResult {
  output: string;
  ok: boolean;
  detail?: string;
  location?: string;
}

/** The typed context every step and hook receives. */
export interface BuildContext {
  readonly options: Readonly<Required<Pick<BuildOptions, 'dir' | 'formats' | 'outDir' | 'sourceDateEpoch'>>> & BuildOptions;
  readonly reporter: Reporter;
  /** Set by the `load` step. */
  project?: import('../config/load.js').LoadedProject;
  /** Set by the `verify` step, one per format. */
  targets: Target[];
  /** Set by the `stage` step when staging to disk. */
  stageDirs: Partial<Record<FormatName, string>>;
  /** Set by the `package` step. */
  artifacts: Artifact[];
  /** Set by the `publish` step. */
  published: PublishResult[];
  warnings: Warning[];
  /** Record a warning (an error under --strict). */
  warn(w: Warning): void;
  /** Cleanups run when the pipeline ends, success or not. */
  defer(fn: () => Promise<void> | void): void;
  /** Set by a step to end the pipeline early with success (e.g. --dry-run after verify). */
  stop: boolean;
}

/** A named pipeline step. */
export interface Step {
  name: string;
  run(ctx: BuildContext): Promise<void> | void;
  /** The plugin that contributed it, for error messages. */
  plugin?: string;
}

/** Hook signatures. A transforming hook returns the new value, or nothing to keep it. */
export interface Hooks {
  beforeStage?: (target: Target, ctx: BuildContext) => Target | void | Promise<Target | void>;
  afterStage?: (target: Target, ctx: BuildContext) => void | Promise<void>;
  beforePackage?: (target: Target, ctx: BuildContext) => Target | void | Promise<Target | void>;
  afterPackage?: (artifacts: Artifact[], ctx: BuildContext) => Artifact[] | void | Promise<Artifact[] | void>;
  afterPublish?: (results: PublishResult[], ctx: BuildContext) => PublishResult[] | void | Promise<PublishResult[] | void>;
}
export type HookName = keyof Hooks;
export const HOOK_NAMES: readonly HookName[] = ['beforeStage', 'afterStage', 'beforePackage', 'afterPackage', 'afterPublish'];

/** An output acts on finished artifacts (publish a repo, deploy to a host, notify a chat). */
export interface Output {
  name: string;
  /** `publish` outputs run in the publish step, `notify` ones in the notify step. */
  kind?: 'publish' | 'notify';
  run(artifacts: Artifact[], ctx: BuildContext): Promise<PublishResult | void> | PublishResult | void;
  /** The plugin that contributed it (set by the runner), for error messages. */
  plugin?: string;
}

/** Where a plugin wants a new step. */
export interface StepInsertion {
  step: Step;
  before?: string;
  after?: string;
}

/** A plugin: a plain object with a name and any of hooks, steps, templates, outputs. */
export interface Plugin {
  name: string;
  hooks?: Hooks;
  steps?: StepInsertion[];
  /** A directory of templates, searched after the project's and before the built-ins. */
  templates?: string;
  /** Fragments for named template slots. */
  slots?: Record<string, string | string[]>;
  outputs?: Output[];
}
