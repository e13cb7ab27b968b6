/** OpenPGP signing shared by the rpm writer (header signature) and the repositories (InRelease, Release.gpg, repomd.xml.asc). */
export { loadSigningKey, readKeyFile, readSignKey, loadKeyOption, isArmoredKey, keyError, type SignKey } from './keys.js';
export { detachedSignature, clearSign, isRsaSignature, keyIds, signerKeyIds, type DetachedOptions } from './signatures.js';
