/** `--dry-run`: runs up to verify, prints the plan (files, scripts, units), writes no package. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { build } from '../../src/pipeline/build.js';
import { scratch } from '../support/tmp.js';
import { cli, cliOk, listDir, rejectsWith, tinyProject } from './support.js';

const SERVICE = `services: [{ name: 'tiny', command: '/bin/sleep infinity' }],`;

describe('pipeline: --dry-run', function () {
  this.timeout(600_000);

  it('prints files, scripts and units for each format and leaves the output directory empty', () => {
    const dir = tinyProject(SERVICE);
    const out = join(scratch(), 'out');
    const r = cliOk(['build', dir, '--formats', 'deb,rpm', '-o', out, '--dry-run']);
    assert.deepEqual(listDir(out), [], 'no package written');
    assert.match(r.stdout, /^== tiny 1\.2\.3-1 all \(\.deb\)$/m);
    assert.match(r.stdout, /^== tiny 1\.2\.3-1 noarch \(\.rpm\)$/m);
    assert.match(r.stdout, /^-- metadata\n {2}Package: tiny\n {2}Version: 1\.2\.3-1\n/m, 'the .deb control fields');
    assert.match(r.stdout, /^-- metadata\n {2}Name: tiny\n {2}Version: 1\.2\.3\n {2}Release: 1\n/m, 'the .rpm tags');
    assert.match(r.stdout, /^-- files \(\d+\)$/m);
    assert.match(r.stdout, /^ {2}file +0644 root:root +\/usr\/share\/tiny\/hello\.txt$/m);
    assert.match(r.stdout, /^---- postinst$/m);
    assert.match(r.stdout, /^---- post \(\/bin\/sh\)$/m);
    assert.match(r.stdout, /^-- units \(1\)$/m);
    assert.match(r.stdout, /^---- \/usr\/lib\/systemd\/system\/tiny\.service$/m);
    assert.match(r.stdout, /^ {2}ExecStart=.*\/bin\/sleep infinity$/m);
  });

  it('stops after verify in the library too: no artifacts, no package step, outputs not run', async () => {
    const dir = tinyProject(`outputs: [{ name: 'x', run: () => { throw new Error('must not run'); } }],`);
    const out = join(scratch(), 'out');
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((chunk: string) => { printed += chunk; return true; }) as typeof process.stdout.write;
    let r;
    try {
      r = await build({ dir, outDir: out, dryRun: true });
    } finally {
      process.stdout.write = write;
    }
    assert.equal(r.artifacts.length, 0);
    assert.equal(r.targets.length, 1);
    assert.match(printed, /\/usr\/share\/tiny\/hello\.txt/);
    assert.deepEqual(listDir(out), []);
  });

  it('still verifies: a problem in the plan fails a dry run', async () => {
    const dir = tinyProject(`contents: [{ src: 'missing.txt', dst: '/usr/share/tiny/missing.txt' }],`);
    await rejectsWith(() => build({ dir, outDir: scratch(), dryRun: true }), 'E_SOURCE_MISSING');
    const r = cli(['deb', dir, '--dry-run']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error E_SOURCE_MISSING: .*missing\.txt/m);
  });
});
