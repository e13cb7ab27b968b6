/** Edge fixtures: long and UTF-8 paths, long symlink targets, empty dirs, prereleases, metapackages, determinism. */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../../support/tools.js';
import { build, data, dir, installRoot, metaOf, ok, planOf, qf, rpmRoot, symlink } from './helpers.js';

const long100 = `/opt/edge/${'d'.repeat(60)}/${'f'.repeat(50)}.txt`;
const long255 = `/opt/edge/${'a'.repeat(120)}/${'b'.repeat(120)}/${'c'.repeat(40)}.txt`;
const utf8 = '/opt/edge/übung/日本語-файл.txt';
const longTarget = `../${'t'.repeat(300)}/target`;

describe('rpm writer: edge fixtures', function () {
  before(function () { requireTools(this, 'rpm', 'rpm2cpio', 'cpio'); });

  it('paths over 100 and 255 bytes, UTF-8 names, a 300-byte symlink target and an empty dir install intact', async () => {
    assert.ok(Buffer.byteLength(long100) > 100 && Buffer.byteLength(long255) > 255);
    const p = await build(planOf(
      data(long100, 'long100\n'), data(long255, 'long255\n'), data(utf8, 'utf8\n'),
      symlink('/opt/edge/link', longTarget), dir('/opt/edge/empty'),
    ), metaOf({ name: 'edge' }));
    assert.match(ok('rpm', ['-K', p.path]), /digests OK/);
    const listed = ok('rpm', ['-qpl', p.path]).trim().split('\n');
    for (const path of [long100, long255, utf8, '/opt/edge/link', '/opt/edge/empty']) assert.ok(listed.includes(path), `${path} not listed`);
    const cpio = ok('sh', ['-c', `rpm2cpio '${p.path}' | cpio -t --quiet`]).trim().split('\n');
    assert.ok(cpio.includes(`.${long255}`) && cpio.includes(`.${utf8}`));
    const root = installRoot();
    const r = rpmRoot(root, '-i', p.path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(root, long255), 'utf8'), 'long255\n');
    assert.equal(readFileSync(join(root, long100), 'utf8'), 'long100\n');
    assert.equal(readFileSync(join(root, utf8), 'utf8'), 'utf8\n');
    assert.equal(readlinkSync(join(root, 'opt/edge/link')), longTarget);
    assert.ok(statSync(join(root, 'opt/edge/empty')).isDirectory());
    assert.deepEqual(readdirSync(join(root, 'opt/edge/empty')), []);
    assert.equal(rpmRoot(root, '-V', 'edge').status, 0);
  });

  it('a prerelease version 1.2.0~rc.1 requires rpmlib(TildeInVersions) and sorts before 1.2.0 in an upgrade', async () => {
    const rc = await build(planOf(data('/opt/pre/v', 'rc\n')), metaOf({ name: 'pre', version: '1.2.0~rc.1' }));
    assert.match(rc.path, /pre-1\.2\.0~rc\.1-1\.noarch\.rpm$/);
    assert.ok(ok('rpm', ['-qpR', rc.path]).includes('rpmlib(TildeInVersions) <= 4.10.0-1'));
    const final = await build(planOf(data('/opt/pre/v', 'final\n')), metaOf({ name: 'pre', version: '1.2.0' }));
    assert.ok(!ok('rpm', ['-qpR', final.path]).includes('TildeInVersions'));
    const root = installRoot();
    assert.equal(rpmRoot(root, '-i', rc.path).status, 0);
    const up = rpmRoot(root, '-U', final.path);
    assert.equal(up.status, 0, up.stderr);
    assert.equal(readFileSync(join(root, 'opt/pre/v'), 'utf8'), 'final\n');
  });

  it('an epoch is written as EPOCH and in the self-provide', async () => {
    const p = await build(planOf(data('/opt/ep/x', 'x')), metaOf({ name: 'ep', epoch: 2 }));
    assert.equal(qf(p.path, '%{EPOCH}'), '2');
    assert.ok(ok('rpm', ['-qp', '--provides', p.path]).includes('ep = 2:1.0.0-1'));
  });

  it('a metapackage with no files at all is valid, installs and erases', async () => {
    const p = await build({ entries: [] }, metaOf({ name: 'meta-all', relations: { requires: [{ name: 'ping-svc', flags: 0, version: '' }] } }));
    assert.match(ok('rpm', ['-K', p.path]), /digests OK/);
    assert.equal(run0(['-qpl', p.path]), '(contains no files)');
    assert.ok(ok('rpm', ['-qpR', p.path]).includes('ping-svc'));
    const root = installRoot();
    assert.equal(rpmRoot(root, '-i', p.path).status, 0);
    assert.equal(rpmRoot(root, '-e', 'meta-all').status, 0);
  });

  it('two builds with the same SOURCE_DATE_EPOCH are byte-identical', async () => {
    const plan = () => planOf(data('/opt/det/a', 'a\n'), symlink('/opt/det/l', 'a'), dir('/opt/det/d'));
    for (const compression of ['gzip', 'xz', 'zstd'] as const) {
      const a = await build(plan(), metaOf({ name: 'det' }), { post: { body: 'true\n' } }, { compression, level: 3 });
      const b = await build(plan(), metaOf({ name: 'det' }), { post: { body: 'true\n' } }, { compression, level: 3 });
      assert.notEqual(a.path, b.path);
      assert.ok(readFileSync(a.path).equals(readFileSync(b.path)), `${compression} builds differ`);
      assert.equal(a.sha256, b.sha256);
    }
  });

  it('leaves only the finished package in the output directory (no payload temp file)', async () => {
    const p = await build(planOf(data('/opt/tmp/a', 'a')), metaOf({ name: 'tmpcheck' }));
    const dirOf = p.path.slice(0, p.path.lastIndexOf('/'));
    assert.deepEqual(readdirSync(dirOf), ['tmpcheck-1.0.0-1.noarch.rpm']);
    assert.ok(existsSync(p.path));
  });
});

function run0(args: string[]): string {
  return ok('rpm', args).trim();
}
