/** `mkpkg build/deb/rpm` options and exit codes, each checked with dpkg-deb, rpm and sha256sum. */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../formats/deb/tree-compare.js';
import { qf } from '../formats/rpm/helpers.js';
import { CLI } from '../support/dist.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { FIXTURES, assertError, buildJson, copyFixture, listDir, mkpkg, mkpkgOk } from './helpers.js';

const EDGE = join(FIXTURES, 'edge-cases');
const HELLO = join(FIXTURES, 'hello-service');
const field = (deb: string, f: string) => run('dpkg-deb', ['--field', deb, f]).trim();
/** The member names of a .deb's ar archive, as `ar t` reads them. */
const arMembers = (deb: string) => run('ar', ['t', deb]).trim().split('\n');

describe('cli: build options, --json/--quiet output and exit codes', function () {
  this.timeout(900_000);
  before(function () { requireTools(this, 'dpkg-deb', 'rpm', 'ar', 'sha256sum'); });

  it('build --formats deb,rpm writes both in one run; --json gives path, size, sha256, name, version, arch of each', () => {
    const out = scratch();
    const arts = buildJson(['build', HELLO, '--formats', 'deb,rpm', '-o', out]);
    assert.deepEqual(arts.map((a) => a.format), ['deb', 'rpm']);
    assert.deepEqual(listDir(out), ['hello-service-1.0.0-1.noarch.rpm', 'hello-service_1.0.0-1_all.deb']);
    for (const a of arts) {
      assert.equal(a.path, join(out, a.path.split('/').pop()!));
      assert.equal(run('sha256sum', [a.path]).split(' ')[0], a.sha256);
      assert.equal(Number(run('stat', ['-c', '%s', a.path]).trim()), a.size);
      assert.equal(a.name, 'hello-service');
    }
    assert.deepEqual([arts[0]!.version, arts[0]!.arch], [field(arts[0]!.path, 'Version'), field(arts[0]!.path, 'Architecture')]);
    assert.deepEqual([arts[1]!.version, arts[1]!.arch], [qf(arts[1]!.path, '%{VERSION}-%{RELEASE}'), qf(arts[1]!.path, '%{ARCH}')]);
  });

  it('--quiet prints nothing on success; the default prints one line per artifact with its path', () => {
    const out = scratch();
    const q = mkpkg(['build', EDGE, '-o', out, '--quiet']);
    assert.equal(q.status, 0, q.stderr);
    assert.equal(q.stdout + q.stderr, '');
    assert.equal(listDir(out).length, 2);
    const loud = mkpkg(['deb', EDGE, '-o', scratch()]);
    assert.equal(loud.status, 0, loud.stderr);
    assert.match(loud.stdout, /^\/\S+\/edge-cases_2\.0\.0~rc\.1-1_all\.deb {2}\(/);
  });

  it('-o/--out chooses the directory (default: DIR/mkpkg-out, never the current directory)', () => {
    const cwd = scratch();
    const project = copyFixture('edge-cases');
    mkpkgOk(['deb', project, '-q'], { cwd });
    assert.deepEqual(listDir(cwd), []);
    assert.deepEqual(listDir(join(project, 'mkpkg-out')), ['edge-cases_2.0.0~rc.1-1_all.deb']);
    const out = scratch();
    mkpkgOk(['rpm', EDGE, '--out', out, '-q'], { cwd });
    assert.deepEqual(listDir(out), ['edge-cases-2.0.0~rc.1-1.noarch.rpm']);
  });

  it('--arch, --version and --release change the package as they say (in any arch spelling)', () => {
    const [deb, rpm] = buildJson(['build', EDGE, '-o', scratch(), '--arch', 'x64', '--version', '3.1.0-beta.2', '--release', '4']);
    assert.equal(field(deb!.path, 'Architecture'), 'amd64');
    assert.equal(field(deb!.path, 'Version'), '3.1.0~beta.2-4');
    assert.ok(deb!.path.endsWith('/edge-cases_3.1.0~beta.2-4_amd64.deb'));
    assert.equal(qf(rpm!.path, '%{VERSION}|%{RELEASE}|%{ARCH}'), '3.1.0~beta.2|4|x86_64');
    const [arm] = buildJson(['rpm', EDGE, '-o', scratch(), '--arch', 'arm64']);
    assert.equal(qf(arm!.path, '%{ARCH}'), 'aarch64');
  });

  it('--compression xz|gzip|zstd|none picks the data member / payload compressor', () => {
    const expect = { xz: ['data.tar.xz', 'xz'], gzip: ['data.tar.gz', 'gzip'], zstd: ['data.tar.zst', 'zstd'], none: ['data.tar', ''] } as const;
    for (const [c, [member, payload]] of Object.entries(expect)) {
      const [deb, rpm] = buildJson(['build', EDGE, '-o', scratch(), '--compression', c]);
      assert.equal(arMembers(deb!.path)[2], member, c);
      run('dpkg-deb', ['--contents', deb!.path]);
      const comp = qf(rpm!.path, '%{PAYLOADCOMPRESSOR}');
      if (payload) assert.equal(comp, payload, c);
      else assert.ok(comp === '(none)' || comp === 'identity', `${c}: ${comp}`);
      assert.match(run('rpm', ['-K', rpm!.path]), /digests OK/);
    }
  });

  it('--level sets the compression level: recorded in the rpm, and a smaller .deb at a higher level', () => {
    const proj = copyFixture('edge-cases');
    writeFileSync(join(proj, 'tree/share/big.txt'), Array.from({ length: 40_000 }, (_, i) => `line ${i} ${(i * 7919) % 1000}\n`).join(''));
    const [d1, r1] = buildJson(['build', proj, '-o', scratch(), '--compression', 'gzip', '--level', '1']);
    const [d9, r9] = buildJson(['build', proj, '-o', scratch(), '--compression', 'gzip', '--level', '9']);
    assert.ok(d9!.size < d1!.size, `gzip -9 (${d9!.size}) not smaller than gzip -1 (${d1!.size})`);
    assert.equal(qf(r1!.path, '%{PAYLOADFLAGS}'), '1');
    assert.equal(qf(r9!.path, '%{PAYLOADFLAGS}'), '9');
    const extracted = scratch();
    run('dpkg-deb', ['-x', d9!.path, extracted]);
    assert.equal(run('sha256sum', [join(extracted, 'usr/share/edge-cases/big.txt')]).split(' ')[0], run('sha256sum', [join(proj, 'tree/share/big.txt')]).split(' ')[0]);
  });

  it('exit 2 with "error E_USAGE" on bad usage: unknown option, missing argument, bad --compression, unknown --formats', () => {
    const out = scratch();
    for (const args of [['deb', EDGE, '--frobnicate', '-o', out], ['inspect'], ['deb', EDGE, '--compression', 'lzma', '-o', out], ['build', EDGE, '--formats', 'deb,apk', '-o', out], []]) {
      const r = mkpkg(args);
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, /^error E_USAGE: /m, args.join(' '));
      assert.match(r.stderr, /^ {2}hint: /m);
    }
    assert.match(mkpkg(['deb', EDGE, '--compression', 'lzma', '-o', out]).stderr, /lzma/);
    assert.deepEqual(listDir(out), []);
  });

  it('exit 1 with "error E_CODE: message" and a hint on an error; exit 0 on success', () => {
    const r = mkpkg(['deb', join(scratch(), 'no-such-project')]);
    assertError(r, 'E_CONFIG_NOT_FOUND', 'no-such-project');
    assert.equal(mkpkg(['deb', EDGE, '-o', scratch(), '-q']).status, 0);
  });

  it('mkpkg --version (and -V) prints the version of package.json and exits 0; mkpkg deb --version still sets the package version', () => {
    const own = (JSON.parse(readFileSync(join(CLI, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) {
      const r = mkpkg([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${own}\n`);
    }
    const [a] = buildJson(['deb', EDGE, '-o', scratch(), '--version', '7.8.9']);
    assert.equal(field(a!.path, 'Version'), '7.8.9-1');
  });
});
