import { strict as assert } from 'node:assert';
import { compareEVR, compareRpmVersions, formatEVR, parseEVR, validateRpmVersionPart } from '../../src/versions/index.js';
import { MkpkgError } from '../../src/errors.js';
import { accepts, versionInvalid } from './expect.js';
import { requireTools } from '../support/tools.js';
import { rpmspecAccepts, rpmVercmp, type Pair } from './real-tools.js';

/** Version strings for the corners of rpmvercmp: tilde, caret, separators, zeros, long numbers. */
const TRICKY_VERSIONS = [
  '1.0', '1.0~rc', '1.0~rc1', '1.0~rc.1', '1.0~~', '1.0~~rc', '1.0~', '1.0^', '1.0^a', '1.0^a~b', '1.0^~', '1.0^^', '1.0~^',
  '1.0a', '1.0.a', '1.0.1', '1.00', '1.001', '01.1', '1.1', '1.0_1', '1.0+1', '1_0', '1+0', '1..0',
  'a', 'A', 'b', 'abc', 'abd', 'ab', '1', '2', '10', '1.a', '1.b', '1a', '1.A',
  '1.123456789012345678901234567890', '1.123456789012345678901234567891', '1.99999999999999999999',
];

describe('versions: RPM version comparison against rpm', () => {
  it('compareRpmVersions agrees with rpm.vercmp on every pair of tricky versions (both orders)', function () {
    requireTools(this, 'rpm');
    const pairs: Pair[] = TRICKY_VERSIONS.flatMap((a) => TRICKY_VERSIONS.map((b) => [a, b] as Pair));
    const results = rpmVercmp(pairs);
    const wrong = pairs.flatMap(([a, b], k) => (compareRpmVersions(a, b) === results[k] ? [] : [`${a} vs ${b}: rpm ${results[k]}`]));
    assert.deepEqual(wrong, []);
  });

  it('orders ~ before the base version and ^ after it but before a further segment, as rpm does', function () {
    requireTools(this, 'rpm');
    const chain = ['1.0~~', '1.0~rc', '1.0', '1.0^', '1.0^a', '1.0.1'];
    const pairs: Pair[] = chain.slice(1).map((b, i) => [chain[i]!, b]);
    assert.deepEqual(rpmVercmp(pairs), pairs.map(() => -1));
    assert.deepEqual(pairs.map(([a, b]) => compareRpmVersions(a, b)), pairs.map(() => -1));
  });

  it('compareEVR(parseEVR) agrees with rpm.vercmp on epoch:version-release pairs', function () {
    requireTools(this, 'rpm');
    const evrs = ['1.0-1', '1.0', '0:1.0-1', '1:1.0-1', '1:0.1-1', '2:0-0', '1.0-1.el8', '1.0-1.el9', '1.0-1~rc', '1.0-10',
      '1.0-2', '1.0~rc.1-1', '1.0~rc.1-2', ':1.0-1', '1.0-1^post', '10:1'];
    const pairs: Pair[] = evrs.flatMap((a) => evrs.map((b) => [a, b] as Pair));
    const results = rpmVercmp(pairs);
    const wrong = pairs.flatMap(([a, b], k) => (compareEVR(parseEVR(a), parseEVR(b)) === results[k] ? [] : [`${a} vs ${b}: rpm ${results[k]}`]));
    assert.deepEqual(wrong, []);
  });

  it('parseEVR splits at the epoch colon and the last "-", and formatEVR writes it back', () => {
    assert.deepEqual(parseEVR('3:1.0~rc.1-2.el9'), { epoch: 3, version: '1.0~rc.1', release: '2.el9' });
    assert.deepEqual(parseEVR('1.0'), { version: '1.0' });
    assert.equal(formatEVR(parseEVR('3:1.0~rc.1-2.el9')), '3:1.0~rc.1-2.el9');
    assert.throws(() => parseEVR('1.0-1-2', 'requires'), (e: unknown) => e instanceof MkpkgError && e.code === 'E_VERSION_INVALID' && e.message.includes('"1.0-1"'));
  });
});

describe('versions: RPM Version/Release validation against rpmspec', () => {
  const VALUES = ['1.0', '1.0~rc.1', '1.0^git1', '1_0', '1+2', 'A.b', '1.0~rc+1', '1.0-1', '1..0', '1.0!', '1,0', '1.0/2', 'é', '1.0:2', '1.0@x'];

  for (const field of ['Version', 'Release'] as const) {
    it(`accepts exactly what rpmspec accepts as ${field}:`, function () {
      requireTools(this, 'rpmspec');
      const rpm = rpmspecAccepts(VALUES, field);
      const ours = VALUES.map(accepts((v) => validateRpmVersionPart(v, field)));
      assert.deepEqual(ours, rpm, VALUES.map((v, k) => `${v}: rpmspec ${rpm[k]}, ours ${ours[k]}`).join('\n'));
      assert.ok(rpm.includes(false) && rpm.includes(true));
    });
  }

  it('throws E_VERSION_INVALID naming the field and value for "-", whitespace and empty values', () => {
    const cases: Array<[string, RegExp]> = [['1.0-1', /separates version from release/], ['1 0', /whitespace/], ['', /empty/], ['1..0', /"\.\."/]];
    for (const [v, problem] of cases) {
      assert.throws(
        () => validateRpmVersionPart(v, 'overrides.rpm.release'),
        versionInvalid('overrides.rpm.release', v, (e) => problem.test(e.message) && typeof e.hint === 'string'),
        v,
      );
    }
  });
});
