/** OpenPGP header signatures, checked by rpm against an imported public key. */
import { strict as assert } from 'node:assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MkpkgError } from '../../../src/errors.js';
import { readSignKey } from '../../../src/sign/index.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { build, data, metaOf, ok, planOf, run } from './helpers.js';

interface TestKey { secret: string; secretFile: string; publicFile: string }

function gpgKey(algo: string, passphrase: string): TestKey {
  const home = scratch('mkpkg-gpg-');
  const env = { GNUPGHOME: home };
  ok('gpg', ['--batch', '--passphrase', passphrase, '--pinentry-mode', 'loopback', '--quick-gen-key', 'Test <t@example.com>', algo, 'sign', 'never'], { env });
  const secret = ok('gpg', ['--batch', '--passphrase', passphrase, '--pinentry-mode', 'loopback', '--armor', '--export-secret-keys', 't@example.com'], { env });
  const publicFile = join(home, 'pub.asc');
  writeFileSync(publicFile, ok('gpg', ['--armor', '--export', 't@example.com'], { env }));
  const secretFile = join(home, 'sec.asc');
  writeFileSync(secretFile, secret);
  return { secret, secretFile, publicFile };
}

describe('rpm writer: OpenPGP signing', function () {
  let rsa: TestKey;
  before(function () {
    requireTools(this, 'rpm', 'gpg');
    rsa = gpgKey('rsa3072', '');
  });

  it('an RSA-signed package: rpm -K says "digests signatures OK" once the key is imported (and not before)', async () => {
    const p = await build(planOf(data('/opt/signed/a', 'a\n')), metaOf({ name: 'signed' }), {}, { signKey: { armoredKey: rsa.secret } });
    const db = scratch('mkpkg-rpmdb-');
    const before = run('rpm', ['--dbpath', db, '-K', p.path]);
    assert.doesNotMatch(before.stdout, /digests signatures OK/, 'without the key the signature cannot verify');
    ok('rpm', ['--dbpath', db, '--import', rsa.publicFile]);
    assert.match(ok('rpm', ['--dbpath', db, '-K', p.path]), /: digests signatures OK$/m);
    const v = ok('rpm', ['--dbpath', db, '-Kv', p.path]);
    assert.match(v, /Header V4 RSA\/SHA256 Signature, key ID [0-9a-f]+: OK/);
    assert.match(ok('rpm', ['--dbpath', db, '-qpi', p.path]), /^Signature\s+: RSA\/SHA256, /m);
  });

  it('two signed builds with the same SOURCE_DATE_EPOCH and key are byte-identical, and both verify', async () => {
    const db = scratch('mkpkg-rpmdb-');
    ok('rpm', ['--dbpath', db, '--import', rsa.publicFile]);
    const plan = planOf(data('/opt/signed/a', 'a\n'));
    const a = await build(plan, metaOf({ name: 'signed' }), {}, { signKey: { armoredKey: rsa.secret } });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a signature dated "now" would differ
    const b = await build(plan, metaOf({ name: 'signed' }), {}, { signKey: { armoredKey: rsa.secret } });
    assert.equal(a.sha256, b.sha256);
    for (const p of [a, b]) assert.match(ok('rpm', ['--dbpath', db, '-K', p.path]), /: digests signatures OK$/m);
  });

  it('a passphrase-protected key signs with the right passphrase and is E_SIGN_KEY with a wrong one, writing nothing', async function () {
    const k = gpgKey('rsa2048', 'sekrit');
    const outDir = scratch('mkpkg-rpm-out-');
    await assert.rejects(
      build(planOf(data('/opt/s/a', 'a')), metaOf({ name: 's' }), {}, { outDir, signKey: { armoredKey: k.secret, passphrase: 'wrong' } }),
      (e: unknown) => e instanceof MkpkgError && e.code === 'E_SIGN_KEY',
    );
    await assert.rejects(
      build(planOf(data('/opt/s/a', 'a')), metaOf({ name: 's' }), {}, { outDir, signKey: { armoredKey: k.secret } }),
      (e: unknown) => e instanceof MkpkgError && e.code === 'E_SIGN_KEY',
    );
    assert.deepEqual(readdirSync(outDir), []);
    const key = await readSignKey(k.secretFile, 'sekrit');
    const p = await build(planOf(data('/opt/s/a', 'a')), metaOf({ name: 's' }), {}, { signKey: key });
    const db = scratch('mkpkg-rpmdb-');
    ok('rpm', ['--dbpath', db, '--import', k.publicFile]);
    assert.match(ok('rpm', ['--dbpath', db, '-K', p.path]), /digests signatures OK/);
  });

  it('readSignKey: a missing key file is E_SIGN_KEY', async () => {
    await assert.rejects(readSignKey('/nonexistent/key.asc'), (e: unknown) => e instanceof MkpkgError && e.code === 'E_SIGN_KEY');
  });

  it('an Ed25519 key signs into the DSA tag (SHA-512, the hash openpgp requires for the curve) and rpm verifies it', async () => {
    const k = gpgKey('ed25519', '');
    const p = await build(planOf(data('/opt/ed/a', 'a')), metaOf({ name: 'ed' }), {}, { signKey: { armoredKey: k.secret } });
    const db = scratch('mkpkg-rpmdb-');
    ok('rpm', ['--dbpath', db, '--import', k.publicFile]);
    assert.match(ok('rpm', ['--dbpath', db, '-K', p.path]), /digests signatures OK/);
    assert.match(ok('rpm', ['--dbpath', db, '-qp', '--qf', '%{DSAHEADER:pgpsig}', p.path]), /EdDSA\/SHA(256|512)/);
  });
});
