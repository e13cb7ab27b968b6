/**
 * A workspaces build for another CPU installs its members' dependencies the way a single project's
 * are: no install scripts (they would build for the build host), and a dependency whose addon would
 * have to be compiled for the target stops the build naming it, with nothing written.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertError } from '../cli/helpers.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { editJson, mkpkg, monorepoCopy, sh, writeJson } from './support.js';

describe('workspaces: a build for another CPU', function () {
  this.timeout(600_000);

  it('a workspace dependency with an addon that would have to be compiled for arm64 → E_ADDON_NEEDS_BUILD naming it', function () {
    requireTools(this, 'npm');
    const dir = monorepoCopy();
    const addon = join(dir, 'packages', 'addon');
    mkdirSync(addon, { recursive: true });
    writeJson(join(addon, 'package.json'), { name: '@acme/addon', version: '1.0.0', license: 'MIT', main: 'index.js' });
    writeFileSync(join(addon, 'index.js'), 'module.exports = require("./build/Release/addon.node")\n');
    writeFileSync(join(addon, 'binding.gyp'), '{ "targets": [{ "target_name": "addon", "sources": ["addon.cc"] }] }\n');
    editJson(join(dir, 'packages', 'api', 'package.json'), (p) => { (p.dependencies as Record<string, string>)['@acme/addon'] = '^1.0.0'; });
    sh('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
    const out = scratch();
    const r = mkpkg(['build', dir, '--workspaces', 'acme-api', '--arch', 'arm64', '--formats', 'deb', '-o', out]);
    assertError(r, 'E_ADDON_NEEDS_BUILD', 'would have to be compiled for arm64');
    assert.match(r.stderr, /@acme\/addon@1\.0\.0 \(node_modules\/@acme\/addon\): it has a binding\.gyp/);
    assert.deepEqual(readdirSync(out), []);
  });
});
