/**
 * The per-format metadata the resolvers produce and the writers consume.
 * Values here are already in the target format's native syntax.
 */

/** Debian relationship fields, in the order they are written to `control`. */
export const DEB_RELATION_FIELDS = ['Pre-Depends', 'Depends', 'Recommends', 'Suggests', 'Enhances', 'Breaks', 'Conflicts', 'Provides', 'Replaces'] as const;
export type DebRelationField = (typeof DEB_RELATION_FIELDS)[number];

/** Native .deb metadata (control fields). */
export interface DebMetadata {
  package: string;
  /** Full Debian version: `[epoch:]upstream-revision`. */
  version: string;
  /** Debian architecture name (`amd64`, `arm64`, `all`, …). */
  architecture: string;
  maintainer: string;
  /** One-line synopsis. */
  synopsis: string;
  /** Long description, plain text with `\n`; the writer formats continuation lines. */
  description?: string;
  section: string;
  priority: string;
  homepage?: string;
  /** Each value is one relationship item in Debian syntax, e.g. `nodejs (>= 18)` or `a | b`. */
  relations: Partial<Record<DebRelationField, string[]>>;
  /** Extra control fields (e.g. `Multi-Arch`), written after the standard ones. */
  extraFields?: Record<string, string>;
}

/** RPM dependency sense flags (rpmds.h). */
export const RPMSENSE = {
  ANY: 0,
  LESS: 2,
  GREATER: 4,
  EQUAL: 8,
  PREREQ: 64,
  INTERP: 256,
  SCRIPT_PRE: 512,
  SCRIPT_POST: 1024,
  SCRIPT_PREUN: 2048,
  SCRIPT_POSTUN: 4096,
  RPMLIB: 1 << 24,
} as const;

/** One RPM dependency: name, sense flags, and `[E:]V[-R]` (empty when unversioned). */
export interface RpmDependency {
  name: string;
  flags: number;
  version: string;
}

export const RPM_RELATION_KINDS = ['requires', 'provides', 'conflicts', 'obsoletes', 'recommends', 'suggests', 'supplements', 'enhances'] as const;
export type RpmRelationKind = (typeof RPM_RELATION_KINDS)[number];

/** Native .rpm metadata (header tags). */
export interface RpmMetadata {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  /** RPM architecture name (`x86_64`, `aarch64`, `noarch`, …). */
  arch: string;
  summary: string;
  description: string;
  license: string;
  group: string;
  url?: string;
  vendor?: string;
  packager?: string;
  buildHost: string;
  /** Changelog entries (newest first); default: one entry for this build. */
  /** User-declared relations; the writer adds self-provides and rpmlib() requirements. */
  relations: Record<RpmRelationKind, RpmDependency[]>;
}

/** A maintainer script body. */
export interface Script {
  /** Complete script text, including the shebang for deb scripts. */
  body: string;
  /** Interpreter (RPM scriptlet PROG), default `/bin/sh`. */
  interpreter?: string;
}

export type DebScriptName = 'preinst' | 'postinst' | 'prerm' | 'postrm';
export type RpmScriptName = 'pretrans' | 'pre' | 'post' | 'preun' | 'postun' | 'posttrans';
export type DebScripts = Partial<Record<DebScriptName, Script>>;
export type RpmScripts = Partial<Record<RpmScriptName, Script>>;
