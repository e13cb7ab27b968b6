/**
 * `mkpkg build` in an npm workspaces root, judged by dpkg-deb, rpm, lintian and rpmlint: one package
 * per workspace with the written config precedence, dependencies on other workspaces as versioned
 * package relations, node_modules installed from the root lock file with workspace links copied,
 * the metapackage, --dry-run/--since reasons, and the coded errors.
 */
import { strict as assert } from 'node:assert';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertError, lintianProblems, rpmlintProblems } from '../cli/helpers.js';
import { REPO } from '../support/dist.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { buildWorkspacesJson, editJson, mkpkg, monorepoCopy, sh, type WorkspacesJson } from './support.js';

const field = (deb: string, name: string) => sh('dpkg-deb', ['-f', deb, name], '/').trim();
const rpmq = (rpm: string, ...args: string[]) => sh('rpm', ['-qp', ...args, rpm], '/').trim();

describe('workspaces: mkpkg build in a monorepo root', function () {
  this.timeout(600_000);
  let dir: string;
  let built: WorkspacesJson;
  const pkg = (format: 'deb' | 'rpm', name: string) => built.artifacts.find((a) => a.format === format && a.name === name)!.path;

  before(function () {
    requireTools(this, 'git', 'npm', 'dpkg-deb', 'rpm', 'lintian', 'rpmlint');
    dir = monorepoCopy();
    // Precedence: the root's shared license beats a workspace's package.json license; a workspace's
    // own config beats the root's maintainer.
    editJson(join(dir, 'mkpkg.config.json'), (c) => { c.license = 'Apache-2.0'; });
    editJson(join(dir, 'packages/web/mkpkg.config.json'), (c) => { c.maintainer = 'Web Team <web@acme.example>'; });
    built = buildWorkspacesJson(dir, ['--formats', 'deb,rpm', '-o', join(dir, 'out')]);
  });

  it('builds every workspace (the config key alone makes it a workspaces build) and the metapackage', () => {
    assert.deepEqual(built.planned.map((p) => `${p.kind} ${p.name} [${p.packages.deb}]`), [
      'workspace acme-api [acme-api 1.0.0-1]', 'workspace @acme/greeting [acme-greeting 1.0.0-1]',
      'workspace acme-web [acme-web 1.0.0-1]', 'metapackage acme-stack [acme-stack 1.0.0-1]',
    ]);
    assert.equal(built.artifacts.length, 8);
  });

  it('config precedence: workspace config > root config\'s shared keys > workspace package.json', () => {
    assert.equal(field(pkg('deb', 'acme-greeting'), 'Maintainer'), 'Acme Ops <ops@acme.example>', 'root maintainer for a workspace without one');
    assert.equal(field(pkg('deb', 'acme-web'), 'Maintainer'), 'Web Team <web@acme.example>', 'the workspace config wins over the root');
    assert.equal(rpmq(pkg('rpm', 'acme-greeting'), '--qf', '%{LICENSE}'), 'Apache-2.0', 'the root shared key wins over the workspace package.json');
    assert.equal(field(pkg('deb', 'acme-api'), 'Section'), 'net', 'a key only the workspace sets');
    assert.match(sh('ar', ['t', pkg('deb', 'acme-api')], '/'), /data\.tar\.gz/, 'compression from the root config');
  });

  it('a dependency on another workspace is a versioned relation on its package name in each format', () => {
    assert.equal(field(pkg('deb', 'acme-api'), 'Depends'), 'nodejs (>= 18), acme-greeting (>= 1.0.0), acme-greeting (<< 2.0.0~), adduser');
    assert.equal(field(pkg('deb', 'acme-web'), 'Depends'), 'nodejs (>= 18), acme-greeting (= 1.0.0-1), adduser');
    const req = (rpm: string) => rpmq(rpm, '--requires').split('\n').filter((l) => l.startsWith('acme-'));
    assert.deepEqual(req(pkg('rpm', 'acme-api')), ['acme-greeting >= 1.0.0', 'acme-greeting < 2.0.0~']);
    assert.deepEqual(req(pkg('rpm', 'acme-web')), ['acme-greeting = 1.0.0-1']);
    assert.equal(field(pkg('deb', 'acme-greeting'), 'Depends'), 'nodejs (>= 18)');
  });

  it('node_modules comes from the root lock file; the linked workspace is a real copy and no symlink is left in it', () => {
    for (const app of ['acme-api', 'acme-web']) {
      const list = sh('dpkg-deb', ['-c', pkg('deb', app)], '/').split('\n');
      const nm = list.filter((l) => l.includes(`/usr/lib/${app}/node_modules/`));
      assert.ok(nm.some((l) => l.startsWith('-') && l.endsWith(`/usr/lib/${app}/node_modules/@acme/greeting/index.js`)), `${app}: no copied greeting:\n${nm.join('\n')}`);
      assert.ok(nm.some((l) => l.endsWith(`/usr/lib/${app}/node_modules/is-number/index.js`)), `${app}: the registry dependency is missing`);
      assert.deepEqual(nm.filter((l) => l.startsWith('l')), [], `${app}: symlinks in node_modules`);
      assert.ok(!nm.some((l) => /node_modules\/acme-(api|web)\b/.test(l)), `${app}: a workspace's link to itself was shipped`);
    }
    assert.match(rpmq(pkg('rpm', 'acme-api'), '-l'), /^\/usr\/lib\/acme-api\/node_modules\/@acme\/greeting\/index\.js$/m);
  });

  it('the metapackage has no files, is all/noarch, depends on every member at exactly its version, and is lintian- and rpmlint-clean', () => {
    const deb = pkg('deb', 'acme-stack');
    const rpm = pkg('rpm', 'acme-stack');
    assert.equal(field(deb, 'Architecture'), 'all');
    assert.equal(field(deb, 'Depends'), 'acme-api (= 1.0.0-1), acme-greeting (= 1.0.0-1), acme-web (= 1.0.0-1)');
    assert.deepEqual(sh('dpkg-deb', ['-c', deb], '/').split('\n').filter((l) => l.startsWith('-') && !l.includes('/usr/share/doc/acme-stack/')), []);
    assert.equal(rpmq(rpm, '--qf', '%{ARCH}'), 'noarch');
    assert.deepEqual(rpmq(rpm, '--requires').split('\n').filter((l) => !l.startsWith('rpmlib(')), ['acme-api = 1.0.0-1', 'acme-greeting = 1.0.0-1', 'acme-web = 1.0.0-1']);
    assert.equal(rpmq(rpm, '-l'), '(contains no files)');
    assert.deepEqual(lintianProblems(deb).errors, []);
    assert.deepEqual(rpmlintProblems(rpm, scratch()), []);
  });

  it('--dry-run --since names what would be built and why, and writes nothing', () => {
    const copy = monorepoCopy();
    writeFileSync(join(copy, 'packages/greeting/index.js'), `${'// changed\n'}exports.greet = () => 'hi';\n`);
    const r = mkpkg(['build', copy, '--since', 'v1', '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'would build acme-api [acme-api 1.0.0-1]: depends on @acme/greeting',
      'would build @acme/greeting [acme-greeting 1.0.0-1]: changed files packages/greeting/index.js',
      'would build acme-web [acme-web 1.0.0-1]: depends on @acme/greeting',
      'would build acme-stack (metapackage) [acme-stack 1.0.0-1]: members changed: acme-api, @acme/greeting, acme-web',
    ]);
    assert.ok(!existsSync(join(copy, 'mkpkg-out')));
    assert.doesNotMatch(r.stderr, /W_WORKSPACE_ROOT_KEY/);
    const none = mkpkg(['build', copy, '--since', 'HEAD', '--workspaces', 'acme-api', '--dry-run']);
    assert.equal(none.stdout.trim(), 'would build acme-api [acme-api 1.0.0-1]: depends on @acme/greeting\nwould build acme-stack (metapackage) [acme-stack 1.0.0-1]: members changed: acme-api');
  });

  it('--workspaces NAME builds that workspace (and the metapackage) only', () => {
    const r = buildWorkspacesJson(dir, ['--workspaces', 'packages/web', '--formats', 'deb', '-o', join(dir, 'only-web')]);
    assert.deepEqual(r.artifacts.map((a) => a.name), ['acme-web', 'acme-stack']);
  });

  it('a root config key that is not shared is named in a warning (an error under --strict)', () => {
    const copy = monorepoCopy();
    editJson(join(copy, 'mkpkg.config.json'), (c) => { c.services = [{ name: 'root-svc' }]; });
    const r = mkpkg(['build', copy, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning W_WORKSPACE_ROOT_KEY: the root config's services is not shared with workspaces/);
    assertError(mkpkg(['build', copy, '--dry-run', '--strict']), 'E_STRICT', 'W_WORKSPACE_ROOT_KEY');
  });

  it('bad input: unknown workspace, bad --since ref, --version, an unsatisfied range, a nested workspaces key — coded errors, nothing written', () => {
    const copy = monorepoCopy();
    const out = join(copy, 'out');
    assertError(mkpkg(['build', copy, '--workspaces', 'nope', '-o', out]), 'E_WORKSPACE', '"nope" matches no workspace');
    assertError(mkpkg(['build', join(REPO, 'fixtures/hello-service'), '--workspaces', '--dry-run']), 'E_WORKSPACE', 'has no "workspaces"');
    assertError(mkpkg(['build', copy, '--since', 'no-such-ref', '-o', out]), 'E_GIT', '"no-such-ref" does not name a commit');
    const usage = mkpkg(['build', copy, '--version', '2.0.0', '-o', out]);
    assert.equal(usage.status, 2, 'usage errors exit 2');
    assert.match(usage.stderr, /^error E_USAGE: --version cannot be given to a workspaces build/m);
    editJson(join(copy, 'packages/web/package.json'), (p) => { p.dependencies = { '@acme/greeting': '^2.0.0' }; });
    assertError(mkpkg(['build', copy, '-o', out]), 'E_WORKSPACE_DEPENDENCY', 'acme-web depends on @acme/greeting@"^2.0.0"', 'version 1.0.0');
    editJson(join(copy, 'packages/web/package.json'), (p) => { p.dependencies = { '@acme/greeting': '1.0.0' }; });
    editJson(join(copy, 'packages/api/mkpkg.config.json'), (c) => { c.workspaces = true; });
    assertError(mkpkg(['build', copy, '-o', out]), 'E_CONFIG_INVALID', 'packages/api: workspaces');
    editJson(join(copy, 'packages/api/mkpkg.config.json'), (c) => { delete c.workspaces; });
    // acme-api and @acme/greeting are built before acme-web fails: none of their packages is left.
    editJson(join(copy, 'packages/web/mkpkg.config.json'), (c) => { c.contents = [{ src: 'missing.txt', dst: '/etc/acme-web/missing.txt' }]; });
    assertError(mkpkg(['build', copy, '-o', out]), 'E_SOURCE_MISSING', 'missing.txt');
    assert.ok(!existsSync(out), 'a failed workspaces build wrote packages');
    rmSync(copy, { recursive: true, force: true });
  });
});
