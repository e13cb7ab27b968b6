/** Inputs and outputs of the service lifecycle generator. */
import type { Warning } from '../errors.js';
import type { BootHooksSpec, GroupSpec, LauncherSpec, RuntimeTemplateSpec, ServiceSpec, UserSpec } from '../config/schema.js';
import type { DebScripts, RpmDependency, RpmScripts, DebScriptName, RpmScriptName } from '../config/resolved.js';
import type { DataEntry, PlanEntry } from '../plan/types.js';
import type { SlotFragments } from '../templates/render.js';
import type { TemplateLookup } from '../templates/lookup.js';

/** A path the package ships: its plan entry's path and kind. */
export type ShippedPath = Pick<PlanEntry, 'path' | 'kind'>;

/** A plan path that is not owned by root:root (dpkg unpacks unknown names as numeric ids). */
export interface OwnedPath {
  path: string;
  owner: string;
  group: string;
  mode: number;
  kind: 'dir' | 'file';
}

/** Everything {@link generateLifecycle} needs. */
export interface LifecycleInput {
  packageName: string;
  /** The package's upstream version (available to templates). */
  version: string;
  services: ServiceSpec[];
  users: UserSpec[];
  groups: GroupSpec[];
  /** A Node.js app: the default command and WorkingDirectory; `node` the bundled runtime's executable (default /usr/bin/node). */
  app?: { dir: string; main?: string; startScript?: string; node?: string };
  ownedPaths: OwnedPath[];
  /**
   * Every entry of the plan (sorted by path, as a plan is): a service directory the package ships
   * is its own (see directories.ts). Default: none.
   */
  planPaths?: readonly ShippedPath[];
  /** User-written script fragments (TEXT, the caller reads the files). */
  userScripts: { deb?: Partial<Record<DebScriptName, string>>; rpm?: Partial<Record<RpmScriptName, string>> };
  /** Fragments for named slots (config `slots`, then plugins), in order. */
  slots?: Record<string, string[]>;
  lookup: TemplateLookup;
  /** mtime of the generated entries (the caller's SOURCE_DATE_EPOCH clamp). Default 0. */
  mtime?: number;
  /** Render only this format's scripts (the other comes back empty). Default: both. */
  format?: 'deb' | 'rpm';
  /** Config `launcher`: default on when there are services. */
  launcher?: LauncherSpec;
  /** Config `bootHooks`: hook files shipped from the project. */
  bootHooks?: BootHooksSpec;
  /** Config `runtime.templates`: rendered by the launcher on every service start. */
  runtimeTemplates?: RuntimeTemplateSpec[];
}

/** A unit file the project ships itself: the caller copies `source` (relative to the project) to `path`. */
export interface UnitFileSpec {
  source: string;
  path: string;
  mode: number;
}

/** A file the project ships as it is (a boot hook, a runtime template source): copy `source` (relative to the project) to `path`. */
export interface ProjectFileSpec {
  source: string;
  path: string;
  mode: number;
}

/** What {@link generateLifecycle} produces. Entries are the same for .deb and .rpm. */
export interface LifecycleOutput {
  /** Generated unit files and EnvironmentFile conffiles, sorted by path. */
  entries: DataEntry[];
  /** Project-supplied unit files (`unitFile`, `extraUnits`) to copy into the package. */
  unitFiles: UnitFileSpec[];
  /** Other project files to copy into the package: boot hooks and runtime template sources, sorted by path. */
  files: ProjectFileSpec[];
  debScripts: DebScripts;
  rpmScripts: RpmScripts;
  debDepends: string[];
  rpmRequires: RpmDependency[];
  warnings: Warning[];
}

/** A service after defaults and validation; what the templates see as `services[i]`. */
export interface ResolvedService {
  name: string;
  /** `NAME.service`. */
  unit: string;
  /** The main unit plus enable-able extra units, in declaration order. */
  units: string[];
  /**
   * Units started on install when `start`: extra sockets/timers/paths, and the main unit unless a
   * NAME.socket/.timer/.path of its own activates it.
   */
  startUnits: string[];
  /** True when mkpkg renders the unit (no `unitFile`). */
  generated: boolean;
  user: string;
  group: string;
  environmentFile?: string;
  /** Sorted `[name, value]` pairs (raw values). */
  environment: [string, string][];
  stateDirectories: string[];
  logsDirectories: string[];
  cacheDirectories: string[];
  runtimeDirectories: string[];
  /** Directives per section, values already in unit-file syntax. */
  directives: { unit: [string, string][]; service: [string, string][]; install: [string, string][] };
  enable: boolean;
  start: boolean;
  onUpgrade: 'restart' | 'stop-start' | 'keep-running';
  failOnStartError: boolean;
  /** The command line as declared (systemd syntax), before the launcher wraps it; absent with `unitFile`. */
  command?: string;
}

/** A system user to create (never deleted). */
export interface ResolvedUser {
  name: string;
  group: string;
  home: string;
  shell?: string;
  comment?: string;
  uid?: number;
}

/** A system group to create. */
export interface ResolvedGroup {
  name: string;
  gid?: number;
}

export type { SlotFragments };
