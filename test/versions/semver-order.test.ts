/**
 * Every pair of a corpus of semver versions, mapped with mapSemver, compared by the real dpkg and
 * rpm, by our comparators, and by semver itself.
 */
import { strict as assert } from 'node:assert';
import semver from 'semver';
import {
  compareDebianVersions,
  compareEVR,
  compareRpmVersions,
  debianOrderDiffersFromSemver,
  isPortableSemver,
  mapSemver,
  rpmOrderDiffersFromSemver,
} from '../../src/versions/index.js';
import { requireTools } from '../support/tools.js';
import { EPOCH_VERSIONS, semverCorpus } from './corpus.js';
import { dpkgCompare, rpmspecAccepts, rpmVercmp, type Pair } from './real-tools.js';

interface Item {
  epoch: number;
  semver: string;
  upstream: string;
  deb: string;
  rpmEVR: string;
  portable: boolean;
}

const items: Item[] = [
  ...semverCorpus().map((v) => [0, v] as const),
  ...EPOCH_VERSIONS,
].map(([epoch, v]) => {
  const { upstream } = mapSemver(v);
  const e = epoch > 0 ? `${epoch}:` : '';
  return { epoch, semver: v, upstream, deb: `${e}${upstream}-1`, rpmEVR: `${e}${upstream}-1`, portable: isPortableSemver(v) };
});

const pairs: Array<readonly [Item, Item]> = [];
for (let i = 0; i < items.length; i++) for (let j = i; j < items.length; j++) pairs.push([items[i]!, items[j]!]);

const semverOrder = (a: Item, b: Item): number =>
  a.epoch !== b.epoch ? Math.sign(a.epoch - b.epoch) : semver.compare(a.semver, b.semver);
const label = (a: Item, b: Item): string => `${a.epoch}:${a.semver} vs ${b.epoch}:${b.semver}`;

describe('versions: semver mapping ordered by the real dpkg and rpm (all pairs)', function () {
  it('the corpus has at least 60 versions, all distinct', () => {
    assert.ok(items.length >= 60, `only ${items.length} versions`);
    assert.equal(new Set(items.map((i) => `${i.epoch}:${i.semver}`)).size, items.length);
  });

  describe('Debian', () => {
    let dpkg: { results: number[]; stderr: string };
    before(async function () {
      // Thousands of dpkg processes: about 30 s on a quiet machine, minutes on a loaded one.
      this.timeout(30 * 60_000);
      requireTools(this, 'dpkg');
      dpkg = await dpkgCompare(pairs.map(([a, b]) => [a.deb, b.deb] as Pair));
    });

    it('dpkg accepts every mapped version without a syntax warning', () => {
      assert.equal(dpkg.stderr, '');
    });

    it('compareDebianVersions agrees with dpkg --compare-versions on every pair', () => {
      const wrong = pairs.filter(([a, b], k) => compareDebianVersions(a.deb, b.deb) !== dpkg.results[k]);
      assert.deepEqual(wrong.map(([a, b]) => `${a.deb} vs ${b.deb}`), []);
    });

    it('dpkg keeps semver order on every portable pair except exactly those debianOrderDiffersFromSemver flags', () => {
      const flagged: string[] = [];
      const mismatch: string[] = [];
      pairs.forEach(([a, b], k) => {
        if (!a.portable || !b.portable) return;
        const differs = dpkg.results[k] !== semverOrder(a, b);
        const predicted = a.epoch === b.epoch && debianOrderDiffersFromSemver(a.semver, b.semver);
        if (predicted) flagged.push(label(a, b));
        if (differs !== predicted) mismatch.push(`${label(a, b)}: dpkg ${dpkg.results[k]}, semver ${semverOrder(a, b)}`);
      });
      assert.deepEqual(mismatch, []);
      assert.ok(flagged.includes('0:1.0.0-alpha.1 vs 0:1.0.0-alphabeta'), flagged.join('\n'));
      assert.ok(flagged.includes('0:1.0.0-alpha.beta.1 vs 0:1.0.0-alphabeta'), flagged.join('\n'));
    });

    it('dpkg departs from semver on identifiers mixing digits and letters (the W_VERSION_PRERELEASE_ORDER case)', () => {
      const find = (v: string): number => items.findIndex((i) => i.epoch === 0 && i.semver === v);
      const k = pairs.findIndex(([a, b]) => a === items[find('1.0.0-beta2')] && b === items[find('1.0.0-beta10')]);
      assert.ok(k >= 0);
      assert.equal(semver.compare('1.0.0-beta2', '1.0.0-beta10'), 1);
      assert.equal(dpkg.results[k], -1);
      assert.ok(mapSemver('1.0.0-beta2').warnings.some((w) => w.code === 'W_VERSION_PRERELEASE_ORDER'));
    });
  });

  describe('RPM', () => {
    let evr: number[];
    let bare: number[];
    before(function () {
      this.timeout(30 * 60_000);
      requireTools(this, 'rpm');
      evr = rpmVercmp(pairs.map(([a, b]) => [a.rpmEVR, b.rpmEVR] as Pair));
      bare = rpmVercmp(pairs.map(([a, b]) => [a.upstream, b.upstream] as Pair));
    });

    it('rpmspec accepts every mapped version as Version:', function () {
      requireTools(this, 'rpmspec');
      const ups = [...new Set(items.map((i) => i.upstream))];
      const ok = rpmspecAccepts(ups, 'Version');
      assert.deepEqual(ups.filter((_, k) => !ok[k]), []);
    });

    it('compareRpmVersions agrees with rpm.vercmp on every pair of mapped versions', () => {
      const wrong = pairs.filter(([a, b], k) => compareRpmVersions(a.upstream, b.upstream) !== bare[k]);
      assert.deepEqual(wrong.map(([a, b]) => `${a.upstream} vs ${b.upstream}`), []);
    });

    it('compareEVR agrees with rpm.vercmp on every pair of epoch:version-release', () => {
      const wrong = pairs.filter(
        ([a, b], k) =>
          compareEVR({ epoch: a.epoch, version: a.upstream, release: '1' }, { epoch: b.epoch, version: b.upstream, release: '1' }) !==
          evr[k],
      );
      assert.deepEqual(wrong.map(([a, b]) => `${a.rpmEVR} vs ${b.rpmEVR}`), []);
    });

    it('rpm keeps semver order on every portable pair except exactly those rpmOrderDiffersFromSemver flags', () => {
      const flagged: string[] = [];
      const mismatch: string[] = [];
      pairs.forEach(([a, b], k) => {
        if (!a.portable || !b.portable) return;
        const differs = evr[k] !== semverOrder(a, b);
        const predicted = a.epoch === b.epoch && rpmOrderDiffersFromSemver(a.semver, b.semver);
        if (predicted) flagged.push(label(a, b));
        if (differs !== predicted) mismatch.push(`${label(a, b)}: rpm ${evr[k]}, semver ${semverOrder(a, b)}`);
      });
      assert.deepEqual(mismatch, []);
      for (const expected of ['0:1.0.0-alpha.1 vs 0:1.0.0-alpha.beta', '0:1.0.0-1 vs 0:1.0.0-rc', '0:1.0.0-1.alpha vs 0:1.0.0-alpha']) {
        assert.ok(flagged.includes(expected), `${expected} not flagged`);
      }
    });

    it('rpm ties versions that differ only in identifier boundaries or hyphens (no portable version does)', () => {
      const ties = pairs.filter(([a, b], k) => evr[k] === 0 && a !== b).map(([a, b]) => `${a.semver} = ${b.semver}`);
      assert.ok(ties.includes('1.0.0-rc.1 = 1.0.0-rc1'), ties.join('\n'));
      assert.ok(ties.includes('1.0.0-x.y = 1.0.0-x-y'), ties.join('\n'));
      const portableTies = pairs.filter(([a, b], k) => evr[k] === 0 && a !== b && a.portable && b.portable && semverOrder(a, b) !== 0);
      assert.deepEqual(portableTies.map(([a, b]) => label(a, b)), []);
    });
  });
});
