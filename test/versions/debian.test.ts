import { strict as assert } from 'node:assert';
import { compareDebianVersions, formatDebianVersion, parseDebianVersion } from '../../src/versions/index.js';
import { accepts, versionInvalid } from './expect.js';
import { requireTools } from '../support/tools.js';
import { dpkgAcceptsSyntax, dpkgCompare, type Pair } from './real-tools.js';

/** Strings chosen for the corners of dpkg's algorithm. */
const TRICKY = [
  '1.0~~', '1.0~~a', '1.0~', '1.0', '1.0A', '1.0a', '1.0+', '1.0.', '1.0.0', '1.0-0', '1.0-1', '1.0-~', '1.0-1~1',
  '0:1.0', '1:0.1', '1:1.0', '2:0', '10:0', '9:9.9',
  '1.01', '1.1', '1.001-0', '1.10', '1.9', '01.1', '1.00000000000000000000000000009', '1.99999999999999999999',
  '1.100000000000000000000', '1.0+dfsg-1', '1.0+dfsg1-1', '1.0~rc1-1', '1.0~rc1+b1-1', '1.0-beta-2', '1.0-beta-10',
  '1:2:3', '1:2:3-4', '1.2.3~rc.1-1', '1.2.3~rc.10-1', '1.2.3~~rc-1', '1.2.3~rc+1-1', 'z', '1a', '1Z', '1+a', '1.a',
];

describe('versions: Debian version comparison against dpkg', () => {
  it('agrees with dpkg --compare-versions on every pair of tricky versions (both orders)', async function () {
    requireTools(this, 'dpkg');
    const accepted = dpkgAcceptsSyntax(TRICKY);
    const valid = TRICKY.filter((_, k) => accepted[k]);
    assert.deepEqual(TRICKY.filter((v) => !valid.includes(v)), ['z'], 'only "z" (no leading digit) is invalid here');
    const pairs: Pair[] = valid.flatMap((a) => valid.map((b) => [a, b] as Pair));
    const { results } = await dpkgCompare(pairs);
    const wrong = pairs.flatMap(([a, b], k) => (compareDebianVersions(a, b) === results[k] ? [] : [`${a} vs ${b}: dpkg ${results[k]}`]));
    assert.deepEqual(wrong, []);
  });

  it('orders ~~ < ~~a < ~ < end < A < a < + < . after an equal prefix, as dpkg does', async function () {
    requireTools(this, 'dpkg');
    const chain = ['1~~', '1~~a', '1~', '1', '1A', '1a', '1+', '1.'];
    const pairs: Pair[] = chain.slice(1).map((b, i) => [chain[i]!, b]);
    const { results } = await dpkgCompare(pairs);
    assert.deepEqual(results, pairs.map(() => -1));
    assert.deepEqual(pairs.map(([a, b]) => compareDebianVersions(a, b)), results);
  });

  it('treats a missing epoch as 0, a missing revision like "0", and leading zeros as insignificant (dpkg: eq)', async function () {
    requireTools(this, 'dpkg');
    const pairs: Pair[] = [['0:1.0', '1.0'], ['1.0', '1.0-0'], ['1.01', '1.1'], ['1.0-01', '1.0-1'], ['1:1.0', '01:1.0']];
    const { results } = await dpkgCompare(pairs);
    assert.deepEqual(results, [0, 0, 0, 0, 0]);
    assert.deepEqual(pairs.map(([a, b]) => compareDebianVersions(a, b)), results);
  });
});

describe('versions: Debian version syntax', () => {
  const VALID = ['1.0', '0:1.0', '1:2:3', '1.0-1-2', '1.0~-1', '1.0-~', '1.0+dfsg-0+deb12u1', '2147483647:1'];
  const INVALID = ['a1.0', '1.0-', '1:', ':1.0', 'x:1.0', '1.0_1', '1.0-a_b', '1.0:2', '-1', '2147483648:1', '1.0-1.ä', '1.0/2'];

  it('accepts exactly what dpkg accepts without a syntax warning', function () {
    requireTools(this, 'dpkg');
    const all = [...VALID, ...INVALID];
    const dpkg = dpkgAcceptsSyntax(all);
    const ours = all.map(accepts((v) => parseDebianVersion(v)));
    assert.deepEqual(ours, dpkg, all.map((v, k) => `${v}: dpkg ${dpkg[k]}, ours ${ours[k]}`).join('\n'));
    assert.deepEqual(dpkg, all.map((v) => VALID.includes(v)));
  });

  it('splits the epoch at the first ":" and the revision at the last "-"', () => {
    assert.deepEqual(parseDebianVersion('3:1:2-beta-4'), { epoch: 3, upstream: '1:2-beta', revision: '4' });
    assert.deepEqual(parseDebianVersion('1.0'), { epoch: 0, upstream: '1.0' });
  });

  it('throws E_VERSION_INVALID naming the field, the value and the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['1.0 1', /whitespace/],
      ['a1.0', /does not start with a digit/],
      ['x:1.0', /epoch "x"/],
      ['1.0-', /revision .* is empty/],
      ['1.0_1', /character "_"/],
    ];
    for (const [v, problem] of cases) {
      assert.throws(
        () => parseDebianVersion(v, 'overrides.deb.version'),
        versionInvalid('overrides.deb.version', v, (e) => problem.test(e.message) && typeof e.hint === 'string'),
        v,
      );
    }
  });

  it('formats versions so that they parse back to the same parts', () => {
    const parts = [
      { upstream: '1.0' },
      { epoch: 2, upstream: '1.0', revision: '3' },
      { epoch: 0, upstream: '1:2', revision: '1' },
      { upstream: '1.0-beta', revision: '1' },
    ];
    const formatted = parts.map((p) => formatDebianVersion(p));
    assert.deepEqual(formatted, ['1.0', '2:1.0-3', '0:1:2-1', '1.0-beta-1']);
    formatted.forEach((s, k) => {
      const back = parseDebianVersion(s);
      assert.equal(back.epoch, parts[k]!.epoch ?? 0);
      assert.equal(back.upstream, parts[k]!.upstream);
      assert.equal(back.revision, parts[k]!.revision);
    });
  });

  it('refuses to format an upstream version with "-" but no revision, or a bad revision', () => {
    assert.throws(() => formatDebianVersion({ upstream: '1.0-2' }), { code: 'E_VERSION_INVALID' });
    assert.throws(() => formatDebianVersion({ upstream: '1.0', revision: 'a_b' }), { code: 'E_VERSION_INVALID' });
    assert.throws(() => formatDebianVersion({ epoch: -1, upstream: '1.0' }), { code: 'E_VERSION_INVALID' });
  });
});
