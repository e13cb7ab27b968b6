/**
 * Package names. A name taken from package.json is mapped to what Debian and RPM accept (with a
 * `W_NAME_MAPPED` warning); a name given explicitly in mkpkg config must already be valid.
 */
import { MkpkgError, type Warning } from '../errors.js';
import type { LoadedProject } from './load.js';

/** What Debian's Package field accepts (also used for RPM, so both formats share one name). */
export const DEB_NAME_RE = /^[a-z0-9][a-z0-9+.-]+$/;
/** What mkpkg accepts as an explicit RPM Name (Fedora naming guidelines' character set). */
export const RPM_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_+.-]*$/;

/** Map an npm package name to a Debian/RPM package name; pure, reports each change. */
export function mapPackageName(input: string): { name: string; changes: string[] } {
  const changes: string[] = [];
  let s = input.trim();
  const scoped = /^@([^/]+)\/(.+)$/.exec(s);
  if (scoped) {
    s = `${scoped[1]}-${scoped[2]}`;
    changes.push('scope "@x/y" became "x-y"');
  }
  if (s !== s.toLowerCase()) {
    s = s.toLowerCase();
    changes.push('lowercased');
  }
  if (s.includes('_')) {
    s = s.replace(/_/g, '-');
    changes.push('"_" became "-"');
  }
  const spaced = s.replace(/[\s/]+/g, '-');
  if (spaced !== s) {
    s = spaced;
    changes.push('spaces and "/" became "-"');
  }
  const dropped = [...new Set(s.replace(/[a-z0-9+.-]/g, ''))];
  if (dropped.length > 0) {
    s = s.replace(/[^a-z0-9+.-]/g, '');
    changes.push(`dropped ${dropped.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  const trimmed = s.replace(/^[^a-z0-9]+/, '');
  if (trimmed !== s) {
    s = trimmed;
    changes.push('leading punctuation removed');
  }
  return { name: s, changes };
}

/**
 * The package name for a format. `explicit` names (from mkpkg config, overrides or the CLI) are
 * validated as given; names from package.json are mapped. Invalid → `E_METADATA_INVALID`.
 */
export function resolvePackageName(
  raw: string,
  opts: { explicit: boolean; format: 'deb' | 'rpm'; field?: string },
): { name: string; warnings: Warning[] } {
  const field = opts.field ?? 'name';
  const re = opts.format === 'deb' ? DEB_NAME_RE : RPM_NAME_RE;
  const rule = opts.format === 'deb' ? 'lowercase letters, digits, "+", "-", "." (starting with a letter or digit, at least 2 characters)' : 'letters, digits, "_", "+", "-", "."';
  if (opts.explicit) {
    if (re.test(raw)) return { name: raw, warnings: [] };
    const suggested = mapPackageName(raw).name;
    throw new MkpkgError('E_METADATA_INVALID', `${field}: ${JSON.stringify(raw)} is not a valid ${opts.format} package name: use only ${rule}`, {
      hint: DEB_NAME_RE.test(suggested) ? `set ${field} to ${JSON.stringify(suggested)}` : `choose a name made of ${rule}`,
      details: { field, value: raw },
    });
  }
  const { name, changes } = mapPackageName(raw);
  if (!DEB_NAME_RE.test(name)) {
    throw new MkpkgError('E_METADATA_INVALID', `package.json name ${JSON.stringify(raw)} cannot be turned into a package name (got ${JSON.stringify(name)})`, {
      hint: `set name in mkpkg.config to a name of ${rule}`,
      details: { field: 'name', value: raw, mapped: name },
    });
  }
  const warnings: Warning[] =
    changes.length > 0 ? [{ code: 'W_NAME_MAPPED', message: `package name ${JSON.stringify(raw)} mapped to ${JSON.stringify(name)} (${changes.join('; ')})` }] : [];
  return { name, warnings };
}

/**
 * The package name of a loaded project for `format` (default deb), `overrides[format].name`
 * included: mapped from package.json with warnings, or validated as given.
 */
export function packageName(project: LoadedProject, format: 'deb' | 'rpm' = 'deb'): { name: string; warnings: Warning[] } {
  const over = project.config.overrides?.[format]?.name;
  const raw = over ?? project.config.name;
  if (!raw) {
    throw new MkpkgError('E_METADATA_MISSING', 'name is not set', { hint: 'set "name" in mkpkg.config or in package.json', details: { field: 'name' } });
  }
  const explicit = over !== undefined || project.origins.name !== 'package.json';
  return resolvePackageName(raw, { explicit, format, field: over !== undefined ? `overrides.${format}.name` : 'name' });
}
