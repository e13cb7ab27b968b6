/**
 * The signing rules both repository families share: a signed repository never becomes unsigned
 * unless asked explicitly, and is never re-signed with another key unless asked explicitly (its
 * clients only trust the key they have).
 */
import type { PrivateKey } from 'openpgp';
import { MkpkgError } from '../errors.js';
import { keyError, keyIds, signerKeyIds } from '../sign/index.js';

/** What a repository's signature looks like now and what the run was asked to do. */
export interface SigningCheck {
  /** For messages: `dists/stable` or the repository location. */
  what: string;
  /** An existing signature (InRelease, Release.gpg or repomd.xml.asc), if any. */
  existingSignature?: string;
  key?: PrivateKey;
  /** Publish unsigned even though the repository is signed (removes the signatures). */
  unsigned?: boolean;
  /** Sign with a key other than the one that signed the repository. */
  rotateKey?: boolean;
}

/** Throw the refusal the rules call for (nothing has been written yet). */
export async function checkSigning(c: SigningCheck): Promise<void> {
  if (c.key && c.unsigned) {
    throw new MkpkgError('E_USAGE', `${c.what}: a signing key and "unsigned" were both given`, { hint: 'give either a signing key or --unsigned' });
  }
  if (c.existingSignature === undefined) return;
  if (!c.key) {
    if (c.unsigned) return;
    throw new MkpkgError('E_PUBLISH_UNSIGNED', `${c.what} is signed, and no signing key was given: publishing would leave it unsigned, and its clients would refuse it`, {
      hint: 'give the repository\'s key (--sign-key FILE / signKey), or pass --unsigned (unsigned: true) to remove the signatures on purpose',
    });
  }
  const signer = await signerKeyIds(c.existingSignature);
  const ours = keyIds(c.key);
  if (signer.length && !signer.some((id) => ours.includes(id)) && !c.rotateKey) {
    throw keyError(`${c.what} is signed by key ${signer.join(', ')}, but the given key is ${ours[0]}${ours.length > 1 ? ` (subkeys ${ours.slice(1).join(', ')})` : ''}: its clients would refuse the new signature`,
      undefined, 'give the key that signed the repository; to move to a new key on purpose, publish the new public key to the clients first and pass --rotate-key (rotateKey: true)');
  }
}
