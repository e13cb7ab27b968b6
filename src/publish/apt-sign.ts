/**
 * Signing a `Release` file the way apt verifies it: `InRelease` (clearsigned) and `Release.gpg`
 * (detached, armored), both with SHA-256 digests (apt ≥ 2.6 distrusts SHA-1/MD5 signatures).
 */
import type * as OpenPgp from 'openpgp';
import { MkpkgError } from '../errors.js';
import { loadSigningKey, readKeyFile } from '../formats/rpm/sign.js';

/** The two signature files of a Release. */
export interface ReleaseSignatures {
  inRelease: string;
  releaseGpg: string;
}

/** openpgp is loaded on first use: most builds never sign, and it is the largest module mkpkg imports. */
const pgp = () => import('openpgp');

const ARMOR = '-----BEGIN PGP PRIVATE KEY BLOCK-----';

/**
 * Read a repository signing key: `key` is an armored private key or the path of a file holding
 * one; the passphrase (if the key is protected) comes from `passphrase` or MKPKG_SIGN_PASSPHRASE.
 */
export async function readRepoKey(key: string, passphrase = process.env.MKPKG_SIGN_PASSPHRASE): Promise<OpenPgp.PrivateKey> {
  if (key.includes(ARMOR)) return loadSigningKey({ armoredKey: key, passphrase }, 'the repository signing key');
  return loadSigningKey({ armoredKey: await readKeyFile(key, 'signKey file'), passphrase }, `signing key file ${key}`);
}

/** Clearsign and detach-sign `release` (the exact bytes written to `Release`). */
export async function signRelease(release: string, key: OpenPgp.PrivateKey): Promise<ReleaseSignatures> {
  const openpgp = await pgp();
  const config = { preferredHashAlgorithm: openpgp.enums.hash.sha256 };
  try {
    const inRelease = await openpgp.sign({
      message: await openpgp.createCleartextMessage({ text: release }),
      signingKeys: key,
      config,
    });
    const releaseGpg = await openpgp.sign({
      message: await openpgp.createMessage({ binary: Buffer.from(release, 'utf8') }),
      signingKeys: key,
      detached: true,
      format: 'armored',
      config,
    });
    return { inRelease, releaseGpg };
  } catch (e) {
    throw new MkpkgError('E_SIGN_KEY', `signing the Release file failed: ${(e as Error).message}`, {
      hint: 'use a signing-capable RSA, Ed25519 or ECDSA key', cause: e,
    });
  }
}
