import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { inspectPackage, serviceUnits } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { buildServiceRpm, hostRun } from './fixtures.js';

describe('verify: package file lists (read with dpkg-deb / rpm)', () => {
  it('lists a .deb\'s files, symlinks, names with spaces and directories; finds its non-template services', function () {
    requireTools(this, 'dpkg-deb');
    const dir = scratch();
    const tree = join(dir, 'tree');
    const put = (rel: string, text = 'x\n') => { mkdirSync(join(tree, rel, '..'), { recursive: true }); writeFileSync(join(tree, rel), text); };
    put('DEBIAN/control', 'Package: pi\nVersion: 2:1.0-3\nArchitecture: all\nMaintainer: T <t@example.com>\nDescription: d\n');
    put('usr/lib/pi/a');
    put('usr/share/pi/with space');
    put('lib/systemd/system/pi.service');
    put('lib/systemd/system/pi@.service');
    put('lib/systemd/system/pi.timer');
    put('usr/lib/systemd/system/other.service');
    mkdirSync(join(tree, 'usr/bin'), { recursive: true });
    symlinkSync('../lib/pi/a', join(tree, 'usr/bin/pi'));
    const deb = join(dir, 'pi.deb');
    hostRun('dpkg-deb', ['--root-owner-group', '-b', tree, deb]);
    return inspectPackage(deb).then((info) => {
      assert.equal(info.kind, 'deb');
      assert.equal(info.name, 'pi');
      assert.equal(info.version, '2:1.0-3');
      for (const f of ['/usr/lib/pi/a', '/usr/share/pi/with space', '/usr/bin/pi', '/lib/systemd/system/pi@.service']) assert.ok(info.files.includes(f), f);
      assert.ok(info.dirs.includes('/usr/lib/pi') && !info.dirs.includes('/usr/bin/pi') && !info.dirs.includes('/usr/lib/pi/a'));
      assert.ok(!info.files.includes('/'));
      assert.deepEqual(serviceUnits(info.files), ['other.service', 'pi.service']);
    });
  });

  it('lists an .rpm\'s files and directories', async function () {
    requireTools(this, 'rpmbuild', 'rpm');
    const rpm = buildServiceRpm(scratch(), { name: 'pi-rpm', version: '3.1', port: 1 });
    const info = await inspectPackage(rpm);
    assert.deepEqual({ kind: info.kind, name: info.name, version: info.version }, { kind: 'rpm', name: 'pi-rpm', version: '3.1-1' });
    assert.deepEqual(info.dirs, ['/etc/pi-rpm', '/usr/lib/pi-rpm']);
    assert.deepEqual(serviceUnits(info.files), ['pi-rpm.service']);
  });

  it('rejects a file that is neither .deb nor .rpm with E_READ_PACKAGE', async () => {
    const f = join(scratch(), 'x.deb');
    writeFileSync(f, 'not a package at all');
    await assert.rejects(inspectPackage(f), (e: unknown) => e instanceof MkpkgError && e.code === 'E_READ_PACKAGE' && e.message.includes(f));
  });
});
