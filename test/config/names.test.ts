import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/tmp.js';
import { mapPackageName, resolvePackageName } from '../../src/config/names.js';
import { requireTools } from '../support/tools.js';
import { expectCode } from './project.js';

/** dpkg's own name check (Dpkg::Package), plus Policy's minimum length of 2. */
function dpkgAcceptsName(name: string): boolean {
  const r = spawnSync('perl', ['-MDpkg::Package', '-e', 'exit(defined pkg_name_is_illegal($ARGV[0]) ? 1 : 0)', name]);
  return r.status === 0 && name.length >= 2;
}

describe('config/names', () => {
  const npmNames: [string, string][] = [
    ['@acme/foo', 'acme-foo'],
    ['@Acme/My_App', 'acme-my-app'],
    ['Hello_World', 'hello-world'],
    ['ping-svc', 'ping-svc'],
    ['caf\u00e9~server!', 'cafserver'],
    ['_private.pkg', 'private.pkg'],
  ];
  for (const [input, want] of npmNames) {
    it(`maps package.json name ${JSON.stringify(input)} to ${JSON.stringify(want)}, which dpkg accepts`, function () {
      requireTools(this, 'perl');
      const { name, warnings } = resolvePackageName(input, { explicit: false, format: 'deb' });
      assert.equal(name, want);
      assert.ok(dpkgAcceptsName(name), `dpkg rejects ${name}`);
      if (input === want) assert.deepEqual(warnings, []);
      else {
        assert.equal(warnings.length, 1);
        assert.equal(warnings[0]!.code, 'W_NAME_MAPPED');
        assert.ok(warnings[0]!.message.includes(JSON.stringify(input)) && warnings[0]!.message.includes(JSON.stringify(want)), warnings[0]!.message);
      }
    });
  }

  it('says what each mapping did', () => {
    const { changes } = mapPackageName('@Acme/My_App');
    assert.deepEqual(changes, ['scope "@x/y" became "x-y"', 'lowercased', '"_" became "-"']);
  });

  it('rejects an explicit invalid name (no silent mapping) and suggests the valid spelling; dpkg rejects it too', async function () {
    requireTools(this, 'perl');
    for (const bad of ['My_App', 'Foo']) {
      assert.equal(dpkgAcceptsName(bad), false);
      const e = await expectCode(() => resolvePackageName(bad, { explicit: true, format: 'deb', field: 'name' }), 'E_METADATA_INVALID');
      assert.ok(e.message.includes(`name: ${JSON.stringify(bad)}`), e.message);
      assert.match(e.hint ?? '', new RegExp(JSON.stringify(mapPackageName(bad).name)));
    }
  });

  it('rejects a one-character name and one that maps to nothing', async () => {
    await expectCode(() => resolvePackageName('x', { explicit: true, format: 'deb' }), 'E_METADATA_INVALID');
    await expectCode(() => resolvePackageName('@@@', { explicit: false, format: 'deb' }), 'E_METADATA_INVALID');
  });

  it('accepts RPM-only spellings (uppercase, "_") when given explicitly for rpm, and rpmspec agrees', async function () {
    requireTools(this, 'rpmspec');
    const { name } = resolvePackageName('My_App', { explicit: true, format: 'rpm' });
    assert.equal(name, 'My_App');
    const spec = `Name: ${name}\nVersion: 1\nRelease: 1\nSummary: s\nLicense: MIT\n%description\nd\n`;
    const file = join(scratch(), 'x.spec');
    writeFileSync(file, spec);
    const r = spawnSync('rpmspec', ['-q', '--qf', '%{NAME}\\n', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'My_App');
    await expectCode(() => resolvePackageName('my app', { explicit: true, format: 'rpm' }), 'E_METADATA_INVALID');
  });
});
