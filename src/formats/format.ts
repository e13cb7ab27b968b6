/**
 * The format interface (like nfpm's Packager): what the pipeline needs of a package format, so it
 * never switches on `'deb' | 'rpm'` nor casts metadata. deb/index.ts and rpm/index.ts implement it
 * as thin adaptors over their resolvers, writers and readers; registry.ts holds both.
 */
import type { Arch } from '../config/arch.js';
import type { LoadedProject } from '../config/load.js';
import type { RpmDependency } from '../config/resolved.js';
import type { Warning } from '../errors.js';
import type { SignKey } from '../sign/index.js';
import type { DebInfo } from './deb/reader.js';
import type { RpmInspection } from './rpm/reader.js';
import type { Artifact, FormatName, FormatTypes, PackageTarget, WriteOptions } from './types.js';

/** Where and how a package is written: the shared write options and an optional signing key (used by formats that sign). */
export interface BuildOutput extends WriteOptions {
  signKey?: SignKey;
}

/** Dependencies the generated maintainer scripts need, in each format's own syntax (each format takes its own). */
export interface ScriptDependencies {
  deb: readonly string[];
  rpm: readonly RpmDependency[];
}

/** What each format's reader returns. */
export interface FormatInspections {
  deb: DebInfo;
  rpm: RpmInspection;
}

/** The identity of a package as its package manager names it. */
export interface PackageIdentity {
  name: string;
  /** The version field the format writes: Debian `[epoch:]upstream-revision`; RPM `Version` (no release). */
  version: string;
  arch: string;
  /** Debian Maintainer / RPM Packager. */
  maintainer?: string;
  /** Debian Homepage / RPM URL. */
  homepage?: string;
  /** One line for people, e.g. `hello 1.0-1 amd64 (.deb)`. */
  label: string;
}

/** One package format. */
export interface Format<K extends FormatName> {
  readonly name: K;
  /** Resolve the project's metadata in this format's native terms (names, versions, relations). */
  resolve(project: LoadedProject, arch: Arch): { meta: FormatTypes[K]['meta']; warnings: Warning[] };
  identity(meta: FormatTypes[K]['meta']): PackageIdentity;
  /** The conventional file name, e.g. `hello_1.0-1_amd64.deb` or `hello-1.0-1.x86_64.rpm`. */
  fileName(meta: FormatTypes[K]['meta']): string;
  /** `meta` with the dependencies of the generated maintainer scripts added (a new object). */
  withScriptDependencies(meta: FormatTypes[K]['meta'], deps: ScriptDependencies): FormatTypes[K]['meta'];
  /** The package ships Debian's per-package copyright and changelog.Debian.gz under /usr/share/doc. */
  readonly debianDocs: boolean;
  /** The package's metadata as text for people (`--dry-run`): deb, its control file; rpm, its main tags and declared relations. */
  describe(target: PackageTarget<K>): string;
  /** Write the package into `out.outDir`, atomically. */
  build(target: PackageTarget<K>, out: BuildOutput): Promise<Artifact>;
  /** Read a package file of this format: metadata, scripts and the file list. */
  read(path: string): Promise<FormatInspections[K]>;
}
