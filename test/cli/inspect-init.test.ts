/** `mkpkg inspect` against dpkg-deb and rpm; `mkpkg init`; a package.json-only project; reproducibility. */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../formats/deb/tree-compare.js';
import { ok, qf } from '../formats/rpm/helpers.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { FIXTURES, assertError, buildJson, copyFixture, lintianProblems, mkpkg, mkpkgOk, rpmlintProblems, type JsonArtifact } from './helpers.js';

interface InspectFile { path: string; mode: number; type: string; owner: string; group: string; size: number; linkTarget?: string }

/** `drwxr-xr-x` → 0o755 (the permission bits only; dpkg-deb -c shows no setuid here). */
function permBits(s: string): number {
  return [...s.slice(1)].reduce((n, c) => (n << 1) | (c === '-' ? 0 : 1), 0);
}

describe('cli: inspect, init, a package.json-only project, reproducible builds', function () {
  this.timeout(900_000);
  let deb: JsonArtifact;
  let rpm: JsonArtifact;

  before(function () {
    requireTools(this, 'dpkg-deb', 'rpm');
    [deb, rpm] = buildJson(['build', join(FIXTURES, 'hello-service'), '-o', scratch()]) as [JsonArtifact, JsonArtifact];
  });

  it('inspect FILE.deb prints the control fields dpkg-deb -f reads and the file list of dpkg-deb -c, with modes and owners', () => {
    const text = mkpkgOk(['inspect', deb.path]);
    const control = run('dpkg-deb', ['-f', deb.path]);
    assert.ok(text.startsWith(control), `inspect does not start with the control file:\n${text}`);
    const json = JSON.parse(mkpkgOk(['inspect', '--json', deb.path])) as { format: string; control: Record<string, string>; files: InspectFile[] };
    assert.equal(json.format, 'deb');
    for (const f of ['Package', 'Version', 'Architecture', 'Maintainer', 'Depends', 'Installed-Size']) assert.equal(json.control[f], run('dpkg-deb', ['-f', deb.path, f]).trim(), f);
    const listed = run('dpkg-deb', ['-c', deb.path]).trim().split('\n').map((l) => {
      const [perm, owners, size] = l.split(/\s+/);
      const path = l.slice(l.indexOf(' ./') + 2).replace(/ -> .*$/, '').replace(/\/$/, '') || '/';
      return { path, mode: permBits(perm!), owners, size: perm!.startsWith('d') ? 0 : Number(size) };
    }).filter((f) => f.path !== '/').sort((a, b) => a.path.localeCompare(b.path));
    const ours = json.files.map((f) => ({ path: f.path, mode: f.mode & 0o777, owners: `${f.owner}/${f.group}`, size: f.type === 'dir' ? 0 : f.size }))
      .sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(ours, listed);
    for (const f of listed.filter((x) => x.size > 0)) assert.ok(text.includes(`${f.owners}`) && text.includes(` ${f.path}\n`), `text lacks ${f.path}`);
    assert.match(text, /^ {2}file {5}0644 root\/root +\d+ \/usr\/lib\/hello-service\/server\.js$/m);
  });

  it('inspect FILE.rpm prints the tags rpm --qf reads and the file list of rpm --dump, with modes and owners', () => {
    const text = mkpkgOk(['inspect', rpm.path]);
    for (const [tag, q] of [['name', 'NAME'], ['version', 'VERSION'], ['release', 'RELEASE'], ['arch', 'ARCH'], ['license', 'LICENSE'], ['summary', 'SUMMARY']]) {
      assert.match(text, new RegExp(`^${tag}: ${qf(rpm.path, `%{${q}}`).replace(/[.()]/g, '\\$&')}$`, 'm'), tag);
    }
    const json = JSON.parse(mkpkgOk(['inspect', '--json', rpm.path])) as { format: string; files: InspectFile[] };
    assert.equal(json.format, 'rpm');
    const dump = ok('rpm', ['-qp', '--dump', rpm.path]).trim().split('\n').map((l) => {
      const p = l.split(' ');
      return { path: p[0], mode: parseInt(p[4]!, 8) & 0o7777, owners: `${p[5]}/${p[6]}`, size: Number(p[1]) };
    });
    assert.deepEqual(json.files.map((f) => ({ path: f.path, mode: f.mode, owners: `${f.owner}/${f.group}`, size: f.size })), dump);
    assert.match(text, /^ {2}file {5}0644 root\/root +\d+ \/etc\/default\/hello-service$/m);
  });

  it('inspect on a file that is not a package → exit 1 E_READ_PACKAGE naming it', () => {
    const f = join(scratch(), 'notes.txt');
    writeFileSync(f, 'just text\n');
    assertError(mkpkg(['inspect', f]), 'E_READ_PACKAGE', f);
  });

  it('a package.json-only project (name, version, description, author) builds a valid .deb and .rpm', function () {
    requireTools(this, 'lintian', 'rpmlint');
    const dir = scratch();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plain-tool', version: '0.4.1', description: 'Plain tool with no mkpkg config', author: 'Jane Doe <jane@example.org>', license: 'MIT' }, null, 2));
    writeFileSync(join(dir, 'index.js'), 'console.log("plain");\n');
    const [d, r] = buildJson(['build', dir, '-o', scratch()]);
    assert.equal(run('dpkg-deb', ['-f', d!.path, 'Package', 'Version', 'Maintainer']), 'Package: plain-tool\nVersion: 0.4.1-1\nMaintainer: Jane Doe <jane@example.org>\n');
    assert.match(run('dpkg-deb', ['-c', d!.path]), / \.\/usr\/lib\/plain-tool\/index\.js\n/);
    const lint = lintianProblems(d!.path);
    assert.deepEqual([...lint.errors, ...lint.warnings], [], lint.output);
    assert.match(ok('rpm', ['-K', r!.path]), /digests OK/);
    assert.deepEqual(rpmlintProblems(r!.path, scratch()), []);
  });

  it('init writes mkpkg.config.ts from package.json; deb builds with it; a second init refuses to overwrite', () => {
    const dir = copyFixture('scoped-app');
    const first = mkpkg(['init', dir]);
    assert.equal(first.status, 0, first.stderr);
    const cfg = readFileSync(join(dir, 'mkpkg.config.ts'), 'utf8');
    assert.match(cfg, /defineConfig/);
    assert.match(cfg, /Acme Ops <ops@acme\.example>/);
    assert.match(cfg, /^\s*\/\//m, 'the config is commented');
    const [a] = buildJson(['deb', dir, '-o', scratch()]);
    assert.equal(run('dpkg-deb', ['-f', a!.path, 'Package']).trim(), 'acme-scoped-app');
    writeFileSync(join(dir, 'mkpkg.config.ts'), `${cfg}\n// edited by hand\n`);
    const second = mkpkg(['init', dir]);
    assert.notEqual(second.status, 0);
    assert.match(second.stderr, /^error E_\w+: .*mkpkg\.config\.ts already exists/m);
    assert.match(readFileSync(join(dir, 'mkpkg.config.ts'), 'utf8'), /edited by hand/, 'the existing config was overwritten');
    rmSync(join(dir, 'mkpkg.config.ts'));
  });

  it('two CLI builds with the same SOURCE_DATE_EPOCH are byte-identical, for deb and rpm', () => {
    for (const fixture of ['hello-service', 'edge-cases']) {
      const one = buildJson(['build', join(FIXTURES, fixture), '-o', scratch()], { env: { SOURCE_DATE_EPOCH: '1600000000' } });
      const copy = copyFixture(fixture); // another directory, other file mtimes: must not matter
      const two = buildJson(['build', copy, '-o', scratch()], { env: { SOURCE_DATE_EPOCH: '1600000000' } });
      for (const i of [0, 1]) {
        assert.equal(one[i]!.sha256, two[i]!.sha256, `${fixture} ${one[i]!.format}`);
        assert.ok(readFileSync(one[i]!.path).equals(readFileSync(two[i]!.path)));
      }
      const later = buildJson(['deb', join(FIXTURES, fixture), '-o', scratch()], { env: { SOURCE_DATE_EPOCH: '1600000001' } });
      assert.notEqual(later[0]!.sha256, one[0]!.sha256, 'SOURCE_DATE_EPOCH is not used');
    }
  });
});
