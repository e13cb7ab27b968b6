/** A config-only "Go/C binary" project: the architecture comes from the ELF header of what it ships. */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../formats/deb/tree-compare.js';
import { qf } from '../formats/rpm/helpers.js';
import { requireThat, requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { assertError, buildJson, copyFixture, listDir, mkpkg } from './helpers.js';

/** This host's architecture in Debian and RPM spelling (the ELF of /bin/true is the host's). */
const HOST = { x64: ['amd64', 'x86_64'], arm64: ['arm64', 'aarch64'] }[process.arch as 'x64' | 'arm64'];

describe('cli: a native binary project (config only, no package.json)', function () {
  this.timeout(600_000);
  let dir: string;

  before(function () {
    requireTools(this, 'dpkg-deb', 'rpm');
    requireThat(this, HOST !== undefined, `no native-tool expectations for process.arch ${process.arch}`);
    dir = copyFixture('native-tool');
    mkdirSync(join(dir, 'build'));
    copyFileSync('/bin/true', join(dir, 'build', 'native-tool')); // a real ELF executable; no binary is committed
  });

  it('detects the architecture from the ELF header: amd64 / x86_64 on this host', () => {
    const [deb, rpm] = buildJson(['build', dir, '-o', scratch()]);
    assert.equal(run('dpkg-deb', ['-f', deb!.path, 'Architecture']).trim(), HOST![0]);
    assert.ok(deb!.path.endsWith(`/native-tool_0.3.0-1_${HOST![0]}.deb`), deb!.path);
    assert.equal(qf(rpm!.path, '%{ARCH}'), HOST![1]);
    assert.equal(deb!.arch, HOST![0]);
    assert.match(run('dpkg-deb', ['-c', deb!.path]), /^-rwxr-xr-x root\/root .* \.\/usr\/bin\/native-tool$/m);
    const out = scratch();
    run('dpkg-deb', ['-x', deb!.path, out]);
    assert.equal(run(join(out, 'usr/bin/native-tool'), []), '', 'the shipped binary runs');
  });

  it('--arch matching the ELF in another spelling is accepted (x64 → amd64)', () => {
    const [deb] = buildJson(['deb', dir, '-o', scratch(), '--arch', process.arch]);
    assert.equal(run('dpkg-deb', ['-f', deb!.path, 'Architecture']).trim(), HOST![0]);
  });

  it('--arch contradicting the ELF (arm64 vs x86-64) → exit 1 E_ARCH_MISMATCH naming the file; nothing written', () => {
    const other = process.arch === 'x64' ? 'arm64' : 'amd64';
    for (const cmd of ['deb', 'rpm']) {
      const out = scratch();
      const r = mkpkg([cmd, dir, '-o', out, '--arch', other]);
      assertError(r, 'E_ARCH_MISMATCH', 'native-tool');
      assert.match(r.stderr.split('\n')[0]!, /x86-64|x86_64|amd64|aarch64|arm64/);
      assert.deepEqual(listDir(out), []);
    }
  });
});
