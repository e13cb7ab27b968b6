/** The written .rpm read back by the real rpm tools: digests, metadata, files, scripts, relations. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { Artifact } from '../../../src/formats/types.js';
import { requireTools } from '../../support/tools.js';
import { MTIME, build, data, metaOf, ok, planOf, qf, run } from './helpers.js';
import { CONFIG, SERVER_JS, richFixture } from './fixtures.js';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('rpm writer: read back with rpm', function () {
  let pkg: Artifact;
  const fx = richFixture();
  before(async function () {
    requireTools(this, 'rpm', 'rpm2cpio', 'cpio');
    pkg = await build(fx.plan, fx.meta, fx.scripts);
  });

  it('names the file <name>-<version>-<release>.<arch>.rpm and reports its size and sha256', async () => {
    assert.match(pkg.path, /\/ping-svc-1\.0\.0-1\.noarch\.rpm$/);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(pkg.path);
    assert.equal(pkg.size, bytes.length);
    assert.equal(pkg.sha256, sha256(bytes));
  });

  it('rpm -K: digests OK, and -Kv checks header SHA256/SHA1, payload SHA256 and MD5', () => {
    assert.match(ok('rpm', ['-K', pkg.path]), /: digests OK$/m);
    const v = ok('rpm', ['-Kv', pkg.path]);
    for (const check of ['Header SHA256 digest', 'Header SHA1 digest', 'Payload SHA256 digest', 'MD5 digest']) {
      assert.match(v, new RegExp(`${check}: OK`), v);
    }
  });

  it('PAYLOADDIGESTALT and the signature PAYLOADSIZE describe the uncompressed cpio that rpm2cpio extracts', () => {
    const cpio = Buffer.from(run('sh', ['-c', `rpm2cpio '${pkg.path}' | base64 -w0`]).stdout, 'base64');
    assert.equal(qf(pkg.path, '[%{PAYLOADDIGESTALT}]'), sha256(cpio));
    assert.equal(Number(qf(pkg.path, '%{ARCHIVESIZE}')), cpio.length);
  });

  it('rpm -qpi shows the metadata that was given', () => {
    const fmt = '%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SUMMARY}|%{DESCRIPTION}|%{LICENSE}|%{GROUP}|%{URL}|%{VENDOR}|%{PACKAGER}|%{BUILDHOST}|%{BUILDTIME}|%{SOURCERPM}|%{OS}';
    const m = fx.meta;
    assert.equal(qf(pkg.path, fmt), [m.name, m.version, m.release, m.arch, m.summary, m.description, m.license, m.group, m.url,
      m.vendor, m.packager, m.buildHost, MTIME, 'ping-svc-1.0.0-1.src.rpm', 'linux'].join('|'));
    const info = ok('rpm', ['-qpi', pkg.path]);
    assert.match(info, /^Name\s+: ping-svc$/m);
    assert.match(info, /^Signature\s+: \(none\)$/m);
  });

  it('rpm -qpl lists the package paths, without the directories the distribution owns', () => {
    const expected = [
      '/etc/ping-svc', '/etc/ping-svc/config.json', '/usr/bin/ping-svc', '/usr/lib/ping-svc', '/usr/lib/ping-svc/bin',
      '/usr/lib/ping-svc/bin/run', '/usr/lib/ping-svc/server.js', '/usr/lib/systemd/system/ping-svc.service',
      '/usr/share/doc/ping-svc', '/usr/share/doc/ping-svc/README', '/usr/share/licenses/ping-svc',
      '/usr/share/licenses/ping-svc/LICENSE', '/var/lib/ping-svc', '/var/log/ping-svc', '/var/log/ping-svc/ping.log',
    ];
    assert.deepEqual(ok('rpm', ['-qpl', pkg.path]).trim().split('\n'), expected);
  });

  it('rpm -qp --dump agrees with the plan: size, mtime, sha256, mode, owner, config, doc, link target', () => {
    const dump = new Map(ok('rpm', ['-qp', '--dump', pkg.path]).trim().split('\n').map((l) => {
      const [path, size, mtime, digest, mode, owner, group, isconfig, isdoc, , link] = l.split(' ');
      return [path, { size: Number(size), mtime: Number(mtime), digest, mode, owner, group, isconfig, isdoc, link }];
    }));
    const exp = (p: string) => dump.get(p) ?? assert.fail(`${p} missing from --dump`);
    assert.deepEqual(exp('/usr/lib/ping-svc/server.js'), {
      size: Buffer.byteLength(SERVER_JS), mtime: MTIME, digest: sha256(SERVER_JS), mode: '0100644', owner: 'root', group: 'root', isconfig: '0', isdoc: '0', link: 'X',
    });
    assert.equal(exp('/usr/lib/ping-svc/bin/run').mode, '0100755');
    assert.deepEqual([exp('/etc/ping-svc/config.json').isconfig, exp('/etc/ping-svc/config.json').mode, exp('/etc/ping-svc/config.json').digest], ['1', '0100640', sha256(CONFIG)]);
    assert.equal(exp('/usr/share/doc/ping-svc/README').isdoc, '1');
    assert.deepEqual([exp('/usr/bin/ping-svc').mode, exp('/usr/bin/ping-svc').link, exp('/usr/bin/ping-svc').size], ['0120777', '../lib/ping-svc/bin/run', 23]);
    assert.deepEqual([exp('/var/lib/ping-svc').mode, exp('/var/lib/ping-svc').owner, exp('/var/lib/ping-svc').group], ['040750', 'ping-svc', 'ping-svc']);
  });

  it('file flags: config|noreplace, doc, license and ghost are set where the plan says', () => {
    const flags = new Map(qf(pkg.path, '[%{FILENAMES} %{FILEFLAGS:fflags}\n]').trim().split('\n').map((l) => l.split(' ') as [string, string]));
    assert.equal(flags.get('/etc/ping-svc/config.json'), 'cn');
    assert.equal(flags.get('/usr/share/doc/ping-svc/README'), 'd');
    assert.equal(flags.get('/usr/share/licenses/ping-svc/LICENSE'), 'l');
    assert.equal(flags.get('/var/log/ping-svc/ping.log'), 'g');
    assert.equal(flags.get('/usr/lib/ping-svc/server.js'), '');
  });

  it('rpm --scripts shows each scriptlet body with its interpreter', () => {
    const out = ok('rpm', ['-qp', '--scripts', pkg.path]);
    const names = { pre: 'preinstall', post: 'postinstall', preun: 'preuninstall', postun: 'postuninstall', posttrans: 'posttrans' } as const;
    for (const [k, label] of Object.entries(names)) {
      const s = fx.scripts[k as keyof typeof names];
      const interp = 'interpreter' in s ? s.interpreter : '/bin/sh';
      assert.ok(out.includes(`${label} scriptlet (using ${interp}):\n${s.body}`), `${label} missing or wrong in:\n${out}`);
    }
  });

  it('requires: user relations, Requires(pre/post/preun/postun) on /bin/sh, rpmlib() features', () => {
    const req = qf(pkg.path, '[%{REQUIRENAME}|%{REQUIREFLAGS:deptype}|%{REQUIREFLAGS:depflags}%{REQUIREVERSION}\n]').trim().split('\n');
    for (const line of ['nodejs|manual|>=18', '/bin/sh|pre,interp|', '/bin/sh|post,interp|', '/bin/sh|preun,interp|', '/bin/sh|postun,interp|',
      '/bin/bash|interp,posttrans|', 'rpmlib(CompressedFileNames)|rpmlib|<=3.0.4-1', 'rpmlib(PayloadFilesHavePrefix)|rpmlib|<=4.0-1',
      'rpmlib(FileDigests)|rpmlib|<=4.6.0-1']) {
      assert.ok(req.includes(line), `missing requirement ${line} in\n${req.join('\n')}`);
    }
    assert.ok(!req.some((l) => l.startsWith('rpmlib(PayloadIs')), 'a gzip payload needs no PayloadIs* feature');
    const names = req.map((l) => l.split('|')[0]);
    assert.deepEqual(names, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))), 'requires are sorted');
  });

  it('provides itself = V-R plus the declared provides; conflicts and recommends as given', () => {
    assert.deepEqual(ok('rpm', ['-qp', '--provides', pkg.path]).trim().split('\n'), ['ping-service = 1.0', 'ping-svc = 1.0.0-1']);
    assert.equal(ok('rpm', ['-qp', '--conflicts', pkg.path]).trim(), 'old-ping < 2');
    assert.equal(ok('rpm', ['-qp', '--recommends', pkg.path]).trim(), 'curl');
  });

  it('rpm2cpio | cpio -t lists every non-ghost file, ./-prefixed', () => {
    const listed = ok('sh', ['-c', `rpm2cpio '${pkg.path}' | cpio -t --quiet`]).trim().split('\n');
    const expected = ok('rpm', ['-qpl', pkg.path]).trim().split('\n').filter((p) => p !== '/var/log/ping-svc/ping.log').map((p) => `.${p}`);
    assert.deepEqual(listed, expected);
  });

  it('an x86_64 package also provides name(x86-64)', async () => {
    const p = await build(planOf(data('/opt/x/a', 'a')), metaOf({ name: 'archy', arch: 'x86_64' }));
    assert.match(p.path, /archy-1\.0\.0-1\.x86_64\.rpm$/);
    assert.deepEqual(ok('rpm', ['-qp', '--provides', p.path]).trim().split('\n'), ['archy = 1.0.0-1', 'archy(x86-64) = 1.0.0-1']);
  });
});

describe('rpm writer: payload compressors', function () {
  const cases = [
    { compression: 'gzip', level: 9, compressor: 'gzip', feature: undefined, tools: [] },
    { compression: 'xz', level: 2, compressor: 'xz', feature: 'rpmlib(PayloadIsXz) <= 5.2-1', tools: ['xz'] },
    { compression: 'zstd', level: 3, compressor: 'zstd', feature: 'rpmlib(PayloadIsZstd) <= 5.4.18-1', tools: ['zstd'] },
    { compression: 'none', level: 0, compressor: '(none)', feature: undefined, tools: [] },
  ] as const;
  for (const c of cases) {
    it(`${c.compression}: rpm -K passes, rpm2cpio extracts, PAYLOADCOMPRESSOR=${c.compressor}${c.feature ? `, requires ${c.feature}` : ''}`, async function () {
      requireTools(this, 'rpm', 'rpm2cpio', 'cpio', ...c.tools);
      const fx = richFixture();
      const p = await build(fx.plan, fx.meta, fx.scripts, { compression: c.compression, level: c.level });
      assert.match(ok('rpm', ['-K', p.path]), /digests OK/);
      assert.equal(qf(p.path, '%{PAYLOADCOMPRESSOR}'), c.compressor);
      const req = ok('rpm', ['-qpR', p.path]);
      if (c.feature) assert.ok(req.includes(c.feature), req);
      assert.ok(!/PayloadIs/.test(req) || c.feature, req);
      const listed = ok('sh', ['-c', `rpm2cpio '${p.path}' | cpio -t --quiet`]).trim().split('\n');
      assert.ok(listed.includes('./usr/lib/ping-svc/server.js'), listed.join('\n'));
      if (c.compression === 'none') assert.match(ok('rpm', ['-Kv', p.path]), /Payload SHA256 ALT digest: OK/);
    });
  }
});
