/** Repository storage: a local directory or an S3 bucket prefix, and the lock that serializes publishers. */
import { resolve } from 'node:path';
import { MkpkgError } from '../../errors.js';
import { LocalStore } from './local.js';
import { S3Store } from './s3.js';
import type { RepoStore } from './types.js';

export { LocalStore, LOCK_NAME } from './local.js';
export { S3Store } from './s3.js';
export type { S3Target } from './s3-client.js';
export { objectPolicy, checkKey, type ObjectPolicy } from './keys.js';
export { describeHolder, LEASE_MS } from './lock.js';
export type { RepoStore, StoredObject, LockHolder, LockOptions, HeldLock } from './types.js';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** For s3:// targets: an S3-compatible endpoint (default: env MKPKG_S3_ENDPOINT, else AWS). */
  endpoint?: string;
  /** Resolve relative directories against this (default: cwd). */
  baseDir?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The store for a target: a directory path, or `s3://BUCKET[/PREFIX]`. */
export function openStore(target: string, opts: StoreOptions = {}): RepoStore {
  if (!/^s3:\/\//i.test(target)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      throw new MkpkgError('E_REPO_INVALID', `repository target ${JSON.stringify(target)} is neither a directory nor s3://BUCKET/PREFIX`, {
        hint: 'publish to a local directory (served by any web server) or to s3://BUCKET/PREFIX',
      });
    }
    return new LocalStore(opts.baseDir ? resolve(opts.baseDir, target) : target);
  }
  const rest = target.slice(5);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (!BUCKET.test(bucket)) {
    throw new MkpkgError('E_REPO_INVALID', `S3 bucket name ${JSON.stringify(bucket)} in ${target} is not valid`, {
      hint: 'bucket names are 3-63 lower-case letters, digits, "." and "-": s3://my-bucket/apt',
    });
  }
  if (prefix) {
    for (const seg of prefix.split('/')) {
      if (!seg || seg === '.' || seg === '..' || /[\u0000-\u001f\u007f\\]/.test(seg)) {
        throw new MkpkgError('E_REPO_INVALID', `S3 prefix ${JSON.stringify(prefix)} in ${target} is not a clean path`, { hint: 'use a prefix like s3://bucket/apt/debian' });
      }
    }
  }
  const endpoint = opts.endpoint ?? (process.env.MKPKG_S3_ENDPOINT || undefined);
  if (endpoint && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(endpoint)) {
    throw new MkpkgError('E_REPO_INVALID', `S3 endpoint ${JSON.stringify(endpoint)} is not an http(s) URL`, { hint: 'e.g. --endpoint http://127.0.0.1:9000 (or MKPKG_S3_ENDPOINT)' });
  }
  return new S3Store({ bucket, prefix, endpoint });
}
