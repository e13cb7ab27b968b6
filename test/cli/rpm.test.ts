/** `mkpkg rpm` from real projects, judged by rpm, rpm2cpio + cpio, rpmlint, rpm --root and dnf. */
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as writeTestRpm, dnfRepo, installRoot, metaOf, ok, qf, rpmRoot, run } from '../formats/rpm/helpers.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { FIXTURES, buildJson, copyFixture, mkpkgOk, rpmlintProblems, type JsonArtifact } from './helpers.js';

const HELLO = join(FIXTURES, 'hello-service');
const EDGE = join(FIXTURES, 'edge-cases');
const DEEP = 'deep/segment-one-is-a-long-directory-name-of-about-eighty-bytes-abcdefghijklmnopq/segment-two-is-a-long-directory-name-of-about-eighty-bytes-abcdefghijklmnopq/segment-three-is-a-long-directory-name-of-about-eighty-bytes-abcdefghijklmn/file-over-255-bytes.txt';

/** `[path, fflags]` per file, from rpm's own query. */
const fileFlags = (rpm: string) => qf(rpm, '[%{FILENAMES}\t%{FILEFLAGS:fflags}\n]').trim().split('\n').map((l) => { const [path, flags = ''] = l.split('\t'); return [path!, flags] as [string, string]; });

describe('cli: mkpkg rpm, judged by rpm, cpio, rpmlint and dnf', function () {
  this.timeout(1_800_000);
  const rpms: Record<string, JsonArtifact> = {};

  before(function () {
    requireTools(this, 'rpm', 'rpm2cpio', 'cpio');
    const out = scratch('mkpkg-cli-rpm-');
    for (const [key, dir] of [['hello', HELLO], ['edge', EDGE], ['scoped', copyFixture('scoped-app')]] as const) {
      rpms[key] = buildJson(['rpm', dir, '-o', out])[0]!;
    }
  });

  it('rpm -K says digests OK for every fixture', () => {
    for (const a of Object.values(rpms)) assert.match(ok('rpm', ['-K', a.path]), /: digests OK\n$/);
  });

  it('hello-service: rpm -qpi, --requires, --provides and --scripts agree with package.json and the config', () => {
    const p = rpms.hello!.path;
    assert.ok(p.endsWith('/hello-service-1.0.0-1.noarch.rpm'), p);
    const info = ok('rpm', ['-qpi', p]);
    for (const [k, v] of [['Name', 'hello-service'], ['Version', '1.0.0'], ['Release', '1'], ['Architecture', 'noarch'], ['License', 'MIT'],
      ['URL', 'https://acme.example/hello-service'], ['Packager', 'Acme Ops <ops@acme.example>'], ['Summary', 'Tiny HTTP service used to test mkpkg packages end to end']]) {
      assert.match(info, new RegExp(`^${k}\\s*: ${v!.replace(/[.+()]/g, '\\$&')}$`, 'm'), `${k} in\n${info}`);
    }
    assert.match(info, /^Description :\nIt answers every request on 127\.0\.0\.1/m);
    assert.match(ok('rpm', ['-qp', '--requires', p]), /^nodejs >= 18$/m, 'engines.node → Requires: nodejs >= 18');
    assert.match(ok('rpm', ['-qp', '--provides', p]), /^hello-service = 1\.0\.0-1$/m);
    const scripts = ok('rpm', ['-qp', '--scripts', p]);
    for (const s of ['preinstall', 'postinstall', 'preuninstall', 'postuninstall']) assert.match(scripts, new RegExp(`^${s} scriptlet \\(using /bin/sh\\):`, 'm'));
    assert.match(scripts, /systemctl/);
  });

  it('edge-cases: the prerelease maps to 2.0.0~rc.1 with rpmlib(TildeInVersions); --dump shows modes, conffile, doc and the long link', () => {
    const p = rpms.edge!.path;
    assert.equal(qf(p, '%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}'), 'edge-cases|2.0.0~rc.1|1|noarch');
    assert.match(ok('rpm', ['-qpR', p]), /^rpmlib\(TildeInVersions\) <= /m);
    assert.equal(ok('rpm', ['-qp', '--scripts', p]), '', 'a package without services has no scriptlets');
    const dump = new Map(ok('rpm', ['-qp', '--dump', p]).trim().split('\n').map((l) => [l.split(' ')[0]!, l.split(' ')]));
    assert.equal(dump.get('/usr/bin/edge-tool')?.[4], '0100755');
    assert.equal(dump.get('/etc/edge-cases/edge-cases.conf')?.[7], '1', 'conffile flag');
    assert.equal(dump.get('/usr/share/doc/edge-cases/README.md')?.[8], '1', 'doc flag');
    assert.deepEqual(dump.get('/usr/share/edge-cases/link-with-a-long-target')?.slice(4, 6).concat(dump.get('/usr/share/edge-cases/link-with-a-long-target')!.slice(10)), ['0120777', 'root', DEEP]);
    assert.equal(dump.get('/usr/share/edge-cases/empty/nested-empty')?.[4], '040755', 'empty dir owned by the package');
    const flags = new Map(fileFlags(p));
    assert.equal(flags.get('/etc/edge-cases/edge-cases.conf'), 'cn', 'files under /etc are %config(noreplace)');
    for (const d of ['/', '/usr', '/usr/bin', '/etc', '/usr/share', '/var', '/var/lib']) assert.ok(!flags.has(d), `the package must not own ${d}`);
  });

  it('rpm -qpl lists exactly what `mkpkg stage --format rpm` stages, and rpm2cpio | cpio -t every non-ghost file', () => {
    for (const key of ['hello', 'edge'] as const) {
      const p = rpms[key]!.path;
      const staged = join(scratch(), 'stage');
      mkpkgOk(['stage', key === 'hello' ? HELLO : EDGE, '-o', staged, '--format', 'rpm', '-q']);
      const listed = ok('rpm', ['-qpl', p]).trim().split('\n');
      const stagedPaths = ok('find', [staged, '-mindepth', '1', '-not', '-type', 'd']).trim().split('\n').map((l) => l.slice(staged.length)).sort();
      assert.deepEqual(listed.filter((f) => !(existsSync(join(staged, f)) && lstatSync(join(staged, f)).isDirectory())).sort(), stagedPaths, key);
      const nonGhost = fileFlags(p).filter(([, f]) => !f.includes('g')).map(([path]) => `.${path}`).sort();
      const cpio = run('sh', ['-c', 'rpm2cpio "$1" | cpio -t --quiet', 'sh', p]);
      assert.equal(cpio.status, 0, cpio.stderr);
      assert.deepEqual(cpio.stdout.trim().split('\n').sort(), nonGhost);
    }
  });

  for (const key of ['hello', 'edge', 'scoped'] as const) {
    it(`${key}: rpmlint reports no error outside rpmlint-tolerated.txt`, function () {
      requireTools(this, 'rpmlint');
      assert.deepEqual(rpmlintProblems(rpms[key]!.path, scratch('mkpkg-cli-home-')), []);
    });
  }

  it('edge-cases installs, upgrades and erases with rpm --root (long paths, UTF-8 names, long link intact)', () => {
    const root = installRoot();
    const share = join(root, 'usr/share/edge-cases');
    let r = rpmRoot(root, '-i', rpms.edge!.path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(share, DEEP), 'utf8'), 'over 255 bytes\n');
    assert.equal(readFileSync(join(share, 'données/überprüfung-漢字.txt'), 'utf8'), 'UTF-8 names\n');
    assert.equal(readlinkSync(join(share, 'link-with-a-long-target')), DEEP);
    assert.ok(existsSync(join(share, 'empty/nested-empty')));
    const [newer] = buildJson(['rpm', EDGE, '-o', scratch(), '--version', '2.0.0']);
    r = rpmRoot(root, '-U', newer!.path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-q', 'edge-cases']).stdout.trim(), 'edge-cases-2.0.0-1.noarch', '2.0.0 is newer than 2.0.0~rc.1');
    r = rpmRoot(root, '-e', 'edge-cases');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(join(share, DEEP)) && !existsSync(join(root, 'usr/bin/edge-tool')));
  });

  it('dnf installs hello-service 1.0.0 from a createrepo_c repository of CLI-built packages, then upgrades to 1.1.0', async function () {
    requireTools(this, 'dnf', 'createrepo_c');
    const { root, add, createrepo, updateRepo, dnf, installed: rpmQ } = dnfRepo('cli-');
    // An empty install root has no shell, user tools or nodejs: one stub package provides what the scriptlets and engines.node need.
    const provides = ['/bin/sh', '/usr/bin/getent', '/usr/sbin/groupadd', '/usr/sbin/useradd'].map((name) => ({ name, flags: 0, version: '' }));
    provides.push({ name: 'nodejs', flags: 8 /* EQUAL */, version: '20.0.0' });
    add((await writeTestRpm({ entries: [] }, metaOf({ name: 'base-stub', relations: { provides } }))).path);
    add(rpms.hello!.path);
    createrepo();
    const installed = () => rpmQ('hello-service');

    let r = dnf('install', 'hello-service');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(installed(), 'hello-service-1.0.0-1.noarch');
    assert.match(readFileSync(join(root, 'usr/lib/hello-service/package.json'), 'utf8'), /"version": "1\.0\.0"/);

    const v2 = copyFixture('hello-service');
    const pj = join(v2, 'package.json');
    writeFileSync(pj, readFileSync(pj, 'utf8').replace('"version": "1.0.0"', '"version": "1.1.0"'));
    add(buildJson(['rpm', v2, '-o', scratch()])[0]!.path);
    updateRepo();
    r = dnf('upgrade', 'hello-service');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(installed(), 'hello-service-1.1.0-1.noarch');
    assert.match(readFileSync(join(root, 'usr/lib/hello-service/package.json'), 'utf8'), /"version": "1\.1\.0"/);
  });
});
