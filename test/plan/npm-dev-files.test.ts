/**
 * Development files that dependencies publish (`.npmignore`, `.eslintrc*`) are left out of the
 * node_modules a package ships, so lintian does not reject it (package-contains-npm-ignore-file,
 * package-contains-eslint-config-file: errors); an ESLint config that its package.json names stays.
 * Real npm installs from the registry (debug 2.6.9 ships both files, es-errors 1.3.0 an .eslintrc)
 * and a local tarball whose `main` is `.eslintrc.js`.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build.js';
import { layoutNodeApp, type PackageJsonLike } from '../../src/plan/node-app.js';
import { buildJson, lintianProblems } from '../cli/helpers.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { writeTree } from './helpers.js';

const SDE = 1_700_000_000;
const APP = '/usr/lib/devfiles-app/node_modules';

/** A project depending on debug, es-errors and (with `sharedConfig`) a local shareable ESLint config, with its lock file. */
function project(sharedConfig: boolean): { dir: string; pkg: PackageJsonLike } {
  const vendor = writeTree(scratch(), {
    'package.json': JSON.stringify({ name: 'eslint-config-acme', version: '1.0.0', main: '.eslintrc.js' }),
    '.eslintrc.js': 'module.exports = { rules: {} };\n',
    '.npmignore': 'test/\n',
  });
  const packDir = scratch();
  const tgz = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: vendor, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
  const pkg: PackageJsonLike = {
    name: 'devfiles-app', version: '1.0.0', description: 'An app whose dependencies publish development files',
    author: 'Acme Ops <ops@acme.example>', license: 'MIT', homepage: 'https://acme.example/devfiles', engines: { node: '>=18' },
    main: 'index.js', files: ['index.js'],
    dependencies: { debug: '2.6.9', 'es-errors': '1.3.0', ...(sharedConfig ? { 'eslint-config-acme': `file:${join(packDir, tgz)}` } : {}) },
  };
  const dir = writeTree(scratch(), { 'package.json': JSON.stringify(pkg, null, 2), 'index.js': "require('debug')('app')('up');\n" });
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'pipe' });
  return { dir, pkg };
}

describe('plan: development files of installed dependencies', function () {
  this.timeout(600_000);
  before(function () {
    requireTools(this, 'npm');
  });

  it('.npmignore and .eslintrc files are left out of node_modules; an .eslintrc.js named by its package.json stays', async () => {
    const fx = project(true);
    const app = await layoutNodeApp({ projectDir: fx.dir, packageJson: fx.pkg, nodeModules: 'production' });
    try {
      const installed = execFileSync('find', [join(app.stagingDir!, 'node_modules'), '-name', '.npmignore', '-o', '-name', '.eslintrc*'], { encoding: 'utf8' });
      assert.match(installed, /debug\/\.npmignore/, 'npm installed the files this test is about');
      assert.match(installed, /es-errors\/\.eslintrc/);
      const r = await buildPlan({ projectDir: fx.dir, contents: [], format: 'deb', sourceDateEpoch: SDE, app });
      const paths = new Set(r.plan.entries.map((e) => e.path));
      for (const gone of ['debug/.npmignore', 'debug/.eslintrc', 'es-errors/.eslintrc', 'eslint-config-acme/.npmignore']) {
        assert.ok(!paths.has(`${APP}/${gone}`), `${gone} is not shipped`);
      }
      for (const kept of ['debug/package.json', 'debug/src/index.js', 'es-errors/index.js', 'eslint-config-acme/.eslintrc.js']) {
        assert.ok(paths.has(`${APP}/${kept}`), `${kept} is shipped`);
      }
    } finally {
      await app.cleanup();
    }
  });

  // A kept configuration is still reported by lintian (it matches the name): shipping it is the package's own choice.
  it('the .deb built by the CLI from registry packages that publish both files has no lintian error', function () {
    requireTools(this, 'npm', 'lintian');
    const fx = project(false);
    const [deb] = buildJson(['deb', fx.dir, '-o', scratch()]);
    const { errors, output } = lintianProblems(deb!.path);
    assert.deepEqual(errors, [], output);
  });
});
