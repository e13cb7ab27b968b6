/**
 * Reading OpenPGP signing keys: an armored private key (text, or the path of a file holding one),
 * decrypted with its passphrase. openpgp is loaded on first use: most runs never sign, and it is the
 * largest module mkpkg imports (~60 ms).
 */
import { readFile } from 'node:fs/promises';
import type { PrivateKey } from 'openpgp';
import { MkpkgError } from '../errors.js';

/** An armored OpenPGP private key and the passphrase that decrypts it. */
export interface SignKey {
  armoredKey: string;
  passphrase?: string;
}

/** openpgp, imported when a key is actually used. */
export const pgp = () => import('openpgp');

const ARMOR = '-----BEGIN PGP PRIVATE KEY BLOCK-----';

/** E_SIGN_KEY with the hint every key problem shares. */
export function keyError(message: string, cause?: unknown, hint?: string): MkpkgError {
  return new MkpkgError('E_SIGN_KEY', message, {
    hint: hint ?? 'give an ASCII-armored OpenPGP secret key (gpg --armor --export-secret-keys KEYID) and its passphrase in MKPKG_SIGN_PASSPHRASE',
    cause,
  });
}

/** Read the private key, decrypting it with the passphrase when it is protected. Throws E_SIGN_KEY. */
export async function loadSigningKey(key: SignKey, source = 'the signing key'): Promise<PrivateKey> {
  const openpgp = await pgp();
  let pk: PrivateKey;
  try {
    pk = await openpgp.readPrivateKey({ armoredKey: key.armoredKey });
  } catch (e) {
    throw keyError(`${source} is not a readable armored OpenPGP private key: ${(e as Error).message}`, e);
  }
  if (pk.isDecrypted()) return pk;
  if (key.passphrase === undefined) throw keyError(`${source} is passphrase-protected and no passphrase was given`);
  try {
    return await openpgp.decryptKey({ privateKey: pk, passphrase: key.passphrase });
  } catch (e) {
    throw keyError(`${source} could not be decrypted with the given passphrase: ${(e as Error).message}`, e);
  }
}

/** The text of the key file `file`; E_SIGN_KEY naming `what` (e.g. `signKey`) when it cannot be read. */
export async function readKeyFile(file: string, what = 'signing key file'): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw keyError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, e);
  }
}

/** Read an armored key file and check that it can be used (E_SIGN_KEY otherwise). */
export async function readSignKey(file: string, passphrase?: string): Promise<SignKey> {
  const key: SignKey = { armoredKey: await readKeyFile(file), passphrase };
  await loadSigningKey(key, `signing key file ${file}`);
  return key;
}

/**
 * A key given as an option: armored key text, or the path of a file holding one; the passphrase
 * (if the key is protected) comes from `passphrase` or MKPKG_SIGN_PASSPHRASE.
 */
export async function loadKeyOption(key: string, passphrase = process.env.MKPKG_SIGN_PASSPHRASE): Promise<PrivateKey> {
  if (key.includes(ARMOR)) return loadSigningKey({ armoredKey: key, passphrase }, 'the signing key');
  return loadSigningKey({ armoredKey: await readKeyFile(key, 'signKey file'), passphrase }, `signing key file ${key}`);
}

/** True when `value` is armored key text rather than a path. */
export const isArmoredKey = (value: string): boolean => value.includes(ARMOR);
