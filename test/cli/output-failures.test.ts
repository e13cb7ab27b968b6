/**
 * Failures around the output through the CLI: an unreadable source, an unwritable or full output
 * directory, Ctrl-C in the middle of a write, a signing key that cannot be decrypted. Each ends with
 * exit 1 (130 for SIGINT), a coded error, and no package or temporary file left behind.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from '../formats/rpm/helpers.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { CLI, SDE, assertError, ensureBuilt, listDir, mkpkg, type CliResult } from './helpers.js';
import { mountTmpfs, unmountTmpfs } from '../support/tmpfs.js';

/** A config-only project shipping `files` under /usr/share/out-fail. */
function project(files: Record<string, string | Buffer>, extra: Record<string, unknown> = {}): string {
  const dir = scratch('mkpkg-cli-out-');
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
    name: 'out-fail', version: '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'Output failure fixture',
    description: 'A project for output failure tests.', license: 'MIT', app: false,
    contents: [{ src: 'tree', dst: '/usr/share/out-fail' }], ...extra,
  }));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, 'tree', rel, '..'), { recursive: true });
    writeFileSync(join(dir, 'tree', rel), content);
  }
  return dir;
}

/** Run the CLI as the unprivileged user nobody (65534). */
function asNobody(args: string[]): CliResult {
  ensureBuilt();
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: SDE } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** An output directory anyone may write to (for runs as nobody). */
function openDir(): string {
  const d = scratch('mkpkg-cli-outdir-');
  chmodSync(d, 0o777);
  return d;
}

describe('cli: output failures leave nothing behind', function () {
  this.timeout(900_000);

  it('an unreadable source file (chmod 000, built as nobody) → E_SOURCE_UNREADABLE naming it', function () {
    requireRoot(this);
    requireTools(this, 'setpriv');
    const dir = project({ 'public.txt': 'p\n', 'secret.key': 'k\n' });
    chmodSync(join(dir, 'tree'), 0o755);
    chmodSync(join(dir, 'tree', 'secret.key'), 0o000);
    const out = openDir();
    assertError(asNobody(['build', dir, '-o', out]), 'E_SOURCE_UNREADABLE', 'secret.key');
    assert.deepEqual(listDir(out), []);
  });

  it('an output directory nobody may write (as nobody) or that lies under a file → E_OUTPUT_UNWRITABLE naming it', function () {
    requireRoot(this);
    requireTools(this, 'setpriv');
    const dir = project({ 'a.txt': 'a\n' });
    const rootOnly = scratch('mkpkg-cli-rootonly-');
    chmodSync(rootOnly, 0o755);
    assertError(asNobody(['deb', dir, '-o', rootOnly]), 'E_OUTPUT_UNWRITABLE', rootOnly);
    assert.deepEqual(listDir(rootOnly), []);
    const file = join(scratch(), 'a-file');
    writeFileSync(file, '');
    assertError(mkpkg(['rpm', dir, '-o', join(file, 'sub')]), 'E_OUTPUT_UNWRITABLE', join(file, 'sub'));
  });

  it('a read-only mount as the output directory (as root) → E_OUTPUT_UNWRITABLE', function () {
    requireRoot(this);
    requireTools(this, 'mount', 'umount');
    const dir = project({ 'a.txt': 'a\n' });
    const ro = scratch('mkpkg-cli-ro-');
    ok('mount', ['--bind', ro, ro]);
    try {
      ok('mount', ['-o', 'remount,bind,ro', ro]);
      assertError(mkpkg(['build', dir, '-o', ro]), 'E_OUTPUT_UNWRITABLE', ro);
      assert.deepEqual(listDir(ro), []);
    } finally {
      ok('umount', [ro]);
    }
  });

  it('a disk that fills up mid-write (a 512 KiB tmpfs) → E_WRITE_FAILED "no space left", no partial package or temp file', function () {
    const dir = project({ 'random.bin': randomBytes(2 << 20), 'small.txt': 's\n' });
    const small = mountTmpfs(this, '512k');
    try {
      for (const cmd of ['deb', 'rpm']) {
        assertError(mkpkg([cmd, dir, '-o', small, '--compression', 'none']), 'E_WRITE_FAILED', /no space left/i);
        assert.deepEqual(listDir(small), [], `${cmd} left files on the full disk`);
      }
    } finally {
      unmountTmpfs(small);
    }
  });

  for (const [cmd, tempPattern] of [['deb', /^\.out-fail_.*\.tmp$/], ['rpm', /^\.out-fail-.*\.tmp\.payload$/]] as const) {
    it(`${cmd}: SIGINT while the temp file is written → exit 130, E_INTERRUPTED, no package or temp file left`, async function () {
      requireTools(this, 'xz');
      ensureBuilt();
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 48; i++) files[`blob-${String(i).padStart(2, '0')}.bin`] = randomBytes(1 << 20);
      const dir = project(files);
      const out = scratch('mkpkg-cli-int-');
      const child = spawn(process.execPath, [CLI, cmd, dir, '-o', out, '--compression', 'xz', '--level', '9'], { env: { ...process.env, SOURCE_DATE_EPOCH: SDE } });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      const deadline = Date.now() + 60_000;
      let seen: string | undefined;
      while (!seen && Date.now() < deadline && child.exitCode === null) {
        seen = listDir(out).find((n) => tempPattern.test(n));
        if (!seen) await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(seen, `no temp file matching ${tempPattern} appeared (exit ${child.exitCode}; ${listDir(out).join(', ')})\n${stderr}`);
      child.kill('SIGINT');
      const code = await exited;
      assert.equal(code, 130, stderr);
      assert.match(stderr, /^error E_INTERRUPTED: /m);
      assert.deepEqual(listDir(out), [], 'a partial package or temp file was left behind');
    });
  }

  it('--sign-key with a wrong or missing MKPKG_SIGN_PASSPHRASE → E_SIGN_KEY; nothing written', function () {
    requireTools(this, 'gpg');
    const home = scratch('mkpkg-cli-gpg-');
    const env = { GNUPGHOME: home };
    ok('gpg', ['--batch', '--passphrase', 'right horse', '--pinentry-mode', 'loopback', '--quick-gen-key', 'Signer <s@example.com>', 'rsa2048', 'sign', 'never'], { env });
    const key = join(home, 'sec.asc');
    writeFileSync(key, ok('gpg', ['--batch', '--passphrase', 'right horse', '--pinentry-mode', 'loopback', '--armor', '--export-secret-keys', 's@example.com'], { env }));
    const dir = project({ 'a.txt': 'a\n' });
    const out = scratch();
    assertError(mkpkg(['rpm', dir, '-o', out, '--sign-key', key], { env: { MKPKG_SIGN_PASSPHRASE: 'wrong horse' } }), 'E_SIGN_KEY', key);
    assertError(mkpkg(['rpm', dir, '-o', out, '--sign-key', key], { env: { MKPKG_SIGN_PASSPHRASE: '' } }), 'E_SIGN_KEY', key);
    assert.deepEqual(listDir(out), []);
    const good = mkpkg(['rpm', dir, '-o', out, '--sign-key', key, '-q'], { env: { MKPKG_SIGN_PASSPHRASE: 'right horse' } });
    assert.equal(good.status, 0, good.stderr);
    assert.match(ok('rpm', ['-qp', '--qf', '%{RSAHEADER:pgpsig}', join(out, listDir(out)[0]!)]), /^RSA\/SHA256, /);
  });
});
