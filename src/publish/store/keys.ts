/** Repository object keys: validation, and the content type and caching each kind of object gets. */
import { MkpkgError } from '../../errors.js';

/** Throw unless `key` is a clean relative path (no `..`, no empty or `.` segments, no control characters). */
export function checkKey(key: string): string {
  const segments = key.split('/');
  // eslint-disable-next-line no-control-regex
  if (!key || key.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(key) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new MkpkgError('E_REPO_INVALID', `repository path ${JSON.stringify(key)} is not a clean relative path`, {
      hint: 'repository paths are made of package names, versions and architectures; check those for "/" or ".."',
    });
  }
  return key;
}

/** E_REPO_INVALID: the object `key` of `location` cannot be read whole (`why`). */
export function unreadableObject(location: string, key: string, why: string): MkpkgError {
  return new MkpkgError('E_REPO_INVALID', `${location}/${key} ${why}`, {
    hint: 'the repository holds only regular files of index size here; remove or restore this one',
  });
}

/** HTTP metadata of an object (used by S3, where a CDN in front honours it). */
export interface ObjectPolicy {
  contentType: string;
  cacheControl: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Indexes that change on every publish: revalidate quickly. */
const SHORT = 'public, max-age=60, must-revalidate';

const TYPES: [RegExp, string][] = [
  [/\.deb$/, 'application/vnd.debian.binary-package'],
  [/\.rpm$/, 'application/x-rpm'],
  [/\.gz$/, 'application/gzip'],
  [/\.xz$/, 'application/x-xz'],
  [/\.zst$/, 'application/zstd'],
  [/\.(gpg|asc)$/, 'application/pgp-signature'],
  [/\.xml$/, 'application/xml'],
  [/\.json$/, 'application/json'],
  [/(^|\/)(Release|InRelease|Packages)$/, 'text/plain; charset=utf-8'],
];

/**
 * Content type and Cache-Control of a key: pool packages, `by-hash/` copies and content-named
 * repodata files never change (immutable); Release, InRelease, Packages and repomd.xml do (short).
 */
export function objectPolicy(key: string): ObjectPolicy {
  const contentType = TYPES.find(([re]) => re.test(key))?.[1] ?? 'application/octet-stream';
  if (key.endsWith('.lock')) return { contentType: 'application/json', cacheControl: 'no-store' };
  const immutable = /\.(deb|rpm)$/.test(key) || key.includes('/by-hash/') || /^(.*\/)?repodata\/[0-9a-f]{64}-[^/]+$/.test(key);
  return { contentType, cacheControl: immutable ? IMMUTABLE : SHORT };
}
