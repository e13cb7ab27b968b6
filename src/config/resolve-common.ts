/** Steps shared by the per-format resolvers: overrides, name, version, maintainer, texts, Node.js dependency. */
import semver from 'semver';
import { MkpkgError, type Warning } from '../errors.js';
import type { LoadedProject } from './load.js';
import { packageName } from './names.js';
import { parseRelation, type ParsedRelation } from './relations.js';
import type { MetadataOverride, ValidConfig } from './schema.js';
import { resolveUpstream } from './version.js';

/** package.json fields the config keys fall back to (for naming them in messages). */
const PACKAGE_JSON_FIELD: Partial<Record<keyof MetadataOverride, string>> = {
  name: 'name', version: 'version', summary: 'description', description: 'description', maintainer: 'author', license: 'license', homepage: 'homepage',
};

/**
 * How messages name the config key a metadata value came from: `overrides.rpm.vendor`, `summary`,
 * or `package.json description` when only package.json supplied it.
 */
export function blame(v: FormatView, key: keyof MetadataOverride): string {
  const pj = PACKAGE_JSON_FIELD[key];
  return !v.explicit(key) && pj ? `package.json ${pj}` : v.fieldOf(key);
}

/** Longest one-line summary (lintian `synopsis-too-long`, rpmlint `summary-too-long`). */
export const MAX_SUMMARY = 80;

/** The config as one format sees it: `overrides[format]` applied, plus where each value came from. */
export interface FormatView {
  format: 'deb' | 'rpm';
  config: Omit<ValidConfig, 'overrides'>;
  /** Field path prefix for messages: `` or `overrides.deb.`. */
  fieldOf(key: keyof MetadataOverride): string;
  /** True unless the value came only from standard package.json fields. */
  explicit(key: keyof MetadataOverride): boolean;
}

/** Apply `overrides.deb` / `overrides.rpm` on top of the merged config (arrays replace). */
export function formatView(project: LoadedProject, format: 'deb' | 'rpm'): FormatView {
  const { overrides, ...base } = project.config;
  const over = Object.fromEntries(Object.entries(overrides?.[format] ?? {}).filter(([, v]) => v !== undefined)) as MetadataOverride;
  return {
    format,
    config: { ...base, ...over },
    fieldOf: (key) => (key in over ? `overrides.${format}.${key}` : key),
    explicit: (key) => key in over || (project.origins[key] !== undefined && project.origins[key] !== 'package.json'),
  };
}

function missing(field: string, hint: string): MkpkgError {
  return new MkpkgError('E_METADATA_MISSING', `${field} is not set`, { hint, details: { field } });
}

/** Package name for the format (mapped from package.json with a warning, or validated as given). */
export function resolveName(project: LoadedProject, format: 'deb' | 'rpm'): { name: string; warnings: Warning[] } {
  return packageName(project, format);
}

/** Upstream version for the format. */
export function resolveVersion(v: FormatView): { upstream: string; warnings: Warning[] } {
  const raw = v.config.version;
  if (!raw) throw missing('version', 'set "version" in package.json, "version" in mkpkg.config, or pass --version');
  const explicit = v.explicit('version');
  return resolveUpstream(raw, { explicit, format: v.format, field: explicit ? v.fieldOf('version') : 'package.json version' });
}

/** The maintainer string (`Name <email>` from config, or package.json author/maintainers). */
export function resolveMaintainer(v: FormatView): string {
  const m = v.config.maintainer?.trim();
  if (!m) throw missing('maintainer', 'set maintainer: "Name <email>" in mkpkg.config, or "author" (or "contributors") in package.json');
  return m;
}

/**
 * The one-line summary and the long description. The summary is `summary`, else the first line
 * of `description` (the rest becomes the long description), else the package name. A summary
 * longer than {@link MAX_SUMMARY} is cut at a word boundary, and the full text opens the long
 * description so nothing is lost.
 */
export function resolveTexts(v: FormatView, name: string): { summary: string; long?: string; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const desc = v.config.description?.replace(/\r\n?/g, '\n').trim() || undefined;
  let summary = v.config.summary?.replace(/\s+/g, ' ').trim() || undefined;
  let long = desc;
  if (!summary && desc) {
    const [first, ...rest] = desc.split('\n');
    summary = first!.replace(/\s+/g, ' ').trim();
    long = rest.join('\n').trim() || undefined;
  }
  if (!summary) {
    warnings.push({ code: 'W_SUMMARY_MISSING', message: `no summary or description; the summary is the package name "${name}"` });
    summary = name;
  }
  if (summary.length > MAX_SUMMARY) {
    const full = summary;
    const cut = summary.slice(0, MAX_SUMMARY + 1).lastIndexOf(' ');
    summary = summary.slice(0, cut > MAX_SUMMARY / 2 ? cut : MAX_SUMMARY).trimEnd();
    warnings.push({ code: 'W_SUMMARY_TRUNCATED', message: `summary is ${full.length} characters (max ${MAX_SUMMARY}); cut to "${summary}", the full text opens the description` });
    if (!long?.startsWith(full)) long = long ? `${full}\n\n${long}` : full;
  }
  if (long !== undefined) {
    const lines = long.split('\n');
    if (lines[0]!.trim() === summary) long = lines.slice(1).join('\n').trim() || undefined;
  }
  return { summary, ...(long ? { long } : {}), warnings };
}

/** `18.0.0` → `18`, `18.17.0` → `18.17`. */
function shortVersion(v: semver.SemVer): string {
  const parts = [v.major, v.minor, v.patch];
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  return parts.join('.');
}

/**
 * The implicit `nodejs` dependency of a Node.js app, from package.json `engines.node` (lower bound
 * only). None when the project is not a Node app or the user already lists `nodejs` in `depends`.
 */
export function nodeDependency(project: LoadedProject, declared: readonly ParsedRelation[]): { relation?: ParsedRelation; warnings: Warning[] } {
  if (!project.isNodeApp) return { warnings: [] };
  const mentions = declared.some((r) => r.kind === 'rich' ? /\bnodejs\b/.test(r.expression) : r.alternatives.some((a) => a.name === 'nodejs'));
  if (mentions) return { warnings: [] };
  const range = project.packageJson?.engines?.node?.trim();
  const bare = parseRelation('nodejs', 'engines.node');
  if (!range) {
    return { relation: bare, warnings: [{ code: 'W_ENGINES_MISSING', message: 'package.json has no engines.node; depending on nodejs of any version' }] };
  }
  let min: semver.SemVer | null = null;
  try {
    min = semver.validRange(range) ? semver.minVersion(range) : null;
  } catch {
    min = null;
  }
  if (!min) {
    return { relation: bare, warnings: [{ code: 'W_ENGINES_INVALID', message: `engines.node ${JSON.stringify(range)} is not a semver range; depending on nodejs of any version` }] };
  }
  const warnings: Warning[] = [];
  if (!semver.satisfies('999999.0.0', range)) {
    warnings.push({ code: 'W_ENGINES_RANGE', message: `engines.node ${JSON.stringify(range)} has an upper bound; only the lower bound (>= ${shortVersion(min)}) is expressed as a package dependency` });
  }
  if (min.major === 0 && min.minor === 0 && min.patch === 0) return { relation: bare, warnings };
  return { relation: parseRelation(`nodejs >= ${shortVersion(min)}`, 'engines.node'), warnings };
}

/**
 * Collects `E_DEPENDENCY_INVALID` errors so that every bad relationship entry of every field is
 * reported at once; any other error passes through.
 */
export class RelationErrors {
  private readonly list: MkpkgError[] = [];

  /** Run `fn`; a dependency error is recorded and `undefined` returned instead. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof MkpkgError) || e.code !== 'E_DEPENDENCY_INVALID') throw e;
      this.list.push(e);
      return undefined;
    }
  }

  /** Throw the one recorded error, or one error listing all of them. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    if (this.list.length === 1) throw this.list[0]!;
    // In the order of the config (`depends[2]` before `depends[10]`), whichever check found them.
    this.list.sort((a, b) => a.message.localeCompare(b.message, 'en', { numeric: true }));
    const hints = [...new Set(this.list.map((e) => e.hint).filter((h): h is string => Boolean(h)))];
    throw new MkpkgError('E_DEPENDENCY_INVALID', `${this.list.length} relationship entries are invalid:\n${this.list.map((e) => `  ${e.message}`).join('\n')}`, {
      hint: hints.join('; '),
      details: { problems: this.list.map((e) => ({ message: e.message, hint: e.hint, ...e.details })) },
    });
  }
}

/** A parsed relation and the field it came from (`overrides.rpm.depends[2]`, `engines.node`). */
export interface FieldRelation {
  rel: ParsedRelation;
  field: string;
}

/** Parse each entry of a relation list; bad entries are recorded in `errors` and left out. */
export function parseRelations(v: FormatView, key: keyof MetadataOverride, errors: RelationErrors): FieldRelation[] {
  const list = v.config[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((s, i) => {
    const field = `${v.fieldOf(key)}[${i}]`;
    const rel = errors.attempt(() => parseRelation(s, field));
    return rel ? [{ rel, field }] : [];
  });
}

/**
 * The relations listed under `key`; for `depends`, led by the implicit `nodejs` dependency when
 * one is due (`preDepends` counts as already mentioning it). Bad entries go to `errors`.
 */
export function declaredRelations(project: LoadedProject, v: FormatView, key: keyof MetadataOverride, errors: RelationErrors): { parsed: FieldRelation[]; warnings: Warning[] } {
  const parsed = parseRelations(v, key, errors);
  if (key !== 'depends') return { parsed, warnings: [] };
  const node = nodeDependency(project, [...parsed, ...parseRelations(v, 'preDepends', new RelationErrors())].map((p) => p.rel));
  if (node.relation) parsed.unshift({ rel: node.relation, field: 'engines.node' });
  return { parsed, warnings: node.warnings };
}
