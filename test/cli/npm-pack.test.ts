/**
 * mkpkg as npm ships it: `npm pack` of a fresh checkout (no dist/) builds first (prepack), and the
 * tarball installed into a temporary prefix runs `mkpkg --version` and a build. The tarball's own
 * dependencies come from npm's cache (filled by `npm ci`, as in .ci/run), falling back to the npm
 * registry (--prefer-offline): no other network is needed.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO } from '../support/dist.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

describe('cli: npm pack of a fresh checkout ships a working CLI', function () {
  this.timeout(1_200_000);

  it('npm pack builds dist/ (prepack); the installed tarball prints its version and builds a .deb', function () {
    requireTools(this, 'git', 'npm', 'dpkg-deb');
    // A fresh checkout: the tracked files only (no dist/), node_modules borrowed for the build tools.
    const clone = join(scratch('mkpkg-fresh-'), 'mkpkg');
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of tracked) {
      if (!existsSync(join(REPO, f))) continue;
      mkdirSync(dirname(join(clone, f)), { recursive: true });
      cpSync(join(REPO, f), join(clone, f));
    }
    symlinkSync(join(REPO, 'node_modules'), join(clone, 'node_modules'));
    assert.ok(!existsSync(join(clone, 'dist')));
    const packed = spawnSync('npm', ['pack', '--json'], { cwd: clone, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(packed.status, 0, packed.stderr);
    const info = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[])[0]!;
    const paths = info.files.map((f) => f.path);
    for (const p of ['bin/mkpkg.js', 'dist/bundle/mkpkg.js', 'dist/index.js', 'dist/index.d.ts', 'packaging-templates/deb/postinst.ejs']) assert.ok(paths.includes(p), `${p} not in the tarball`);

    const prefix = scratch('mkpkg-prefix-');
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(clone, info.filename)], { encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const bin = join(prefix, 'bin', 'mkpkg');
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    assert.equal(version, (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
    const out = scratch('mkpkg-packed-out-');
    const built = spawnSync(bin, ['deb', join(REPO, 'fixtures', 'hello-service'), '-o', out], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
    assert.equal(built.status, 0, built.stderr);
    const deb = readdirSync(out).find((f) => f.endsWith('.deb'))!;
    assert.equal(execFileSync('dpkg-deb', ['-f', join(out, deb), 'Package'], { encoding: 'utf8' }).trim(), 'hello-service');
  });
});
