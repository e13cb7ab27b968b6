import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeDeb } from '../../../src/formats/deb/writer.js';
import type { Artifact } from '../../../src/formats/types.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { CONFFILE, LIB, LONG_100, LONG_255, LONG_LINK, LONG_TARGET, PKG, UTF8, VERSION, featureFixture, writeOptions, type Fixture } from './fixture.js';
import { assertSameTree, run } from './tree-compare.js';

describe('formats/deb writer: the feature fixture, judged by dpkg-deb and dpkg', function () {
  let fx: Fixture;
  let art: Artifact;

  before(async function () {
    requireTools(this, 'dpkg', 'dpkg-deb');
    fx = featureFixture();
    art = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch()));
  });

  it('names the file <package>_<version>_<arch>.deb and reports its size and sha256', () => {
    assert.equal(art.path.split('/').pop(), `${PKG}_${VERSION}_all.deb`);
    const bytes = readFileSync(art.path);
    assert.equal(art.size, bytes.length);
    assert.equal(art.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual([art.format, art.name, art.version, art.arch], ['deb', PKG, VERSION, 'all']);
  });

  it('has the control fields dpkg-deb --info reads, with conffiles, md5sums and scripts', () => {
    const field = (f: string) => run('dpkg-deb', ['--field', art.path, f]).trim();
    assert.equal(field('Package'), PKG);
    assert.equal(field('Version'), VERSION);
    assert.equal(field('Depends'), 'adduser, nodejs (>= 18) | nodejs-lts');
    assert.equal(field('Description'), 'example service packaged by mkpkg tests\n This package exercises the .deb writer.\n .\n It ships long paths, links and a conffile.');
    const info = run('dpkg-deb', ['--info', art.path]);
    for (const member of ['control', 'conffiles', 'md5sums', 'postinst', 'prerm']) assert.match(info, new RegExp(`\\b${member}\\b`));
    assert.match(info, /\b\d+ bytes,\s+\d+ lines\s+\*\s+postinst\s+#!\/bin\/sh/);
    const ctrl = scratch();
    run('dpkg-deb', ['--control', art.path, ctrl]);
    assert.equal(readFileSync(join(ctrl, 'conffiles'), 'utf8'), `/${CONFFILE}\n`);
    assert.equal(statSync(join(ctrl, 'postinst')).mode & 0o777, 0o755);
  });

  it('lists every path, in ./ form, parents before children, with long names and the long symlink target intact', () => {
    const lines = run('dpkg-deb', ['--contents', art.path]).trim().split('\n');
    const paths = lines.map((l) => l.slice(l.indexOf('./')).replace(/ -> .*| link to .*/, ''));
    assert.equal(paths[0], './');
    for (const p of [LONG_100, LONG_255, UTF8, `${LIB}/empty/nested-empty/`, CONFFILE]) assert.ok(paths.includes(`./${p}`), `missing ./${p}`);
    assert.ok(lines.some((l) => l.endsWith(`./${LONG_LINK} -> ${LONG_TARGET}`)));
    const seen = new Set<string>(["./"]);
    for (const p of paths.slice(1)) {
      const parent = p.replace(/[^/]+\/?$/, '');
      assert.ok(seen.has(parent), `${p} comes before its parent ${parent}`);
      seen.add(p);
    }
  });

  it('extracts (dpkg-deb -x) to exactly the source tree: contents, modes, symlink targets, empty dirs, and no ghost entry', () => {
    const out = scratch();
    run('dpkg-deb', ['-x', art.path, out]);
    assertSameTree(out, fx.src);
    assert.equal(statSync(join(out, LIB, 'big.bin')).ino, statSync(join(out, LIB, 'big-hardlink.bin')).ino);
  });

  it('installs with a real dpkg into a scratch root, runs postinst, registers the conffile and verifies md5sums', () => {
    const root = scratch('mkpkg-dpkgroot-');
    mkdirSync(join(root, 'var/lib/dpkg/info'), { recursive: true });
    mkdirSync(join(root, 'var/lib/dpkg/updates'), { recursive: true });
    writeFileSync(join(root, 'var/lib/dpkg/status'), '');
    const dpkg = (...args: string[]) => run('dpkg', [`--root=${root}`, '--log=/dev/null', '--force-script-chrootless', '--force-not-root', '--force-depends', ...args]);
    dpkg('-i', art.path);
    assertSameTree(root, fx.src, (rel) => rel.startsWith('var/lib/dpkg') || rel === 'var/lib/acme-foo/script.log');
    const status = dpkg('-s', PKG);
    assert.match(status, /^Status: install ok installed$/m);
    const md5 = createHash('md5').update(readFileSync(join(fx.src, CONFFILE))).digest('hex');
    assert.match(status, new RegExp(`^Conffiles:\\n /${CONFFILE} ${md5}$`, 'm'));
    assert.equal(readFileSync(join(root, 'var/lib/acme-foo/script.log'), 'utf8'), 'postinst configure\n');
    assert.equal(dpkg('--verify', PKG), '', 'dpkg --verify found files differing from md5sums');
    assert.ok(readFileSync(join(root, `var/lib/dpkg/info/${PKG}.md5sums`), 'utf8').includes(`  ${LONG_255}\n`));
    dpkg('-r', PKG);
    assert.ok(!existsSync(join(root, LONG_255)));
    assert.ok(existsSync(join(root, CONFFILE)), 'dpkg -r must keep the conffile');
    assert.equal(readFileSync(join(root, 'var/lib/acme-foo/script.log'), 'utf8'), 'postinst configure\nprerm remove\n');
  });
});

describe('formats/deb writer: compression and reproducibility', function () {
  let fx: Fixture;
  before(function () {
    requireTools(this, 'dpkg-deb', 'ar', 'xz', 'zstd');
    fx = featureFixture();
  });

  for (const [compression, level, ext] of [['gzip', 9, '.gz'], ['xz', 6, '.xz'], ['zstd', 3, '.zst'], ['none', 0, '']] as const) {
    it(`with ${compression}: members are debian-binary, control.tar${ext}, data.tar${ext}, and dpkg-deb extracts it`, async () => {
      const art = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch(), { compression, level }));
      assert.deepEqual(run('ar', ['t', art.path]).trim().split('\n'), ['debian-binary', `control.tar${ext}`, `data.tar${ext}`]);
      assert.equal(run('ar', ['p', art.path, 'debian-binary']), '2.0\n');
      run('dpkg-deb', ['--info', art.path]);
      const out = scratch();
      run('dpkg-deb', ['-x', art.path, out]);
      assertSameTree(out, fx.src);
    });
  }

  it('two builds with the same SOURCE_DATE_EPOCH are byte-identical, and ar/tar times are that epoch', async () => {
    for (const compression of ['gzip', 'zstd'] as const) {
      const a = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch(), { compression, level: 3 }));
      const b = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch(), { compression, level: 3 }));
      assert.ok(readFileSync(a.path).equals(readFileSync(b.path)), `${compression} builds differ`);
      assert.equal(a.sha256, b.sha256);
      assert.match(run('ar', ['tv', a.path], { TZ: 'UTC' }), /^rw-r--r-- 0\/0 +4 Nov 14 22:13 2023 debian-binary$/m);
    }
  });
});
