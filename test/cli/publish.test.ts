/** `mkpkg publish` and `--no-publish`, through the built CLI. */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mkpkg } from '../support/cli.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { tinyProject } from '../pipeline/support.js';
import { quickDeb, quickRpm } from '../publish/packages.js';

describe('cli: mkpkg publish', function () {
  this.timeout(120_000);
  before(function () { requireTools(this, 'dpkg-deb', 'xz'); });

  it('publishes, says when the identical file is already published, lists; --json reports it all', () => {
    const repo = scratch();
    const deb = quickDeb('clipkg', '1.0');
    const first = mkpkg(['publish', 'apt', repo, deb, '--origin', 'Acme']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^added {6}pool\/main\/c\/clipkg\/clipkg_1\.0_all\.deb$/m);
    assert.match(first.stdout, /^published .* stable\/main \[amd64 arm64\]: 1 package, unsigned$/m);
    const again = mkpkg(['publish', 'apt', repo, deb]);
    assert.match(again.stdout, /^unchanged {2}pool\/main\/c\/clipkg\/clipkg_1\.0_all\.deb \(identical file already published\)$/m);
    assert.match(again.stdout, /^nothing changed in .*: every package is already published$/m);
    const json = JSON.parse(mkpkg(['publish', 'apt', repo, quickDeb('clipkg', '1.1'), '--json']).stdout) as Record<string, unknown>;
    assert.deepEqual([json.family, json.changed, json.added, json.packages, json.suite], ['apt', true, ['pool/main/c/clipkg/clipkg_1.1_all.deb'], 2, 'stable']);
    const list = mkpkg(['publish', 'apt', repo, '--list']);
    assert.equal(list.stdout, [
      'stable/main/amd64  clipkg 1.0 all  pool/main/c/clipkg/clipkg_1.0_all.deb',
      'stable/main/amd64  clipkg 1.1 all  pool/main/c/clipkg/clipkg_1.1_all.deb',
      'stable/main/arm64  clipkg 1.0 all  pool/main/c/clipkg/clipkg_1.0_all.deb',
      'stable/main/arm64  clipkg 1.1 all  pool/main/c/clipkg/clipkg_1.1_all.deb', ''].join('\n'));
  });

  it('yum: publish and --list', async () => {
    const repo = scratch();
    const r = mkpkg(['publish', 'yum', repo, await quickRpm('clirpm', '1.0')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(mkpkg(['publish', 'yum', repo, '--list']).stdout, 'clirpm 1.0-1 noarch  Packages/c/clirpm-1.0-1.noarch.rpm\n');
  });

  it('usage errors exit 2 with E_USAGE; a target that is neither a directory nor s3:// is E_REPO_INVALID', () => {
    const repo = scratch();
    for (const args of [['publish', 'apt', repo], ['publish', 'yum', repo, 'x.rpm', '--suite', 's'], ['publish', 'apt', repo, 'x.deb', '--keep', '0'], ['publish', 'deb', repo, 'x.deb']]) {
      const r = mkpkg(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error E_USAGE: /m);
    }
    const bad = mkpkg(['publish', 'apt', 'https://example.invalid/repo', quickDeb('clipkg', '1.0')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error E_REPO_INVALID: repository target "https:\/\/example\.invalid\/repo"/m);
    assert.match(bad.stderr, /hint: /);
  });

  it('build --no-publish runs no output; without it, the configured apt repository gets the .deb', () => {
    const repo = join(scratch(), 'repo');
    const dir = tinyProject(`outputs: [aptRepository({ dir: ${JSON.stringify(repo)} })],`, {}, 'defineConfig, aptRepository');
    const skipped = mkpkg(['deb', dir, '-o', scratch(), '--no-publish', '--json']);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.deepEqual((JSON.parse(skipped.stdout) as { published: unknown[] }).published, []);
    assert.ok(!existsSync(repo), 'the repository was not created');
    const published = mkpkg(['deb', dir, '-o', scratch(), '--json']);
    assert.equal(published.status, 0, published.stderr);
    assert.match((JSON.parse(published.stdout) as { published: { detail: string }[] }).published[0]!.detail, /^1 added, 1 in stable\/main \[amd64 arm64\]$/);
    assert.ok(existsSync(join(repo, 'dists/stable/InRelease')) === false && existsSync(join(repo, 'dists/stable/Release')));
  });
});
