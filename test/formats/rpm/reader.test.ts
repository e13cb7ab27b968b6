/** readRpm (mkpkg inspect) agrees with what rpm itself reads from the same file. */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MkpkgError } from '../../../src/errors.js';
import { readRpm, type RpmInspection } from '../../../src/formats/rpm/reader.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { encodeHeader, headerIntro, int16, int32, strArray } from '../../../src/formats/rpm/header.js';
import { encodeLead } from '../../../src/formats/rpm/lead.js';
import { TAG } from '../../../src/formats/rpm/tags.js';
import { richFixture } from './fixtures.js';
import { build, ok, qf } from './helpers.js';

/** Compare the inspection with rpm's own query output for the same package. */
async function agreesWithRpm(pkg: string, info: RpmInspection): Promise<void> {
  for (const tag of ['NAME', 'VERSION', 'RELEASE', 'ARCH', 'SUMMARY', 'DESCRIPTION', 'LICENSE', 'GROUP', 'SOURCERPM', 'BUILDHOST', 'BUILDTIME']) {
    assert.equal(String(info.tags[tag.toLowerCase()]), qf(pkg, `%{${tag}}`), tag);
  }
  const rpmFiles = qf(pkg, '[%{FILENAMES}|%{FILEMODES:octal}|%{FILEUSERNAME}|%{FILEGROUPNAME}|%{FILESIZES}|%{FILELINKTOS}|%{FILEFLAGS:fflags}\n]').trim().split('\n');
  const ours = info.files.map((f) => {
    const type = { file: 0o100000, hardlink: 0o100000, dir: 0o040000, symlink: 0o120000, other: 0 }[f.type];
    const flags = ['doc', 'config', 'missingok', 'noreplace', 'ghost', 'license'];
    const letters: Record<string, string> = { doc: 'd', config: 'c', missingok: 'm', noreplace: 'n', ghost: 'g', license: 'l' };
    return [f.path, (type | f.mode).toString(8), f.owner, f.group, f.size, f.linkTarget ?? '', flags.filter((x) => f.flags.includes(x)).map((x) => letters[x]).join('')].join('|');
  });
  assert.deepEqual(ours, rpmFiles);
  const req = qf(pkg, '[%{REQUIRENAME}|%{REQUIREFLAGS}|%{REQUIREVERSION}\n]').trim().split('\n');
  assert.deepEqual(info.requires.map((d) => `${d.name}|${d.flags}|${d.version}`), req);
  assert.deepEqual(info.provides.map((d) => d.text), ok('rpm', ['-qp', '--provides', pkg]).trim().split('\n'));
  assert.equal(info.signature.sha256, qf(pkg, '%{SHA256HEADER}'));
  assert.equal(info.signature.size, Number(qf(pkg, '%{SIGSIZE}')));
}

describe('rpm reader (mkpkg inspect)', function () {
  before(function () { requireTools(this, 'rpm'); });

  it('reads metadata, files, scripts and relations of a written package as rpm does', async () => {
    const fx = richFixture();
    const pkg = await build(fx.plan, fx.meta, fx.scripts);
    const info = await readRpm(pkg.path);
    await agreesWithRpm(pkg.path, info);
    assert.deepEqual(info.scripts.map((s) => [s.name, s.interpreter, s.body]), [
      ['pre', '/bin/sh', fx.scripts.pre.body], ['post', '/bin/sh', fx.scripts.post.body], ['preun', '/bin/sh', fx.scripts.preun.body],
      ['postun', '/bin/sh', fx.scripts.postun.body], ['posttrans', '/bin/bash', fx.scripts.posttrans.body],
    ]);
    assert.equal(info.conflicts[0].text, 'old-ping < 2');
    // The payload starts at payloadOffset: gunzipped, it is exactly what rpm2cpio extracts.
    const cpio = Buffer.from(ok('sh', ['-c', `rpm2cpio '${pkg.path}' | base64 -w0`]), 'base64');
    assert.ok(gunzipSync(readFileSync(pkg.path).subarray(info.payloadOffset)).equals(cpio));
  });

  it('reads a package built by rpmbuild the same way rpm does', async function () {
    requireTools(this, 'rpmbuild');
    const top = scratch('mkpkg-rpmbuild-');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    writeFileSync(join(top, 'SPECS/rb.spec'), [
      'Name: rb-made', 'Version: 3.1', 'Release: 7', 'Summary: built by rpmbuild', 'License: MIT', 'BuildArch: noarch',
      'Requires: coreutils >= 8', '%define __os_install_post %{nil}', '%description', 'From rpmbuild.',
      '%install', 'mkdir -p %{buildroot}/opt/rb && echo hi > %{buildroot}/opt/rb/a && ln -s a %{buildroot}/opt/rb/l',
      '%post', 'echo installed', '%files', '/opt/rb', '',
    ].join('\n'));
    ok('rpmbuild', ['--define', `_topdir ${top}`, '-bb', join(top, 'SPECS/rb.spec')]);
    const pkg = join(top, 'RPMS/noarch', readdirSync(join(top, 'RPMS/noarch'))[0]);
    const info = await readRpm(pkg);
    await agreesWithRpm(pkg, info);
    assert.deepEqual(info.scripts.map((s) => [s.name, s.body.trim()]), [['post', 'echo installed']]);
  });

  it('a truncated package is E_READ_PACKAGE', async () => {
    const fx = richFixture();
    const pkg = await build(fx.plan, fx.meta, fx.scripts);
    const cut = join(scratch('mkpkg-rpm-cut-'), 'cut.rpm');
    writeFileSync(cut, readFileSync(pkg.path).subarray(0, 2000));
    await assert.rejects(readRpm(cut), (e: unknown) => e instanceof MkpkgError && e.code === 'E_READ_PACKAGE' && e.message.includes(cut));
  });

  it('file arrays whose counts disagree with BASENAMES, or a directory index past DIRNAMES, are E_READ_PACKAGE', async () => {
    const dir = scratch('mkpkg-rpm-lie-');
    const cases: Record<string, ReturnType<typeof int32>[]> = {
      'modes.rpm': [strArray(TAG.BASENAMES, ['a', 'b', 'c']), strArray(TAG.DIRNAMES, ['/x/']), int32(TAG.DIRINDEXES, [0, 0, 0]), int16(TAG.FILEMODES, [0o100644])],
      'dirindex.rpm': [strArray(TAG.BASENAMES, ['a']), strArray(TAG.DIRNAMES, ['/x/']), int32(TAG.DIRINDEXES, [7])],
    };
    for (const [name, entries] of Object.entries(cases)) {
      const p = join(dir, name);
      writeFileSync(p, Buffer.concat([encodeLead('lie-1-1', 'noarch'), headerIntro(0, 0), encodeHeader(entries, 'main')]));
      await assert.rejects(readRpm(p), (e: unknown) => e instanceof MkpkgError && e.code === 'E_READ_PACKAGE' && /has 1 values for 3 files|directory index 7/.test(e.message), name);
    }
  });
});
