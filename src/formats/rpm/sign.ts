/**
 * Optional OpenPGP signing of the main header (openpgp v6): a detached v4 binary signature with
 * SHA-256 over the header blob, stored as RSA (tag 268) or DSA (tag 267, also EdDSA/ECDSA).
 */
import { readFile } from 'node:fs/promises';
import type { PrivateKey } from 'openpgp';
import { MkpkgError } from '../../errors.js';
import { SIGTAG } from './tags.js';

/** An armored OpenPGP private key and the passphrase that decrypts it. */
export interface SignKey {
  armoredKey: string;
  passphrase?: string;
}

const keyError = (message: string, cause?: unknown) =>
  new MkpkgError('E_SIGN_KEY', message, {
    hint: 'give an ASCII-armored OpenPGP secret key (gpg --armor --export-secret-keys KEYID) and its passphrase in MKPKG_SIGN_PASSPHRASE',
    cause,
  });

/** openpgp is large (~60 ms to import): it is loaded only when a key is actually used. */
const pgp = () => import('openpgp');

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
 * Sign the header blob; returns the signature packet and the signature-header tag it belongs in.
 * The signature is dated `buildTime` (SOURCE_DATE_EPOCH), or the signing key's creation if that is
 * later (a signature may not predate its key): with RSA's deterministic padding, the same inputs and
 * key give a byte-identical signed package.
 */
export async function signHeader(key: PrivateKey, header: Uint8Array, buildTime: number): Promise<{ tag: number; signature: Uint8Array }> {
  const openpgp = await pgp();
  const rsaAlgos = new Set<number>([openpgp.enums.publicKey.rsaEncryptSign, openpgp.enums.publicKey.rsaSign]);
  let signature: Uint8Array;
  try {
    const created = (await key.getSigningKey()).getCreationTime().getTime();
    signature = await openpgp.sign({
      date: new Date(Math.max(buildTime * 1000, created)),
      message: await openpgp.createMessage({ binary: header }),
      signingKeys: key,
      detached: true,
      format: 'binary',
      config: { preferredHashAlgorithm: openpgp.enums.hash.sha256, nonDeterministicSignaturesViaNotation: false },
    }) as Uint8Array;
  } catch (e) {
    throw keyError(`signing the rpm header failed: ${(e as Error).message}`, e);
  }
  const parsed = await openpgp.readSignature({ binarySignature: signature });
  const algo = parsed.packets[0]?.publicKeyAlgorithm ?? -1;
  return { tag: rsaAlgos.has(algo) ? SIGTAG.RSA : SIGTAG.DSA, signature };
}
