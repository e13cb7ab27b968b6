import { strict as assert } from 'node:assert';
import { isPortableSemver, mapSemver } from '../../src/versions/index.js';
import { versionInvalid } from './expect.js';
import { requireTools } from '../support/tools.js';
import { dpkgCompare, rpmVercmp } from './real-tools.js';

const codes = (v: string): string[] => mapSemver(v).warnings.map((w) => w.code);

describe('versions: mapSemver', () => {
  it('maps a release to itself and a prerelease to a ~ suffix, without warnings', () => {
    assert.deepEqual(mapSemver('1.2.0'), { upstream: '1.2.0', prerelease: false, warnings: [] });
    assert.deepEqual(mapSemver('1.2.0-rc.1'), { upstream: '1.2.0~rc.1', prerelease: true, warnings: [] });
    assert.deepEqual(mapSemver('0.0.1-0'), { upstream: '0.0.1~0', prerelease: true, warnings: [] });
  });

  it('the mapped prerelease sorts before its release and after the previous release in dpkg and rpm', async function () {
    requireTools(this, 'dpkg', 'rpm');
    const [pre, rel, prev] = ['1.2.0-rc.1', '1.2.0', '1.1.9'].map((v) => mapSemver(v).upstream) as [string, string, string];
    const pairs = [[prev, pre], [pre, rel]] as const;
    assert.deepEqual((await dpkgCompare(pairs.map(([a, b]) => [`${a}-1`, `${b}-1`] as const))).results, [-1, -1]);
    assert.deepEqual(rpmVercmp(pairs.map(([a, b]) => [`${a}-1`, `${b}-1`] as const)), [-1, -1]);
  });

  it('replaces "-" inside the prerelease with "+", keeping it distinct from "." for dpkg, and warns', async function () {
    requireTools(this, 'dpkg');
    const m = mapSemver('1.0.0-rc-1');
    assert.equal(m.upstream, '1.0.0~rc+1');
    assert.deepEqual(m.warnings.map((w) => w.code), ['W_VERSION_PRERELEASE_ORDER']);
    assert.match(m.warnings[0]!.message, /"rc-1"/);
    const dotted = mapSemver('1.0.0-rc.1').upstream;
    const { results, stderr } = await dpkgCompare([[`${m.upstream}-1`, `${dotted}-1`], [`${m.upstream}-1`, '1.0.0-1']]);
    assert.equal(stderr, '');
    assert.notEqual(results[0], 0);
    assert.equal(results[1], -1);
  });

  it('drops build metadata with W_VERSION_BUILD_METADATA, because dpkg and rpm would sort it after the bare version', async function () {
    requireTools(this, 'dpkg', 'rpm');
    const m = mapSemver('1.0.0-rc.1+exp.sha.5114f85');
    assert.equal(m.upstream, '1.0.0~rc.1');
    assert.deepEqual(m.warnings.map((w) => w.code), ['W_VERSION_BUILD_METADATA']);
    assert.match(m.warnings[0]!.message, /\+exp\.sha\.5114f85/);
    assert.deepEqual((await dpkgCompare([['1.0.0+build.5-1', '1.0.0-1']])).results, [1]);
    assert.deepEqual(rpmVercmp([['1.0.0+build.5-1', '1.0.0-1']]), [1]);
  });

  it('warns W_VERSION_PRERELEASE_ORDER only for identifiers that mix letters and digits or contain "-"', () => {
    for (const v of ['1.0.0-beta2', '1.0.0-rc-1', '1.0.0-0a', '1.0.0-alpha.x-y']) {
      assert.deepEqual(codes(v), ['W_VERSION_PRERELEASE_ORDER'], v);
      assert.equal(isPortableSemver(v), false, v);
    }
    for (const v of ['1.0.0-beta.2', '1.0.0-RC.10', '1.0.0-0', '1.0.0-alpha.beta']) {
      assert.deepEqual(codes(v), [], v);
      assert.equal(isPortableSemver(v), true, v);
    }
  });

  it('reads a leading "v" or surrounding spaces as semver does and reports W_VERSION_NORMALIZED', () => {
    for (const v of ['v1.2.3', ' 1.2.3 ']) {
      const m = mapSemver(v);
      assert.equal(m.upstream, '1.2.3');
      assert.deepEqual(m.warnings.map((w) => w.code), ['W_VERSION_NORMALIZED']);
    }
  });

  it('throws E_VERSION_INVALID naming the field and value, with a hint, for non-semver versions', () => {
    for (const v of ['1.2', 'latest', '', '01.2.3', '1.2.3-01', '1.2 .3', '1.2.3-rc..1', '^1.2.3']) {
      assert.throws(
        () => mapSemver(v, 'package.json version'),
        versionInvalid('package.json version', v, (e) => /MAJOR\.MINOR\.PATCH/.test(e.hint ?? '')),
        JSON.stringify(v),
      );
    }
  });
});
