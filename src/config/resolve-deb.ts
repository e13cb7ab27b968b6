/**
 * Resolving .deb control metadata from a loaded project. Pure. Defaults: Section `misc`, Priority
 * `optional`, revision `1`. Relationship fields `obsoletes` and `supplements` are RPM-only and are
 * ignored with a warning.
 */
import { MkpkgError, type Warning } from '../errors.js';
import { formatDebianVersion } from '../versions/debian.js';
import { normalizeArch } from './arch.js';
import type { LoadedProject } from './load.js';
import { isNameEmail } from './person.js';
import { renderDebRelation, type ParsedRelation } from './relations.js';
import type { DebMetadata, DebRelationField } from './resolved.js';
import { blame, declaredRelations, formatView, RelationErrors, resolveMaintainer, resolveName, resolveTexts, resolveVersion, type FormatView } from './resolve-common.js';
import type { MetadataOverride } from './schema.js';
import { releaseString } from './version.js';
import { checkDebMetadata } from './check-metadata.js';
import { oneLine } from './text.js';

type RelationKey = keyof MetadataOverride;

const DEB_FIELDS: readonly [RelationKey, DebRelationField][] = [
  ['preDepends', 'Pre-Depends'],
  ['depends', 'Depends'],
  ['recommends', 'Recommends'],
  ['suggests', 'Suggests'],
  ['enhances', 'Enhances'],
  ['breaks', 'Breaks'],
  ['conflicts', 'Conflicts'],
  ['provides', 'Provides'],
  ['replaces', 'Replaces'],
];
/** The config key each control field comes from. */
const DEB_KEYS: Record<string, RelationKey> = {
  Package: 'name', Version: 'version', Architecture: 'arch', Maintainer: 'maintainer', Description: 'summary', description: 'description',
  Section: 'section', Priority: 'priority', Homepage: 'homepage', ...Object.fromEntries(DEB_FIELDS.map(([k, f]) => [f, k])),
};
const RPM_ONLY: readonly ('obsoletes' | 'supplements')[] = ['obsoletes', 'supplements'];

function checkProvides(rel: ParsedRelation, field: string): void {
  if (rel.kind !== 'alternatives') return;
  const value = rel.alternatives.map((a) => a.name).join(' | ');
  if (rel.alternatives.length > 1) {
    throw new MkpkgError('E_DEPENDENCY_INVALID', `${field}: ${JSON.stringify(value)}: Provides cannot have alternatives`, {
      hint: 'list each provided name as its own entry',
      details: { field, value },
    });
  }
  const op = rel.alternatives[0]!.op;
  if (op && op !== '=') {
    throw new MkpkgError('E_DEPENDENCY_INVALID', `${field}: Provides accepts only "=" versions, got "${op}"`, {
      hint: 'write "name (= 1.0)" or just "name"',
      details: { field, value },
    });
  }
}

function debRelations(project: LoadedProject, v: FormatView): { relations: DebMetadata['relations']; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const relations: DebMetadata['relations'] = {};
  const errors = new RelationErrors();
  for (const [key, field] of DEB_FIELDS) {
    const { parsed, warnings: w } = declaredRelations(project, v, key, errors);
    warnings.push(...w);
    const rendered = parsed.flatMap(({ rel, field: name }) => errors.attempt(() => {
      if (key === 'provides') checkProvides(rel, name);
      return renderDebRelation(rel, name);
    }) ?? []);
    if (rendered.length > 0) relations[field] = rendered;
  }
  errors.throwIfAny();
  for (const key of RPM_ONLY) {
    if (v.config[key]?.length) warnings.push({ code: 'W_FIELD_IGNORED', message: `${v.fieldOf(key)} is RPM-only and is ignored for .deb; put it under overrides.rpm` });
  }
  return { relations, warnings };
}

/**
 * Map a loaded project to Debian control metadata for `arch` (a Debian architecture name).
 * `overrides.deb` is applied first. Throws `E_METADATA_MISSING` / `E_METADATA_INVALID` /
 * `E_VERSION_INVALID` / `E_DEPENDENCY_INVALID`; every fallback taken is a coded warning.
 */
export function resolveDeb(project: LoadedProject, arch: { deb: string }): { meta: DebMetadata; warnings: Warning[] } {
  const v = formatView(project, 'deb');
  const warnings: Warning[] = [];
  const name = resolveName(project, 'deb');
  warnings.push(...name.warnings);
  const upstream = resolveVersion(v);
  warnings.push(...upstream.warnings);
  const version = formatDebianVersion({ epoch: v.config.epoch, upstream: upstream.upstream, revision: releaseString(v.config.release) }, v.fieldOf('release'));
  const architecture = normalizeArch(arch.deb).deb;
  const maintainer = resolveMaintainer(v);
  oneLine(maintainer, blame(v, 'maintainer'));
  if (!isNameEmail(maintainer)) {
    throw new MkpkgError('E_METADATA_INVALID', `${v.fieldOf('maintainer')}: ${JSON.stringify(maintainer)} is not in the form "Name <email>" that Debian's Maintainer field requires`, {
      hint: 'set maintainer: "Full Name <user@example.com>" in mkpkg.config (or give package.json author an email)',
      details: { field: 'maintainer', value: maintainer },
    });
  }
  const texts = resolveTexts(v, name.name);
  warnings.push(...texts.warnings);
  if (!texts.long) {
    // Debian requires an extended description (lintian: extended-description-is-empty). A one-line
    // package.json description is the usual case, so the fallback is documented, not warned about.
    // Short, and without the homepage (it has its own field): lintian warns about long lines and
    // description-contains-homepage.
    texts.long = `This package contains ${name.name}, packaged by mkpkg.`;
  }
  const rel = debRelations(project, v);
  warnings.push(...rel.warnings);
  const meta: DebMetadata = {
    package: name.name,
    version,
    architecture,
    maintainer,
    synopsis: texts.summary,
    ...(texts.long ? { description: texts.long } : {}),
    section: v.config.section ?? 'misc',
    priority: v.config.priority ?? 'optional',
    ...(v.config.homepage ? { homepage: v.config.homepage } : {}),
    relations: rel.relations,
  };
  checkDebMetadata(meta, (f) => blame(v, DEB_KEYS[f] ?? 'name'));
  if (v.config.license !== undefined) oneLine(v.config.license, blame(v, 'license')); // written into the copyright file
  return { meta, warnings };
}
