import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import { layoutNodeApp, type PackageJsonLike } from '../../src/plan/node-app.js';
import { stagePlan } from '../../src/plan/stage.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { rejectsWith, writeTree } from './helpers.js';

const SDE = 1_700_000_000;

function project(pkg: PackageJsonLike, lock = true): string {
  const p = writeTree(scratch(), {
    'package.json': JSON.stringify(pkg, null, 2),
    'lib/index.js': "module.exports = (n) => require('is-number')(n);\n",
    'bin/cli.js': "#!/usr/bin/env node\nconsole.log('is-number(5):', require('../lib/index.js')(5));\n",
    'notes.txt': 'not published',
    'test/a.test.js': 'not published either',
  });
  if (lock) execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: p, stdio: 'pipe' });
  return p;
}

const PKG: PackageJsonLike = {
  name: '@acme/demo-svc', version: '1.0.0', files: ['lib', 'bin'], bin: { demo: './bin/cli.js' },
  scripts: { postinstall: 'exit 1' },
  dependencies: { 'is-number': '7.0.0' }, devDependencies: { 'kind-of': '6.0.3' },
};

/** Every file below `dir` with its content, for before/after comparisons. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((d) => join(d.parentPath, d.name))
    .sort()
    .map((f) => `${relative(dir, f)} ${statSync(f).mtimeMs} ${statSync(f).isFile() ? readFileSync(f, 'utf8') : ''}`)
    .join('\n');
}

describe('plan/node-app layoutNodeApp', function () {
  this.timeout(900_000);
  before(function () {
    requireTools(this, 'npm', 'tar');
  });

  it('ships what npm pack publishes, production deps from a staging dir, bin links; the user\'s node_modules untouched', async () => {
    const p = project(PKG);
    writeTree(p, { 'node_modules/is-number/index.js': 'USER COPY', 'node_modules/kind-of/index.js': 'USER DEV COPY' });
    const before = snapshot(p);
    const app = await layoutNodeApp({ projectDir: p, packageJson: PKG, nodeModules: 'production', bin: true });
    try {
      assert.equal(app.appDir, '/usr/lib/acme-demo-svc');
      assert.ok(app.stagingDir && !app.stagingDir.startsWith(p), 'staging outside the project');
      const r = await buildPlan({ projectDir: p, contents: [], format: 'deb', sourceDateEpoch: SDE, app });
      const byPath = new Map(r.plan.entries.map((e) => [e.path, e]));

      // the published files, judged by a real npm pack tarball listed with tar
      const packDir = scratch();
      const tgz = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: p, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
      const tarList = execFileSync('tar', ['-tzf', join(packDir, tgz)], { encoding: 'utf8' })
        .trim().split('\n').map((l) => l.replace(/^package\//, '')).sort();
      const appFiles = r.plan.entries
        .filter((e) => e.kind === 'file' && e.path.startsWith('/usr/lib/acme-demo-svc/') && !e.path.includes('/node_modules/'))
        .map((e) => e.path.slice('/usr/lib/acme-demo-svc/'.length)).sort();
      assert.deepEqual(appFiles, tarList);
      assert.ok(!byPath.has('/usr/lib/acme-demo-svc/notes.txt'));

      const dep = byPath.get('/usr/lib/acme-demo-svc/node_modules/is-number/index.js');
      assert.equal(dep?.kind, 'file');
      assert.ok(dep.kind === 'file' && dep.source.startsWith(app.stagingDir!), 'dependency comes from the staging dir, not the user\'s node_modules');
      assert.ok(dep.kind === 'file' && readFileSync(dep.source, 'utf8').includes('module.exports'));
      assert.ok(![...byPath.keys()].some((k) => k.includes('/node_modules/kind-of')), 'devDependencies absent');

      const link = byPath.get('/usr/bin/demo');
      assert.equal(link?.kind === 'symlink' && link.target, '../lib/acme-demo-svc/bin/cli.js');
      assert.equal(byPath.get('/usr/lib/acme-demo-svc/bin/cli.js')?.mode, 0o755);

      // the staged tree runs: node follows /usr/bin/demo to the app and loads the production dependency
      const root = join(scratch(), 'stage');
      await stagePlan(r.plan, root);
      assert.equal(execFileSync(process.execPath, [join(root, 'usr/bin/demo')], { encoding: 'utf8' }).trim(), 'is-number(5): true');
      assert.equal(snapshot(p), before, 'the project (node_modules, lock file) is unchanged');
    } finally {
      await app.cleanup();
    }
    assert.ok(!existsSync(app.stagingDir!), 'cleanup removes the staging dir');
  });

  it('without a lock file: npm install fallback with W_NO_LOCKFILE', async () => {
    const pkg = { ...PKG, name: 'nolock', bin: undefined };
    const p = project(pkg, false);
    const app = await layoutNodeApp({ projectDir: p, packageJson: pkg, appDir: '/opt/nolock' });
    try {
      assert.deepEqual(app.warnings.map((w) => w.code), ['W_NO_LOCKFILE']);
      const r = await buildPlan({ projectDir: p, contents: [], format: 'rpm', sourceDateEpoch: SDE, app });
      assert.ok(r.plan.entries.some((e) => e.path === '/opt/nolock/node_modules/is-number/index.js'));
      assert.deepEqual(r.warnings.map((w) => w.code), ['W_NO_LOCKFILE']);
      assert.ok(!existsSync(join(p, 'package-lock.json')) && !existsSync(join(p, 'node_modules')));
    } finally {
      await app.cleanup();
    }
  });

  it('nodeModules none ships no node_modules and runs no install', async () => {
    const p = project(PKG);
    const app = await layoutNodeApp({ projectDir: p, packageJson: PKG, nodeModules: 'none', bin: false });
    assert.equal(app.stagingDir, undefined);
    const r = await buildPlan({ projectDir: p, contents: [], format: 'deb', sourceDateEpoch: SDE, app });
    assert.ok(!r.plan.entries.some((e) => e.path.includes('node_modules') || e.path.startsWith('/usr/bin')));
  });

  it('a lock file out of sync with package.json → E_NPM with npm\'s message', async () => {
    const p = project(PKG);
    const pkg = { ...PKG, dependencies: { 'is-number': '6.0.0' } };
    writeFileSync(join(p, 'package.json'), JSON.stringify(pkg));
    await rejectsWith(layoutNodeApp({ projectDir: p, packageJson: pkg }), 'E_NPM', 'npm ci', 'exited with status', 'in sync');
  });

  it('a bin entry whose file does not exist → E_SOURCE_MISSING naming it', async () => {
    const pkg = { ...PKG, bin: { demo: './bin/cli.js', other: 'bin/missing.js' }, dependencies: {} };
    const p = project(pkg);
    await rejectsWith(layoutNodeApp({ projectDir: p, packageJson: pkg }), 'E_SOURCE_MISSING', 'bin "other"', '"bin/missing.js"');
  });
});
