/**
 * Nothing from outside the project gets into a package (issue 10 item 1): symlinks pointing out of
 * the project or the npm staging directory are packaged as links or refused, never followed; a
 * `src` outside the project is refused unless it is an absolute path. Judged by dpkg-deb and rpm2cpio.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { assertError, buildJson, listDir, mkpkg } from './helpers.js';

const SECRET = 'TOP-SECRET-HOST-FILE-7f3a9c';
const SECRET2 = 'TOP-SECRET-HOST-DIR-0b41e2';

/** A secret file and directory outside any project, standing for /etc/shadow and /root/.ssh. */
function hostSecrets(): { file: string; dir: string } {
  const base = scratch('mkpkg-outside-');
  mkdirSync(join(base, 'dir'));
  writeFileSync(join(base, 'shadow'), `${SECRET}\n`, { mode: 0o600 });
  writeFileSync(join(base, 'dir/id_rsa'), `${SECRET2}\n`, { mode: 0o600 });
  return { file: join(base, 'shadow'), dir: join(base, 'dir') };
}

/** A config-only project; `links` maps a path in the project to a symlink target. */
function project(contents: unknown[], links: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  const dir = join(scratch('mkpkg-outside-proj-'), 'proj');
  mkdirSync(join(dir, 'tree'), { recursive: true });
  writeFileSync(join(dir, 'tree/ok.txt'), 'inside\n');
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    symlinkSync(target, join(dir, rel));
  }
  const config = { name: 'outside-root', version: '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'Symlink fixture', description: 'Symlinks out of the project.', license: 'MIT', app: false, contents, ...extra };
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** Every file of the payload, extracted by the distribution's tools, as `path → content` (symlinks as `-> target`). */
function payload(pkg: string): Map<string, string> {
  const dir = scratch('mkpkg-outside-x-');
  const r = pkg.endsWith('.deb')
    ? spawnSync('dpkg-deb', ['-x', pkg, dir], { encoding: 'utf8' })
    : spawnSync('sh', ['-c', `rpm2cpio '${pkg}' | cpio -idm --quiet`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = `${rel}/${d.name}`;
      if (d.isSymbolicLink()) out.set(p, `-> ${spawnSync('readlink', [join(dir, p)], { encoding: 'utf8' }).stdout.trim()}`);
      else if (d.isDirectory()) walk(p);
      else out.set(p, readFileSync(join(dir, p), 'utf8'));
    }
  };
  walk('');
  return out;
}

function assertNoSecret(pkg: string): Map<string, string> {
  const files = payload(pkg);
  for (const [p, content] of files) {
    assert.ok(!content.includes(SECRET) && !content.includes(SECRET2), `${pkg}: ${p} holds a host secret`);
  }
  // The listing of the real tools too: no entry is a regular file holding the secret's size.
  const listing = pkg.endsWith('.deb') ? spawnSync('dpkg-deb', ['-c', pkg], { encoding: 'utf8' }).stdout : spawnSync('sh', ['-c', `rpm2cpio '${pkg}' | cpio -t --quiet`], { encoding: 'utf8' }).stdout;
  assert.ok(listing.length > 0);
  return files;
}

function rejects(dir: string, ...patterns: string[]): void {
  const out = scratch('mkpkg-outside-out-');
  assertError(mkpkg(['build', dir, '-o', out]), 'E_SOURCE_OUTSIDE', ...patterns);
  assert.deepEqual(listDir(out), []);
}

describe('cli: symlinks and sources outside the project root are never read', function () {
  this.timeout(300_000);
  let secrets: { file: string; dir: string };

  before(function () {
    requireTools(this, 'dpkg-deb', 'rpm2cpio', 'cpio', 'readlink');
    secrets = hostSecrets();
  });

  it('a directory src holding links out (file, directory, relative) packs them as links in the .deb and the .rpm', () => {
    const dir = project([{ src: 'tree', dst: '/usr/share/outside-root' }], {
      'tree/leak': secrets.file, 'tree/dirleak': secrets.dir, 'tree/relleak': '../../../outside/shadow',
    });
    for (const a of buildJson(['build', dir, '-o', scratch()])) {
      const files = assertNoSecret(a.path);
      assert.equal(files.get('/usr/share/outside-root/leak'), `-> ${secrets.file}`, a.path);
      assert.equal(files.get('/usr/share/outside-root/dirleak'), `-> ${secrets.dir}`, a.path);
      assert.equal(files.get('/usr/share/outside-root/relleak'), '-> ../../../outside/shadow', a.path);
      assert.equal(files.get('/usr/share/outside-root/ok.txt'), 'inside\n');
      assert.ok(![...files.keys()].some((p) => p.includes('id_rsa')), 'nothing below the directory link was packed');
    }
  });

  it('a glob matching such links (tree/*, **) packs them as links', () => {
    const dir = project([{ src: 'tree/*', dst: '/usr/share/a' }, { src: '**', dst: '/usr/share/b' }], { 'tree/leak': secrets.file, 'tree/dirleak': secrets.dir });
    for (const a of buildJson(['build', dir, '-o', scratch()])) {
      const files = assertNoSecret(a.path);
      assert.equal(files.get('/usr/share/a/leak'), `-> ${secrets.file}`);
      assert.equal(files.get('/usr/share/b/tree/dirleak'), `-> ${secrets.dir}`);
    }
  });

  it('a named src that is a link out (leak -> shadow) is E_SOURCE_OUTSIDE naming the link and where it leads', () => {
    rejects(project([{ src: 'leak', dst: '/etc/outside-root/leak' }], { leak: secrets.file }), 'contents[0].src', '"leak"', secrets.file);
  });

  it('a named directory link out, and a path or glob through it, are E_SOURCE_OUTSIDE', () => {
    rejects(project([{ src: 'dirleak', dst: '/usr/share/x' }], { dirleak: secrets.dir }), '"dirleak"', secrets.dir);
    rejects(project([{ src: 'dirleak/id_rsa', dst: '/usr/share/x/k' }], { dirleak: secrets.dir }), '"dirleak/id_rsa"');
    rejects(project([{ src: 'dirleak/*', dst: '/usr/share/x' }], { dirleak: secrets.dir }), '"dirleak/*"');
    rejects(project([{ src: 'tree/sub/../../dirleak/*', dst: '/usr/share/x' }], { dirleak: secrets.dir, 'tree/sub/keep': 'x' }), 'dirleak/*');
  });

  it('a src climbing out of the project (../*, ../outside/shadow) is E_SOURCE_OUTSIDE, as are unit and script files', () => {
    const dir = project([{ src: '../*', dst: '/usr/share/x' }]);
    rejects(dir, '"../*"');
    const probe = project([]);
    const up = relative(probe, secrets.file);
    rejects(project([{ src: up, dst: '/usr/share/x/s' }]), JSON.stringify(up));
    rejects(project([{ src: 'tree/ok.txt', dst: '/usr/share/x/ok' }], { 'hooks/leak': secrets.file }, { scripts: { deb: { postinst: 'hooks/leak' } } }), 'scripts.deb.postinst', '"hooks/leak"');
    rejects(project([], { 'units/x.service': secrets.file }, { services: [{ name: 'outside-root', command: '/bin/true', unitFile: 'units/x.service' }] }), '"units/x.service"');
  });

  it('an absolute src named in the config is read where it is (the one explicit exception), an absolute glob outside is refused', () => {
    const dir = project([{ src: secrets.file, dst: '/usr/share/outside-root/explicit' }]);
    const [deb] = buildJson(['deb', dir, '-o', scratch()]);
    assert.equal(payload(deb!.path).get('/usr/share/outside-root/explicit'), `${SECRET}\n`);
    rejects(project([{ src: `${secrets.dir}/*`, dst: '/usr/share/x' }]), `${secrets.dir}/*`);
  });
});

describe('cli: the npm layout reads nothing outside the project or the npm staging directory', function () {
  this.timeout(300_000);
  let secrets: { file: string; dir: string };

  before(function () {
    requireTools(this, 'npm', 'dpkg-deb', 'rpm2cpio', 'cpio', 'readlink', 'tar');
    secrets = hostSecrets();
  });

  it('a bundled dependency that is a link out of the project (npm link) is E_SOURCE_OUTSIDE, not packed', () => {
    const dir = join(scratch('mkpkg-outside-npm-'), 'app');
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    writeFileSync(join(secrets.dir, 'package.json'), JSON.stringify({ name: 'linked', version: '1.0.0' }));
    symlinkSync(secrets.dir, join(dir, 'node_modules/linked'));
    writeFileSync(join(dir, 'index.js'), 'console.log(1);\n');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'bundler', version: '1.0.0', description: 'd', author: 'A <a@example.org>', license: 'MIT',
      dependencies: { linked: '1.0.0' }, bundleDependencies: ['linked'], mkpkg: { app: { nodeModules: 'none' } },
    }));
    const out = scratch();
    assertError(mkpkg(['build', dir, '-o', out]), 'E_SOURCE_OUTSIDE', 'node_modules/linked/', secrets.dir);
    assert.deepEqual(listDir(out), []);
  });

  it('links out in the project itself are left out by npm, and those a dependency creates in node_modules stay links', () => {
    const base = scratch('mkpkg-outside-dep-');
    // A dependency whose install script plants links to the host's secrets in its own directory.
    mkdirSync(join(base, 'dep/package'), { recursive: true });
    writeFileSync(join(base, 'dep/package/index.js'), 'module.exports = 1;\n');
    writeFileSync(join(base, 'dep/package/package.json'), JSON.stringify({
      name: 'dep', version: '1.0.0', scripts: { postinstall: `ln -s '${secrets.file}' leak && ln -s '${secrets.dir}' dirleak` },
    }));
    assert.equal(spawnSync('tar', ['czf', 'dep-1.0.0.tgz', 'package'], { cwd: join(base, 'dep') }).status, 0);
    const dir = join(base, 'app');
    mkdirSync(dir);
    symlinkSync(secrets.file, join(dir, 'leak'));
    symlinkSync(secrets.dir, join(dir, 'dirleak'));
    writeFileSync(join(dir, 'index.js'), 'console.log(1);\n');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'dep-links', version: '1.0.0', description: 'd', author: 'A <a@example.org>', license: 'MIT',
      files: ['index.js', 'leak', 'dirleak'], dependencies: { dep: `file:${join(base, 'dep/dep-1.0.0.tgz')}` },
    }));
    for (const a of buildJson(['build', dir, '-o', scratch()])) {
      const files = assertNoSecret(a.path);
      assert.equal(files.get('/usr/lib/dep-links/node_modules/dep/leak'), `-> ${secrets.file}`, a.path);
      assert.equal(files.get('/usr/lib/dep-links/node_modules/dep/dirleak'), `-> ${secrets.dir}`, a.path);
      assert.equal(files.get('/usr/lib/dep-links/node_modules/dep/index.js'), 'module.exports = 1;\n');
      assert.ok(!files.has('/usr/lib/dep-links/leak') || files.get('/usr/lib/dep-links/leak')!.startsWith('-> '));
    }
  });
});
