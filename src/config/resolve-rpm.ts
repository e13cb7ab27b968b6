/**
 * Resolving .rpm header metadata from a loaded project. Pure except for the default BuildHost.
 *
 * Defaults and mappings: Release `1`; Group `Unspecified`; Description = the long description,
 * else the summary; License from config/package.json, else `Unspecified` (warning
 * `W_LICENSE_MISSING`); Packager = maintainer; `preDepends` → `Requires(pre)`; `breaks` →
 * Conflicts (warning); `replaces` has no RPM equivalent (ignored, warning); alternatives `a | b`
 * → rich dependency `(a or b)`. BuildHost is the host name, or `reproducible` when
 * SOURCE_DATE_EPOCH is set (as Fedora's reproducible-build macros do).
 */
import { hostname } from 'node:os';
import { MkpkgError, type Warning } from '../errors.js';
import { validateRpmVersionPart } from '../versions/rpm.js';
import { normalizeArch } from './arch.js';
import type { LoadedProject } from './load.js';
import { checkRpmDependency, toRpmDependency } from './relations.js';
import { RPMSENSE, type RpmDependency, type RpmMetadata, type RpmRelationKind } from './resolved.js';
import { blame, declaredRelations, formatView, RelationErrors, resolveMaintainer, resolveName, resolveTexts, resolveVersion, type FormatView } from './resolve-common.js';
import type { MetadataOverride } from './schema.js';
import { releaseString } from './version.js';
import { checkRpmMetadata } from './check-metadata.js';

const RPM_FIELDS: readonly [keyof MetadataOverride, RpmRelationKind][] = [
  ['preDepends', 'requires'],
  ['depends', 'requires'],
  ['recommends', 'recommends'],
  ['suggests', 'suggests'],
  ['supplements', 'supplements'],
  ['enhances', 'enhances'],
  ['breaks', 'conflicts'],
  ['conflicts', 'conflicts'],
  ['provides', 'provides'],
  ['obsoletes', 'obsoletes'],
];

/** The config key each header value comes from. */
const RPM_KEYS: Record<string, keyof MetadataOverride> = {
  Name: 'name', Version: 'version', Release: 'release', Arch: 'arch', Summary: 'summary', Description: 'description', License: 'license',
  Group: 'group', Vendor: 'vendor', Packager: 'maintainer', URL: 'homepage', ...Object.fromEntries(RPM_FIELDS.map(([k, kind]) => [kind, k])),
};

/** BuildHost when none is given: `reproducible` under SOURCE_DATE_EPOCH, else the host name. */
export function defaultBuildHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.SOURCE_DATE_EPOCH !== undefined && env.SOURCE_DATE_EPOCH !== '' ? 'reproducible' : hostname();
}

function rpmRelations(project: LoadedProject, v: FormatView): { relations: RpmMetadata['relations']; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const relations: RpmMetadata['relations'] = {
    requires: [], provides: [], conflicts: [], obsoletes: [], recommends: [], suggests: [], supplements: [], enhances: [],
  };
  const errors = new RelationErrors();
  for (const [key, kind] of RPM_FIELDS) {
    const { parsed, warnings: nodeWarnings } = declaredRelations(project, v, key, errors);
    warnings.push(...nodeWarnings);
    if (key === 'breaks' && parsed.length > 0) {
      warnings.push({ code: 'W_RELATION_MAPPED', message: `${v.fieldOf('breaks')}: RPM has no Breaks; written as Conflicts` });
    }
    for (const { rel, field } of parsed) {
      errors.attempt(() => {
        const { dep, warnings: w } = toRpmDependency(rel, field);
        if ((kind === 'provides' || kind === 'obsoletes') && dep.name.startsWith('(')) {
          throw new MkpkgError('E_DEPENDENCY_INVALID', `${field}: ${JSON.stringify(dep.name)}: ${kind === 'provides' ? 'Provides' : 'Obsoletes'} cannot use alternatives or rich dependencies`, {
            hint: 'list each name as its own entry',
            details: { field, value: dep.name },
          });
        }
        const flags = key === 'preDepends' ? dep.flags | RPMSENSE.SCRIPT_PRE : dep.flags;
        checkRpmDependency(dep, field);
        warnings.push(...w);
        relations[kind].push({ ...dep, flags } satisfies RpmDependency);
      });
    }
  }
  errors.throwIfAny();
  if (v.config.replaces?.length) {
    warnings.push({ code: 'W_FIELD_IGNORED', message: `${v.fieldOf('replaces')} has no RPM equivalent and is ignored for .rpm (rpm lets a package take over files only through Obsoletes or Conflicts)` });
  }
  return { relations, warnings };
}

/**
 * Map a loaded project to RPM header metadata for `arch` (an RPM architecture name).
 * `overrides.rpm` is applied first. Throws `E_METADATA_MISSING` / `E_METADATA_INVALID` /
 * `E_VERSION_INVALID` / `E_DEPENDENCY_INVALID`; every fallback taken is a coded warning.
 */
export function resolveRpm(project: LoadedProject, arch: { rpm: string }, opts: { buildHost?: string } = {}): { meta: RpmMetadata; warnings: Warning[] } {
  const v = formatView(project, 'rpm');
  const warnings: Warning[] = [];
  const name = resolveName(project, 'rpm');
  warnings.push(...name.warnings);
  const upstream = resolveVersion(v);
  warnings.push(...upstream.warnings);
  validateRpmVersionPart(upstream.upstream, v.fieldOf('version'));
  const release = releaseString(v.config.release);
  validateRpmVersionPart(release, v.fieldOf('release'));
  const maintainer = resolveMaintainer(v);
  const texts = resolveTexts(v, name.name);
  warnings.push(...texts.warnings);
  let license = v.config.license;
  if (!license) {
    license = 'Unspecified';
    warnings.push({ code: 'W_LICENSE_MISSING', message: 'no license in mkpkg.config or package.json; RPM License is "Unspecified"' });
  }
  const rel = rpmRelations(project, v);
  warnings.push(...rel.warnings);
  const meta: RpmMetadata = {
    name: name.name,
    ...(v.config.epoch !== undefined ? { epoch: v.config.epoch } : {}),
    version: upstream.upstream,
    release,
    arch: normalizeArch(arch.rpm).rpm,
    summary: texts.summary,
    description: texts.long ?? texts.summary,
    license,
    group: v.config.group ?? 'Unspecified',
    ...(v.config.homepage ? { url: v.config.homepage } : {}),
    ...(v.config.vendor ? { vendor: v.config.vendor } : {}),
    packager: maintainer,
    buildHost: opts.buildHost ?? defaultBuildHost(),
    relations: rel.relations,
  };
  checkRpmMetadata(meta, (f) => (f === 'BuildHost' ? 'the build host name' : blame(v, RPM_KEYS[f] ?? 'name')));
  return { meta, warnings };
}
