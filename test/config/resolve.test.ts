import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { loadProject, type CliOverrides } from '../../src/config/load.js';
import { resolveDeb } from '../../src/config/resolve-deb.js';
import { resolveRpm } from '../../src/config/resolve-rpm.js';
import { RPMSENSE } from '../../src/config/resolved.js';
import { requireTools } from '../support/tools.js';
import { expectCode, writeProject } from './project.js';

const AMD64 = { deb: 'amd64', rpm: 'x86_64' };
const basePkg = { name: 'ping-svc', version: '1.2.0', description: 'Answers pings over HTTP', author: 'Acme Ops <ops@acme.example>', license: 'MIT', engines: { node: '>=18' } };

async function load(files: Record<string, string | object>, cli?: CliOverrides) {
  return loadProject(writeProject(files), { cli });
}

describe('config/resolve', () => {
  it('resolves a plain Node.js app from package.json alone', async () => {
    const p = await load({ 'package.json': basePkg });
    const { meta, warnings } = resolveDeb(p, AMD64);
    assert.deepEqual(meta, {
      package: 'ping-svc', version: '1.2.0-1', architecture: 'amd64', maintainer: 'Acme Ops <ops@acme.example>',
      synopsis: 'Answers pings over HTTP', description: 'This package contains ping-svc, packaged by mkpkg.',
      section: 'misc', priority: 'optional', relations: { Depends: ['nodejs (>= 18)'] },
    });
    assert.deepEqual(warnings.map((w) => w.code), [], 'a one-line description is the usual case: the fallback long description is no warning');
    const rpm = resolveRpm(p, AMD64, { buildHost: 'b' }).meta;
    assert.equal(rpm.version, '1.2.0');
    assert.equal(rpm.release, '1');
    assert.equal(rpm.license, 'MIT');
    assert.equal(rpm.packager, 'Acme Ops <ops@acme.example>');
    assert.equal(rpm.description, 'Answers pings over HTTP');
    assert.deepEqual(rpm.relations.requires, [{ name: 'nodejs', flags: RPMSENSE.GREATER | RPMSENSE.EQUAL, version: '18' }]);
  });

  it('maps engines.node to a nodejs lower bound and warns W_ENGINES_RANGE when an upper bound is dropped', async () => {
    for (const [range, deb, warn] of [['^18.17.0', 'nodejs (>= 18.17)', true], ['>=18 <22', 'nodejs (>= 18)', true], ['>=20.1.2', 'nodejs (>= 20.1.2)', false], ['18.x || 20.x', 'nodejs (>= 18)', true]] as const) {
      const p = await load({ 'package.json': { ...basePkg, engines: { node: range } } });
      const r = resolveDeb(p, AMD64);
      assert.deepEqual(r.meta.relations.Depends, [deb], range);
      assert.equal(r.warnings.some((w) => w.code === 'W_ENGINES_RANGE'), warn, range);
    }
  });

  it('depends on any nodejs with W_ENGINES_MISSING when engines.node is absent, and adds nothing for non-Node projects or when nodejs is declared', async () => {
    const { engines: _e, ...noEngines } = basePkg;
    const r = resolveDeb(await load({ 'package.json': noEngines }), AMD64);
    assert.deepEqual(r.meta.relations.Depends, ['nodejs']);
    assert.ok(r.warnings.some((w) => w.code === 'W_ENGINES_MISSING'));
    const notNode = resolveDeb(await load({ 'package.json': { ...basePkg, mkpkg: { app: false } } }), AMD64);
    assert.equal(notNode.meta.relations.Depends, undefined);
    const declared = resolveDeb(await load({ 'package.json': { ...basePkg, mkpkg: { depends: ['nodejs (>= 20)'] } } }), AMD64);
    assert.deepEqual(declared.meta.relations.Depends, ['nodejs (>= 20)']);
  });

  it('maps a semver prerelease to a ~ version that dpkg sorts before the release', async function () {
    requireTools(this, 'dpkg');
    const p = await load({ 'package.json': basePkg }, { version: '1.2.0-rc.1', release: 2 });
    const v = resolveDeb(p, AMD64).meta.version;
    assert.equal(v, '1.2.0~rc.1-2');
    assert.equal(spawnSync('dpkg', ['--compare-versions', v, 'lt', '1.2.0-1']).status, 0);
    assert.equal(resolveRpm(p, AMD64, { buildHost: 'b' }).meta.version, '1.2.0~rc.1');
  });

  it('writes the epoch into the Debian version and the RPM Epoch', async () => {
    const p = await load({ 'package.json': { ...basePkg, mkpkg: { epoch: 2 } } });
    assert.equal(resolveDeb(p, AMD64).meta.version, '2:1.2.0-1');
    assert.equal(resolveRpm(p, AMD64, { buildHost: 'b' }).meta.epoch, 2);
  });

  it('fails with E_VERSION_INVALID for a non-semver package.json version, naming it', async () => {
    const p = await load({ 'package.json': { ...basePkg, version: '1.2' } });
    const e = await expectCode(() => resolveDeb(p, AMD64), 'E_VERSION_INVALID');
    assert.match(e.message, /package\.json version "1\.2"/);
    await expectCode(() => resolveRpm(p, AMD64), 'E_VERSION_INVALID');
  });

  it('accepts a non-semver version set explicitly in config when the format allows it (W_VERSION_NOT_SEMVER), and rejects it otherwise', async () => {
    const p = await load({ 'mkpkg.config.json': { name: 'gobin', version: '2024.05', maintainer: 'Ops <ops@acme.example>', summary: 'A Go binary' } });
    const r = resolveDeb(p, AMD64);
    assert.equal(r.meta.version, '2024.05-1');
    assert.ok(r.warnings.some((w) => w.code === 'W_VERSION_NOT_SEMVER'));
    const bad = await load({ 'mkpkg.config.json': { name: 'gobin', version: 'v2-beta', maintainer: 'Ops <ops@acme.example>' } });
    await expectCode(() => resolveDeb(bad, AMD64), 'E_VERSION_INVALID');
    const dash = await load({ 'mkpkg.config.json': { name: 'gobin', version: '2024.05-x', maintainer: 'Ops <ops@acme.example>' } });
    await expectCode(() => resolveRpm(dash, AMD64), 'E_VERSION_INVALID');
  });

  it('rejects a release containing "-"', async () => {
    const p = await load({ 'package.json': basePkg }, { release: '1-2' });
    await expectCode(() => resolveDeb(p, AMD64), 'E_VERSION_INVALID');
    await expectCode(() => resolveRpm(p, AMD64), 'E_VERSION_INVALID');
  });

  it('fails with E_METADATA_MISSING for a missing name, version or maintainer, with a hint naming where to set it', async () => {
    const cfg = { name: 'gobin', version: '1.0.0', maintainer: 'Ops <ops@acme.example>' };
    for (const [field, hint] of [['name', /mkpkg\.config/], ['version', /version/], ['maintainer', /maintainer.*mkpkg\.config.*author.*package\.json/]] as const) {
      const { [field]: _drop, ...rest } = cfg;
      const p = await load({ 'mkpkg.config.json': rest });
      const e = await expectCode(() => resolveDeb(p, AMD64), 'E_METADATA_MISSING');
      assert.match(e.message, new RegExp(`^${field} is not set`));
      assert.match(e.hint ?? '', hint);
      await expectCode(() => resolveRpm(p, AMD64), 'E_METADATA_MISSING');
    }
  });

  it('requires "Name <email>" for the Debian maintainer but not for the RPM packager', async () => {
    const p = await load({ 'package.json': { ...basePkg, author: 'Just A Name' } });
    const e = await expectCode(() => resolveDeb(p, AMD64), 'E_METADATA_INVALID');
    assert.match(e.message, /maintainer: "Just A Name"/);
    assert.equal(resolveRpm(p, AMD64, { buildHost: 'b' }).meta.packager, 'Just A Name');
  });

  it('maps a scoped package.json name with W_NAME_MAPPED, but rejects an invalid explicit name', async () => {
    const r = resolveDeb(await load({ 'package.json': { ...basePkg, name: '@acme/Ping_Svc' } }), AMD64);
    assert.equal(r.meta.package, 'acme-ping-svc');
    assert.ok(r.warnings.some((w) => w.code === 'W_NAME_MAPPED' && w.message.includes('"acme-ping-svc"')));
    const e = await expectCode(async () => resolveDeb(await load({ 'package.json': { ...basePkg, mkpkg: { name: 'Ping_Svc' } } }), AMD64), 'E_METADATA_INVALID');
    assert.match(e.hint ?? '', /"ping-svc"/);
  });

  it('applies overrides.deb / overrides.rpm on top of the merged config, naming override fields in errors', async () => {
    const p = await load({
      'package.json': basePkg,
      'mkpkg.config.json': { depends: ['curl'], overrides: { deb: { section: 'net', depends: ['curl (>= 7)'] }, rpm: { name: 'PingSvc', group: 'System Environment/Daemons', depends: ['curl >= 7.0'] } } },
    });
    const deb = resolveDeb(p, AMD64).meta;
    assert.equal(deb.section, 'net');
    assert.deepEqual(deb.relations.Depends, ['nodejs (>= 18)', 'curl (>= 7)']);
    const rpm = resolveRpm(p, AMD64, { buildHost: 'b' }).meta;
    assert.equal(rpm.name, 'PingSvc');
    assert.equal(rpm.group, 'System Environment/Daemons');
    assert.deepEqual(rpm.relations.requires.map((d) => d.name), ['nodejs', 'curl']);
    const bad = await load({ 'package.json': basePkg, 'mkpkg.config.json': { overrides: { rpm: { depends: ['a', 'b >> 1'] } } } });
    const e = await expectCode(() => resolveRpm(bad, AMD64), 'E_DEPENDENCY_INVALID');
    assert.match(e.message, /^overrides\.rpm\.depends\[1\]: "b >> 1"/);
  });

  it('maps relation fields per format: Breaks → Conflicts and no Replaces on RPM, Obsoletes ignored on deb, each with a warning', async () => {
    const p = await load({ 'package.json': { ...basePkg, mkpkg: { breaks: ['old (<< 1)'], replaces: ['old (<< 1)'], obsoletes: ['older < 1'], preDepends: ['adduser'], provides: ['ping (= 1.2.0)'] } } });
    const deb = resolveDeb(p, AMD64);
    assert.deepEqual(deb.meta.relations.Breaks, ['old (<< 1)']);
    assert.deepEqual(deb.meta.relations['Pre-Depends'], ['adduser']);
    assert.ok(deb.warnings.some((w) => w.code === 'W_FIELD_IGNORED' && w.message.startsWith('obsoletes')));
    const rpm = resolveRpm(p, AMD64, { buildHost: 'b' });
    assert.deepEqual(rpm.meta.relations.conflicts, [{ name: 'old', flags: RPMSENSE.LESS, version: '1' }]);
    assert.deepEqual(rpm.meta.relations.obsoletes, [{ name: 'older', flags: RPMSENSE.LESS, version: '1' }]);
    assert.deepEqual(rpm.meta.relations.requires[0], { name: 'adduser', flags: RPMSENSE.SCRIPT_PRE, version: '' });
    assert.deepEqual(rpm.warnings.map((w) => w.code).sort(), ['W_FIELD_IGNORED', 'W_RELATION_MAPPED']);
    const prov = await load({ 'package.json': { ...basePkg, mkpkg: { provides: ['ping (>= 1)'] } } });
    await expectCode(() => resolveDeb(prov, AMD64), 'E_DEPENDENCY_INVALID');
  });

  it('cuts a summary over 80 characters at a word boundary with W_SUMMARY_TRUNCATED and keeps the full text in the description', async () => {
    const long = 'A very long synopsis that goes on and on about what this service does for its operators daily';
    const r = resolveDeb(await load({ 'package.json': { ...basePkg, description: long } }), AMD64);
    assert.ok(r.meta.synopsis.length <= 80);
    assert.ok(long.startsWith(r.meta.synopsis));
    assert.equal(r.meta.description, long);
    assert.ok(r.warnings.some((w) => w.code === 'W_SUMMARY_TRUNCATED'));
  });

  it('takes the synopsis from the first line of a config description and never repeats it in the long description', async () => {
    const { description: _d, ...noDesc } = basePkg;
    const p = await load({ 'package.json': noDesc, 'mkpkg.config.json': { description: 'Answers pings\nIt listens on port 8080.\nThat is all.' } });
    const deb = resolveDeb(p, AMD64).meta;
    assert.equal(deb.synopsis, 'Answers pings');
    assert.equal(deb.description, 'It listens on port 8080.\nThat is all.');
    const dup = await load({ 'package.json': basePkg, 'mkpkg.config.json': { description: 'Answers pings over HTTP\nDetails.' } });
    assert.equal(resolveDeb(dup, AMD64).meta.description, 'Details.');
    assert.equal(resolveRpm(dup, AMD64, { buildHost: 'b' }).meta.description, 'Details.');
  });

  it('falls back to License "Unspecified" with W_LICENSE_MISSING, and BuildHost "reproducible" under SOURCE_DATE_EPOCH', async () => {
    const { license: _l, ...noLicense } = basePkg;
    const p = await load({ 'package.json': noLicense });
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const r = resolveRpm(p, AMD64);
      assert.equal(r.meta.license, 'Unspecified');
      assert.ok(r.warnings.some((w) => w.code === 'W_LICENSE_MISSING'));
      assert.equal(r.meta.buildHost, 'reproducible');
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });
});
