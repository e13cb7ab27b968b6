import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectDeb, type DebInfo } from '../../../src/formats/deb/reader.js';
import { writeDeb } from '../../../src/formats/deb/writer.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { TAR_END, compress, smallDataTar, tarBomb, tarFile, writeDeb as writeArDeb } from '../../support/hostile.js';
import { featureFixture, writeOptions } from './fixture.js';
import { run } from './tree-compare.js';

const TYPE_CHAR: Record<string, string> = { d: 'dir', '-': 'file', l: 'symlink', h: 'hardlink' };

/** dpkg-deb --contents, as comparable lines: type mode owner/group size path [target]. */
function dpkgContents(deb: string): string[] {
  return run('dpkg-deb', ['--contents', deb], { LC_ALL: 'C.UTF-8' }).trim().split('\n').flatMap((line) => {
    const m = /^(.)(\S{9}) (\S+)\/(\S+) +(\d+) \S+ \S+ \.(\/.*?)(?: -> (.*)| link to \.(.*))?$/.exec(line);
    assert.ok(m, `unparsed dpkg-deb line: ${line}`);
    const path = m[6]!.replace(/\/$/, '');
    if (path === '') return [];
    let mode = 0;
    for (const [i, c] of [...m[2]!].entries()) if (c !== '-') mode |= 1 << (8 - i);
    return [`${TYPE_CHAR[m[1]!]} ${mode.toString(8)} ${m[3]}/${m[4]} ${m[5]} ${path} ${m[7] ?? m[8] ?? ''}`.trimEnd()];
  });
}

function ours(info: DebInfo): string[] {
  return info.files.map((f) => `${f.type} ${(f.mode & 0o777).toString(8)} ${f.owner}/${f.group} ${f.size} ${f.path} ${f.linkTarget ?? ''}`.trimEnd());
}

describe('formats/deb reader: inspectDeb', function () {
  before(function () { requireTools(this, 'dpkg-deb', 'xz', 'zstd'); });

  for (const z of ['gzip', 'xz', 'zstd', 'none']) {
    it(`reads a package built by dpkg-deb -Z${z}: control, scripts, conffiles and the same file list dpkg-deb shows`, async () => {
      const root = scratch();
      mkdirSync(join(root, 'DEBIAN'));
      mkdirSync(join(root, 'etc/demo'), { recursive: true });
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      writeFileSync(join(root, 'DEBIAN/control'), 'Package: demo\nVersion: 2:1.0-3\nArchitecture: all\nMaintainer: A <a@b.example>\nDescription: demo\n long text\n .\n more\n');
      writeFileSync(join(root, 'DEBIAN/conffiles'), '/etc/demo/demo.conf\n');
      writeFileSync(join(root, 'DEBIAN/postinst'), '#!/bin/sh\nexit 0\n');
      chmodSync(join(root, 'DEBIAN/postinst'), 0o755);
      writeFileSync(join(root, 'etc/demo/demo.conf'), 'x=1\n');
      writeFileSync(join(root, 'usr/bin/demo'), '#!/bin/sh\n');
      chmodSync(join(root, 'usr/bin/demo'), 0o755);
      symlinkSync('demo', join(root, 'usr/bin/demo2'));
      const deb = join(scratch(), 'demo.deb');
      run('dpkg-deb', ['--root-owner-group', `-Z${z}`, '-b', root, deb]);
      const info = await inspectDeb(deb);
      assert.equal(info.control.Version, '2:1.0-3');
      assert.equal(info.control.Description, 'demo\nlong text\n.\nmore');
      assert.equal(info.controlText, readFileSync(join(root, 'DEBIAN/control'), 'utf8'));
      assert.deepEqual(info.scripts, ['postinst']);
      assert.deepEqual(info.conffiles, ['/etc/demo/demo.conf']);
      assert.deepEqual(ours(info), dpkgContents(deb));
    });
  }

  it('reads our feature package (long names, UTF-8, hard and long symbolic links) as dpkg-deb lists it', async () => {
    const fx = featureFixture();
    const art = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch()));
    const info = await inspectDeb(art.path);
    assert.deepEqual(ours(info), dpkgContents(art.path));
    assert.equal(info.control.Package, fx.meta.package);
    assert.deepEqual(info.scripts, ['postinst', 'prerm']);
  });

  it('throws E_READ_PACKAGE naming the file for non-ar, truncated, and member-less input', async () => {
    const fx = featureFixture();
    const art = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch(), { compression: 'gzip', level: 9 }));
    const bytes = readFileSync(art.path);
    const dir = scratch();
    const cases: Record<string, Buffer> = {
      'text.deb': Buffer.from('hello, not a package\n'),
      'truncated.deb': bytes.subarray(0, bytes.length - 5000),
      'only-magic.deb': Buffer.from('!<arch>\n'),
      'corrupt-data.deb': Buffer.concat([bytes.subarray(0, bytes.length - 3000), Buffer.alloc(3000, 0x41)]),
    };
    for (const [name, content] of Object.entries(cases)) {
      const p = join(dir, name);
      writeFileSync(p, content);
      await assert.rejects(inspectDeb(p), (e: { code: string; message: string }) => e.code === 'E_READ_PACKAGE' && e.message.includes(p), name);
    }
  });

  describe('limits (READ_LIMITS, tightened here so the inputs stay small)', () => {
    const control = () => compress('gzip', Buffer.concat([tarFile('./control', Buffer.from('Package: lim\nVersion: 1\nArchitecture: all\nMaintainer: A <a@b.example>\nDescription: d\n')), TAR_END]));
    const deb = (name: string, data: Buffer, extra: [string, Buffer][] = []) =>
      writeArDeb(join(scratch(), name), [['debian-binary', Buffer.from('2.0\n')], ['control.tar.gz', control()], ['data.tar.xz', data], ...extra]);
    const refused = (re: RegExp) => (e: { code: string; message: string }) => e.code === 'E_READ_PACKAGE' && re.test(e.message);

    it('data.tar expanding beyond max(dataTarMinBytes, dataTarExpansion x its size) is refused (a decompression bomb)', async () => {
      const p = deb('data-bomb.deb', tarBomb('xz', Buffer.alloc(0), './usr/share/zeros', 64));
      await assert.rejects(inspectDeb(p, { limits: { dataTarMinBytes: 8 << 20, dataTarExpansion: 10 } }), refused(/data\.tar\.xz expands to more than 8 MiB/));
      assert.equal((await inspectDeb(p)).files.length, 1, 'within the default limits the same file reads');
    });

    it('more data.tar entries, or longer names in all, than the limits are refused', async () => {
      const entries = Array.from({ length: 50 }, (_, i) => tarFile(`./usr/share/lim/file-${i}`, Buffer.from('x')));
      const p = deb('many.deb', compress('xz', Buffer.concat([...entries, TAR_END])));
      await assert.rejects(inspectDeb(p, { limits: { dataTarEntries: 10 } }), refused(/has more than 10 entries/));
      await assert.rejects(inspectDeb(p, { limits: { dataTarNameBytes: 500 } }), refused(/names in data\.tar\.xz take more than 500 bytes/));
      assert.equal((await inspectDeb(p)).files.length, 50);
    });

    it('more ar members than arMembers are refused', async () => {
      const p = deb('members.deb', smallDataTar('xz'), [['_extra1', Buffer.from('a')], ['_extra2', Buffer.from('b')]]);
      await assert.rejects(inspectDeb(p, { limits: { arMembers: 4 } }), refused(/more than 4 ar members/));
      assert.equal((await inspectDeb(p)).control.Package, 'lim');
    });
  });
});
