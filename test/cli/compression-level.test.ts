/**
 * The compression level is checked at load, against the compression chosen by precedence
 * (CLI > config > package.json `mkpkg` > default): a bad one fails `--dry-run` with E_CONFIG_INVALID
 * naming where it came from, its value and the accepted range, before anything is planned or written.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { assertError, copyFixture, listDir, mkpkg } from './helpers.js';
import { scratchProject } from './scratch-project.js';

/** A config-only project whose package.json `mkpkg` key holds `mkpkgKey`. */
function projectWith(mkpkgKey: object): string {
  const dir = scratchProject();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch-pkg', version: '1.0.0', mkpkg: mkpkgKey }));
  return dir;
}

/** The XFL byte of the gzip header of a .deb's data.tar.gz: 4 for the fastest level (1), 2 for the best (9), 0 otherwise. */
function dataGzipXfl(deb: string): number {
  assert.match(execFileSync('ar', ['t', deb], { encoding: 'utf8' }), /^data\.tar\.gz$/m, 'the .deb has a data.tar.gz member');
  const gz = execFileSync('ar', ['p', deb, 'data.tar.gz'], { maxBuffer: 64 << 20 });
  assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 8], 'data.tar.gz starts with a deflate gzip header');
  return gz[8]!;
}

describe('cli: compression level checked at load', function () {
  this.timeout(180_000);
  before(function () { requireTools(this, 'ar'); });

  it('--compression gzip --level 12 --dry-run fails naming --level, 12 and gzip\'s range; nothing is written', () => {
    const dir = copyFixture('hello-service');
    const out = scratch('mkpkg-level-out-');
    const r = mkpkg(['build', dir, '-o', out, '--compression', 'gzip', '--level', '12', '--dry-run']);
    assertError(r, 'E_CONFIG_INVALID', '--level 12', 'gzip', 'from 1 to 9');
    assert.deepEqual(listDir(out), []);
  });

  it('a level from package.json is named with its path and checked against the compression the precedence chose', () => {
    const dir = projectWith({ level: 19 });
    assertError(mkpkg(['deb', dir, '--compression', 'gzip', '--dry-run']), 'E_CONFIG_INVALID', 'package.json: mkpkg.level 19', 'gzip (--compression)', 'from 1 to 9');
    assertError(mkpkg(['deb', dir, '--dry-run']), 'E_CONFIG_INVALID', 'package.json: mkpkg.level 19', 'xz (the default)', 'from 0 to 9');
    const zstd = mkpkg(['deb', dir, '--compression', 'zstd', '--dry-run']);
    assert.equal(zstd.status, 0, zstd.stderr);
  });

  it('the package is written with the resolved compression and level (CLI over package.json over the default)', () => {
    const dir = projectWith({ compression: 'gzip', level: 1 });
    const fast = scratch('mkpkg-level-out-');
    assert.equal(mkpkg(['deb', dir, '-o', fast]).status, 0);
    assert.equal(dataGzipXfl(join(fast, 'scratch-pkg_1.0.0-1_all.deb')), 4, 'level 1 from package.json');
    const best = scratch('mkpkg-level-out-');
    assert.equal(mkpkg(['deb', dir, '-o', best, '--level', '9']).status, 0);
    assert.equal(dataGzipXfl(join(best, 'scratch-pkg_1.0.0-1_all.deb')), 2, '--level 9 wins over package.json');
  });
});
