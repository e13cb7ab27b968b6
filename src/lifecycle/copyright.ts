/** The machine-readable (DEP-5) /usr/share/doc/NAME/copyright file of a .deb. */
import { MkpkgError } from '../errors.js';
import type { DataEntry } from '../plan/types.js';
import { renderTemplate } from '../templates/render.js';
import type { TemplateLookup } from '../templates/lookup.js';
import { licenseStanza } from './licenses.js';

/** Input of {@link renderCopyright}. */
export interface CopyrightInput {
  packageName: string;
  homepage?: string;
  /** An SPDX licence id (package.json `license`). */
  license?: string;
  /** Who holds the copyright (author or maintainer). */
  copyrightHolder: string;
  /** Copyright year; default: the year of `mtime`. */
  year?: number | string;
  /** mtime of the entry (SOURCE_DATE_EPOCH clamp); default 0. */
  mtime?: number;
}

/** Render the DEP-5 copyright file as a plan entry (deb only; the caller adds it to the plan). */
export function renderCopyright(input: CopyrightInput, lookup: TemplateLookup): DataEntry {
  for (const [k, v] of Object.entries({ packageName: input.packageName, homepage: input.homepage, copyrightHolder: input.copyrightHolder })) {
    if (v !== undefined && /[\x00-\x1f]/.test(v)) {
      throw new MkpkgError('E_METADATA_INVALID', `${k} ${JSON.stringify(v)} contains a newline or control character`, { hint: 'use a single-line value' });
    }
  }
  const mtime = input.mtime ?? 0;
  const year = input.year ?? new Date(mtime * 1000).getUTCFullYear();
  const text = renderTemplate('common/copyright.ejs', {
    packageName: input.packageName,
    homepage: input.homepage ?? '',
    copyrightHolder: input.copyrightHolder,
    year: String(year),
    license: licenseStanza(input.license),
  }, lookup).text;
  return { kind: 'data', path: `/usr/share/doc/${input.packageName}/copyright`, data: text, mode: 0o644, owner: 'root', group: 'root', mtime, flags: {} };
}
