/**
 * An .rpm to publish: its headers (the payload is never read), its digest and size, and where it
 * goes in the repository (`Packages/<first letter>/<name>-<version>-<release>.<arch>.rpm`).
 */
import { stat } from 'node:fs/promises';
import { MkpkgError } from '../../errors.js';
import { readRpm, type RpmInspection } from '../../formats/rpm/reader.js';
import { digestFile } from '../digests.js';

/** A package ready to be added. */
export interface RpmInput {
  path: string;
  name: string;
  arch: string;
  epoch: number;
  version: string;
  release: string;
  sha256: string;
  size: number;
  /** Repository-relative path. */
  location: string;
  rpm: RpmInspection;
}

const PART = /^[A-Za-z0-9._+~^-]+$/;

/** A header value as a string (I18N strings and one-element arrays are collapsed by the reader). */
export function tagString(rpm: RpmInspection, name: string): string | undefined {
  const v = rpm.tags[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** A header value as a number. */
export function tagNumber(rpm: RpmInspection, name: string): number | undefined {
  const v = rpm.tags[name];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length && typeof v[0] !== 'string') return Number(v[0]);
  return undefined;
}

/** Read and check one .rpm. */
export async function readRpmInput(path: string): Promise<RpmInput> {
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) throw new MkpkgError('E_READ_PACKAGE', `${path} is not a file`, { hint: 'give the path of an .rpm' });
  const rpm = await readRpm(path);
  const part = (field: string, v: string | undefined): string => {
    if (!v || !PART.test(v)) {
      throw new MkpkgError('E_READ_PACKAGE', `${path}: ${field} ${JSON.stringify(v ?? '')} cannot name a file in a repository`, { hint: 'publish packages built by mkpkg or rpmbuild' });
    }
    return v;
  };
  const name = part('Name', tagString(rpm, 'name'));
  const version = part('Version', tagString(rpm, 'version'));
  const release = part('Release', tagString(rpm, 'release'));
  const arch = part('Arch', tagString(rpm, 'arch'));
  const digests = await digestFile(path);
  return {
    path, name, arch, epoch: tagNumber(rpm, 'epoch') ?? 0, version, release, sha256: digests.sha256, size: digests.size,
    location: `Packages/${name[0]!.toLowerCase()}/${name}-${version}-${release}.${arch}.rpm`, rpm,
  };
}
