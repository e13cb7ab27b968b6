/** The Format interface as the pipeline uses it: both formats resolve, name, describe and extend their metadata the same way. */
import { strict as assert } from 'node:assert';
import { normalizeArch } from '../../src/config/arch.js';
import { loadProject } from '../../src/config/load.js';
import { RPMSENSE } from '../../src/config/resolved.js';
import { formatOf } from '../../src/formats/registry.js';
import { writeProject } from '../config/project.js';

describe('formats: the Format interface', () => {
  const project = () => loadProject(writeProject({
    'mkpkg.config.json': {
      name: 'acme-tool', version: '1.2.0-rc.1', maintainer: 'Acme Ops <ops@acme.example>', summary: 'A tool', license: 'MIT',
      homepage: 'https://acme.example', app: false, overrides: { rpm: { name: 'acme-tool-el', depends: ['nodejs >= 18'] } },
    },
  }));

  it('deb and rpm resolve their own names, versions and architectures, and name their files by convention', async () => {
    const p = await project();
    const arch = normalizeArch('x64');
    const deb = formatOf('deb');
    const rpm = formatOf('rpm');
    const d = deb.resolve(p, arch).meta;
    const r = rpm.resolve(p, arch).meta;
    assert.deepEqual(deb.identity(d), { name: 'acme-tool', version: '1.2.0~rc.1-1', arch: 'amd64', maintainer: 'Acme Ops <ops@acme.example>', homepage: 'https://acme.example', label: 'acme-tool 1.2.0~rc.1-1 amd64 (.deb)' });
    assert.deepEqual(rpm.identity(r), { name: 'acme-tool-el', version: '1.2.0~rc.1', arch: 'x86_64', maintainer: 'Acme Ops <ops@acme.example>', homepage: 'https://acme.example', label: 'acme-tool-el 1.2.0~rc.1-1 x86_64 (.rpm)' });
    assert.equal(deb.fileName(d), 'acme-tool_1.2.0~rc.1-1_amd64.deb');
    assert.equal(rpm.fileName(r), 'acme-tool-el-1.2.0~rc.1-1.x86_64.rpm');
    assert.equal(deb.debianDocs, true);
    assert.equal(rpm.debianDocs, false);
  });

  it('each format takes its own script dependencies, into a new metadata object', async () => {
    const p = await project();
    const arch = normalizeArch('all');
    const deps = { deb: ['adduser'], rpm: [{ name: '/usr/sbin/useradd', flags: RPMSENSE.SCRIPT_PRE, version: '' }] };
    const d = formatOf('deb').resolve(p, arch).meta;
    const d2 = formatOf('deb').withScriptDependencies(d, deps);
    assert.deepEqual(d2.relations.Depends, ['adduser']);
    assert.equal(d.relations.Depends, undefined, 'the resolved metadata is left as it was');
    assert.equal(formatOf('deb').withScriptDependencies(d2, deps).relations.Depends!.length, 1, 'no duplicate');
    const r = formatOf('rpm').resolve(p, arch).meta;
    const r2 = formatOf('rpm').withScriptDependencies(r, deps);
    assert.deepEqual(r2.relations.requires.map((x) => x.name), ['nodejs', '/usr/sbin/useradd']);
    assert.deepEqual(r.relations.requires.map((x) => x.name), ['nodejs']);
  });

  it('describes each package in its own terms: the control file, or the rpm tags and relations', async () => {
    const p = await project();
    const arch = normalizeArch('all');
    const plan = { entries: [] };
    const deb = formatOf('deb').describe({ format: 'deb', plan, meta: formatOf('deb').resolve(p, arch).meta, scripts: {} });
    assert.match(deb, /^Package: acme-tool\nVersion: 1\.2\.0~rc\.1-1\nArchitecture: all\n/);
    const rpm = formatOf('rpm').describe({ format: 'rpm', plan, meta: formatOf('rpm').resolve(p, arch).meta, scripts: {} });
    assert.match(rpm, /^Name: acme-tool-el\nVersion: 1\.2\.0~rc\.1\nRelease: 1\nArchitecture: noarch\n/);
    assert.match(rpm, /^Requires: nodejs >= 18$/m);
  });
});
