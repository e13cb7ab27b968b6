/**
 * OpenPGP signatures as the package managers verify them, all with SHA-256 or stronger digests
 * (apt ≥ 2.6 distrusts SHA-1/MD5 signatures): detached (rpm headers, Release.gpg, repomd.xml.asc)
 * and clearsigned (InRelease), plus the key IDs a signature names, to tell which key signed a repository.
 */
import type { PrivateKey } from 'openpgp';
import { keyError, pgp } from './keys.js';

/** Options of {@link detachedSignature}. */
export interface DetachedOptions {
  /** The signature's creation time (default: now). */
  date?: Date;
  /** `armored` (default) for files next to the data, `binary` for embedding (rpm headers). */
  format?: 'armored' | 'binary';
}

const hashConfig = async () => {
  const openpgp = await pgp();
  return { preferredHashAlgorithm: openpgp.enums.hash.sha256, nonDeterministicSignaturesViaNotation: false };
};

/** A detached signature over `data`. Throws E_SIGN_KEY naming `what` when the key cannot sign. */
export async function detachedSignature(key: PrivateKey, data: Uint8Array | string, what: string, opts: { date?: Date; format: 'binary' }): Promise<Uint8Array>;
export async function detachedSignature(key: PrivateKey, data: Uint8Array | string, what: string, opts?: DetachedOptions): Promise<string>;
export async function detachedSignature(key: PrivateKey, data: Uint8Array | string, what: string, opts: DetachedOptions = {}): Promise<string | Uint8Array> {
  const openpgp = await pgp();
  const binary = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const message = await openpgp.createMessage({ binary });
    const common = { message, signingKeys: key, detached: true, date: opts.date, config: await hashConfig() };
    return opts.format === 'binary'
      ? await openpgp.sign({ ...common, format: 'binary' }) as Uint8Array
      : await openpgp.sign({ ...common, format: 'armored' }) as string;
  } catch (e) {
    throw keyError(`signing ${what} failed: ${(e as Error).message}`, e, 'use a signing-capable RSA, Ed25519 or ECDSA key');
  }
}

/** `text` clearsigned (the InRelease form). */
export async function clearSign(key: PrivateKey, text: string, what: string): Promise<string> {
  const openpgp = await pgp();
  try {
    return await openpgp.sign({ message: await openpgp.createCleartextMessage({ text }), signingKeys: key, config: await hashConfig() });
  } catch (e) {
    throw keyError(`signing ${what} failed: ${(e as Error).message}`, e, 'use a signing-capable RSA, Ed25519 or ECDSA key');
  }
}

/** True when a binary detached signature was made with an RSA key (rpm stores those under another tag). */
export async function isRsaSignature(signature: Uint8Array): Promise<boolean> {
  const openpgp = await pgp();
  const parsed = await openpgp.readSignature({ binarySignature: signature });
  const algo = parsed.packets[0]?.publicKeyAlgorithm ?? -1;
  return algo === openpgp.enums.publicKey.rsaEncryptSign || algo === openpgp.enums.publicKey.rsaSign;
}

/** The 16-hex-digit key IDs of `key` and its subkeys (lower case). */
export function keyIds(key: PrivateKey): string[] {
  return key.getKeys().map((k) => k.getKeyID().toHex().toLowerCase());
}

/**
 * The key IDs an armored signature or clearsigned text names as its signer (lower case); empty when
 * it cannot be parsed (then nothing is known about the previous key).
 */
export async function signerKeyIds(armored: string): Promise<string[]> {
  const openpgp = await pgp();
  try {
    if (armored.includes('-----BEGIN PGP SIGNED MESSAGE-----')) {
      const msg = await openpgp.readCleartextMessage({ cleartextMessage: armored });
      return msg.getSigningKeyIDs().map((id) => id.toHex().toLowerCase());
    }
    const sig = await openpgp.readSignature({ armoredSignature: armored });
    return sig.getSigningKeyIDs().map((id) => id.toHex().toLowerCase());
  } catch {
    return [];
  }
}
