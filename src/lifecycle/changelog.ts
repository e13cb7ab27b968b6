/** The Debian changelog (/usr/share/doc/NAME/changelog.Debian.gz) of a .deb, rendered from a template. */
import { gzipSync } from 'node:zlib';
import { parseDebianVersion } from '../versions/debian.js';
import type { DataEntry } from '../plan/types.js';
import { renderTemplate } from '../templates/render.js';
import type { TemplateLookup } from '../templates/lookup.js';

/** Input of {@link renderDebChangelog}. */
export interface DebChangelogInput {
  packageName: string;
  /** Full Debian version. */
  version: string;
  maintainer: string;
  /** Entry date and file mtime (SOURCE_DATE_EPOCH). */
  mtime: number;
  /** Bullet points; default: one line saying which upstream version was packaged. */
  changes?: string[];
  distribution?: string;
}

/** RFC 2822 date as Debian changelogs write it, always in UTC: `Tue, 14 Nov 2023 22:13:20 +0000`. */
export function changelogDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString().replace('GMT', '+0000');
}

/**
 * Render the changelog and gzip it at level 9 without a name or timestamp in the gzip header
 * (reproducible, and what lintian expects). A non-native package (version with a revision) needs it.
 */
export function renderDebChangelog(input: DebChangelogInput, lookup: TemplateLookup): DataEntry {
  const { upstream } = parseDebianVersion(input.version);
  const text = renderTemplate('deb/changelog.ejs', {
    packageName: input.packageName,
    version: input.version,
    distribution: input.distribution ?? 'unstable',
    changes: input.changes ?? [`Package ${input.packageName} ${upstream}, built by mkpkg.`],
    maintainer: input.maintainer,
    date: changelogDate(input.mtime),
  }, lookup).text;
  const gz = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  return {
    kind: 'data', path: `/usr/share/doc/${input.packageName}/changelog.Debian.gz`, data: gz.toString('base64'), encoding: 'base64',
    mode: 0o644, owner: 'root', group: 'root', mtime: input.mtime, flags: {},
  };
}
