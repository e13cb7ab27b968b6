/**
 * A failed build leaves no artifact of that build in the output directory: the packages of a build
 * are written to temporary names and published together once every format and the afterPackage
 * hooks succeeded. A package of the same name from an earlier build is kept byte for byte.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { waitFor } from '../support/processes.js';
import { CLI, SDE, assertError, ensureBuilt, listDir, mkpkg, mkpkgOk, type CliResult } from './helpers.js';
import { scratchProject } from './scratch-project.js';

/** A failed hook: exit 1 and `error E_HOOK: …` naming the message (hook errors carry no hint yet: issue 10 item 10). */
function assertHookFailed(r: CliResult, message: string): void {
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^error E_HOOK: /m);
  assert.ok(r.stderr.includes(message), r.stderr);
}

const DEB = 'failing-build_1.0.0-1_all.deb';
const RPM = 'failing-build-1.0.0-1.noarch.rpm';

describe('cli: a failed build leaves the output directory as it was', function () {
  this.timeout(900_000);
  before(function () { requireTools(this, 'dpkg-deb', 'rpm'); });

  it('build --formats deb,rpm whose rpm step fails (a beforePackage hook) leaves no .deb', () => {
    const dir = scratchProject({ name: 'failing-build', hooks: "{ beforePackage(t) { if (t.format === 'rpm') throw new Error('no rpm today'); } }" });
    const out = scratch('mkpkg-fail-');
    assertHookFailed(mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', out]), 'no rpm today');
    assert.deepEqual(listDir(out), []);
  });

  it('build --formats deb,rpm whose .rpm cannot be put in place (a directory has its name) leaves no .deb', () => {
    const dir = scratchProject({ name: 'failing-build' });
    const out = scratch('mkpkg-fail-');
    mkdirSync(join(out, RPM));
    const r = mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', out]);
    assert.deepEqual(listDir(out), [RPM]);
    assertError(r, 'E_WRITE_FAILED', RPM);
  });

  it('an afterPackage hook that fails removes the packages it was given; packages of an earlier build with the same names are restored', () => {
    const seen = join(scratch(), 'seen.json');
    const hooks = `{ afterPackage(as) {
      writeFileSync(${JSON.stringify(seen)}, JSON.stringify(as.map((a) => ({ path: a.path, there: existsSync(a.path) }))));
      if (process.env.FAIL_HOOK) throw new Error('upload failed');
    } }`;
    const dir = scratchProject({ name: 'failing-build', preamble: "import { existsSync, writeFileSync } from 'node:fs';", hooks });
    const out = scratch('mkpkg-fail-');

    assertHookFailed(mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', out], { env: { FAIL_HOOK: '1' } }), 'upload failed');
    assert.deepEqual(listDir(out), []);
    // The hook saw the packages under their final names.
    assert.deepEqual(JSON.parse(readFileSync(seen, 'utf8')), [{ path: join(out, DEB), there: true }, { path: join(out, RPM), there: true }]);

    mkpkgOk(['build', dir, '--formats', 'deb,rpm', '-o', out]);
    const before = { deb: readFileSync(join(out, DEB)), rpm: readFileSync(join(out, RPM)) };
    writeFileSync(join(dir, 'tree', 'README'), 'changed: the failed build would write other bytes\n');
    assertHookFailed(mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', out], { env: { FAIL_HOOK: '1' } }), 'upload failed');
    assert.deepEqual(listDir(out), [DEB, RPM].sort());
    assert.ok(readFileSync(join(out, DEB)).equals(before.deb), 'the earlier .deb was not restored');
    assert.ok(readFileSync(join(out, RPM)).equals(before.rpm), 'the earlier .rpm was not restored');
  });

  it('SIGINT while an afterPackage hook runs: the new packages are taken back, the earlier ones restored', async () => {
    const started = join(scratch(), 'started');
    const hooks = `{ afterPackage() { if (process.env.HANG) { writeFileSync(${JSON.stringify(started)}, 'x'); return new Promise(() => { setInterval(() => {}, 1000); }); } } }`;
    const dir = scratchProject({ name: 'failing-build', preamble: "import { writeFileSync } from 'node:fs';", hooks });
    const out = scratch('mkpkg-fail-');
    mkpkgOk(['build', dir, '--formats', 'deb,rpm', '-o', out]);
    const before = readFileSync(join(out, DEB));
    writeFileSync(join(dir, 'tree', 'README'), 'changed\n');
    ensureBuilt();
    const child = spawn(process.execPath, [CLI, 'build', dir, '--formats', 'deb,rpm', '-o', out], { env: { ...process.env, SOURCE_DATE_EPOCH: SDE, HANG: '1' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    assert.ok(await waitFor(() => (existsSync(started) ? true : undefined), 120_000), 'the hook never ran');
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.deepEqual(listDir(out), [DEB, RPM].sort());
    assert.ok(readFileSync(join(out, DEB)).equals(before), 'the earlier .deb was not restored');
  });

  it('a hook whose promise never settles, with nothing left to wait for: exit 1 with a coded error (not 0), and no package', () => {
    const dir = scratchProject({ name: 'failing-build', hooks: '{ afterPackage() { return new Promise(() => {}); } }' });
    const out = scratch('mkpkg-fail-');
    assertError(mkpkg(['build', dir, '--formats', 'deb,rpm', '-o', out]), 'E_STEP', 'never settles');
    assert.deepEqual(listDir(out), []);
  });
});
