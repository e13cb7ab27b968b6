/**
 * Smoke test: the bundled sample (fixtures/hello-service) built through the public API into a .deb
 * and an .rpm, each read back by its own package manager (dpkg-deb -I/-c, rpm -qpi/-qpl/-K).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, formatOf, MkpkgError, silentReporter, type Artifact, type Target } from '../src/index.js';
import { targetFormat } from '../src/formats/registry.js';
import { REPO } from './support/dist.js';
import { requireTools } from './support/tools.js';
import { scratch } from './support/tmp.js';

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, HOME: scratch('mkpkg-smoke-home-'), LC_ALL: 'C.UTF-8' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe('smoke: the bundled sample through the public API', function () {
  this.timeout(300_000);
  let deb: Artifact;
  let rpm: Artifact;
  let targets: Target[];

  before(async function () {
    requireTools(this, 'dpkg-deb', 'rpm', 'npm');
    const dir = join(scratch('mkpkg-smoke-'), 'hello-service');
    cpSync(join(REPO, 'fixtures', 'hello-service'), dir, { recursive: true });
    const result = await build({ dir, formats: ['deb', 'rpm'], outDir: scratch('mkpkg-smoke-out-'), sourceDateEpoch: 1_700_000_000, reporter: silentReporter() });
    assert.deepEqual(result.artifacts.map((a) => a.format), ['deb', 'rpm']);
    [deb, rpm] = result.artifacts as [Artifact, Artifact];
    targets = result.targets;
  });

  it('writes each package under its conventional name, with the size and sha256 of the file', () => {
    assert.equal(deb.path.split('/').pop(), 'hello-service_1.0.0-1_all.deb');
    assert.equal(rpm.path.split('/').pop(), 'hello-service-1.0.0-1.noarch.rpm');
    for (const a of [deb, rpm]) {
      const bytes = readFileSync(a.path);
      assert.equal(a.size, bytes.length);
      assert.equal(a.sha256, createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('dpkg-deb -I reads the control fields and maintainer scripts; dpkg-deb -c lists the app and its unit', () => {
    const info = run('dpkg-deb', ['-I', deb.path]);
    assert.match(info, /^ Package: hello-service$/m);
    assert.match(info, /^ Version: 1\.0\.0-1$/m);
    assert.match(info, /^ Architecture: all$/m);
    assert.match(info, /^ Maintainer: Acme Ops <ops@acme\.example>$/m);
    assert.match(info, /^ Depends: .*nodejs/m);
    for (const script of ['preinst', 'postinst', 'prerm', 'postrm']) assert.match(info, new RegExp(`\\b${script}\\b`));
    const files = run('dpkg-deb', ['-c', deb.path]);
    assert.match(files, /\.\/usr\/lib\/hello-service\/server\.js$/m);
    assert.match(files, /\.\/usr\/lib\/systemd\/system\/hello-service\.service$/m);
  });

  it('rpm -qpi reads the header; rpm -qpl lists the app and its unit; rpm -K checks the digests', () => {
    const info = run('rpm', ['-qpi', rpm.path]);
    assert.match(info, /^Name\s+: hello-service$/m);
    assert.match(info, /^Version\s+: 1\.0\.0$/m);
    assert.match(info, /^Release\s+: 1$/m);
    assert.match(info, /^Architecture: noarch$/m);
    assert.match(info, /^License\s+: MIT$/m);
    const files = run('rpm', ['-qpl', rpm.path]).split('\n');
    assert.ok(files.includes('/usr/lib/hello-service/server.js'), files.join('\n'));
    assert.ok(files.includes('/usr/lib/systemd/system/hello-service.service'), files.join('\n'));
    assert.match(run('rpm', ['-K', '--nosignature', rpm.path]), /digests OK/);
  });

  it('each format names its file as written, and reads its own package back through the Format interface', async () => {
    for (const [t, a] of targets.map((t, i) => [t, [deb, rpm][i]!] as const)) assert.equal(a.path.split('/').pop(), targetFormat(t).fileName(t.meta));
    const d = await formatOf('deb').read(deb.path);
    assert.equal(d.control.Package, 'hello-service');
    const r = await formatOf('rpm').read(rpm.path);
    assert.equal(r.tags.name, 'hello-service');
  });

  it('MkpkgError carries a stable code and hint', () => {
    const e = new MkpkgError('E_CONFIG_INVALID', 'bad', { hint: 'fix it' });
    assert.equal(e.code, 'E_CONFIG_INVALID');
    assert.equal(e.hint, 'fix it');
    assert.ok(e instanceof Error);
  });
});
