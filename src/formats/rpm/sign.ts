/**
 * The rpm header signature: a detached v4 binary OpenPGP signature over the header blob (made by
 * the shared signing module), stored as RSA (tag 268) or DSA (tag 267, also EdDSA/ECDSA).
 */
import type { PrivateKey } from 'openpgp';
import { detachedSignature, isRsaSignature } from '../../sign/index.js';
import { SIGTAG } from './tags.js';

/**
 * Sign the header blob; returns the signature packet and the signature-header tag it belongs in.
 * The signature is dated `buildTime` (SOURCE_DATE_EPOCH), or the signing key's creation if that is
 * later (a signature may not predate its key): with RSA's deterministic padding, the same inputs and
 * key give a byte-identical signed package.
 */
export async function signHeader(key: PrivateKey, header: Uint8Array, buildTime: number): Promise<{ tag: number; signature: Uint8Array }> {
  let created = 0;
  try { created = (await key.getSigningKey()).getCreationTime().getTime(); } catch { /* detachedSignature reports it */ }
  const signature = await detachedSignature(key, header, 'the rpm header', { date: new Date(Math.max(buildTime * 1000, created)), format: 'binary' });
  return { tag: (await isRsaSignature(signature)) ? SIGTAG.RSA : SIGTAG.DSA, signature };
}
