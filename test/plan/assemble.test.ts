import { strict as assert } from 'node:assert';
import { assemblePlan, extendPlan, type Assembled } from '../../src/plan/assemble.js';
import type { Sourced, Strength } from '../../src/plan/contents.js';
import type { PlanEntry } from '../../src/plan/types.js';
import { MkpkgError } from '../../src/errors.js';
// @ts-expect-error: the bench helpers are plain JavaScript without declarations.
import { prng as mulberry32 } from '../../bench/tree.mjs';

/** A seeded PRNG, so a failing case can be replayed. */
const prng = mulberry32 as (seed: number) => () => number;

const SDE = 1_000;

/** Random claims on paths of a small tree, so that merges, collisions, parents and hardlinks all happen. */
function claims(rand: () => number, n: number, tag: string): Sourced[] {
  const seg = () => ['a', 'b', 'c', 'd'][Math.floor(rand() * 4)];
  const out: Sourced[] = [];
  for (let i = 0; i < n; i++) {
    const path = `/${Array.from({ length: 1 + Math.floor(rand() * 3) }, seg).join('/')}`;
    const base = { path, owner: rand() < 0.8 ? 'root' : 'app', group: 'root', mtime: rand() < 0.5 ? SDE - 5 : SDE + 5, flags: {} };
    const r = rand();
    const entry: PlanEntry = r < 0.45 ? { ...base, kind: 'dir', mode: rand() < 0.8 ? 0o755 : 0o750 }
      : r < 0.75 ? { ...base, kind: 'data', data: tag, mode: 0o644 }
      : r < 0.9 ? { ...base, kind: 'symlink', target: 'x', mode: 0o777 }
      : { ...base, kind: 'hardlink', target: `/${seg()}`, mode: 0o644 };
    const strength: Strength = entry.kind === 'dir' && rand() < 0.5 ? 'weak' : 'explicit';
    out.push({ entry, origin: `${tag}[${i}]`, strength });
  }
  return out;
}

type Outcome = { entries: PlanEntry[]; origins: (string | undefined)[] } | { code: string; message: string };

function outcome(f: () => Assembled): Outcome {
  try {
    const a = f();
    return { entries: a.entries, origins: a.entries.map((e) => a.origins.get(e.path)) };
  } catch (e) {
    if (!(e instanceof MkpkgError)) throw e;
    return { code: e.code, message: e.message };
  }
}

describe('plan/assemble extendPlan', () => {
  it('gives exactly what assembling everything at once gives: entries, origins, and the same error for a collision', () => {
    let fast = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rand = prng(seed);
      const items = claims(rand, 1 + Math.floor(rand() * 8), 'base');
      const extra = claims(rand, Math.floor(rand() * 4), 'extra');
      let base: Assembled;
      try {
        base = assemblePlan(items, SDE);
      } catch {
        continue; // extending needs a base that assembles
      }
      const want = outcome(() => assemblePlan([...items, ...extra], SDE));
      const got = outcome(() => extendPlan(base, items, extra, SDE));
      assert.deepEqual(got, want, `seed ${seed}`);
      const own = new Set(base.entries.map((e) => e.path));
      const paths = extra.map((s) => s.entry.path);
      if ('entries' in got && extra.length > 0 && new Set(paths).size === paths.length && !paths.some((x) => own.has(x))) fast++;
    }
    assert.ok(fast > 20, `cases where every extra entry claims a new path are covered (${fast})`);
  });

  it('adds new entries and their missing parents into the sorted base, keeping the base entries as they are', () => {
    const items: Sourced[] = [{ entry: { kind: 'data', path: '/usr/lib/app/a.js', data: 'a', mode: 0o644, owner: 'root', group: 'root', mtime: SDE, flags: {} }, origin: 'contents[0]', strength: 'explicit' }];
    const base = assemblePlan(items, SDE);
    const unit: Sourced = { entry: { kind: 'data', path: '/usr/lib/systemd/system/app.service', data: '[Unit]\n', mode: 0o644, owner: 'root', group: 'root', mtime: SDE + 9, flags: {} }, origin: 'generated[0]', strength: 'explicit' };
    const r = extendPlan(base, items, [unit], SDE);
    assert.deepEqual(r.entries.map((e) => [e.path, e.mtime]), [
      ['/usr', SDE], ['/usr/lib', SDE], ['/usr/lib/app', SDE], ['/usr/lib/app/a.js', SDE],
      ['/usr/lib/systemd', SDE], ['/usr/lib/systemd/system', SDE], ['/usr/lib/systemd/system/app.service', SDE],
    ]);
    assert.equal(r.entries[3], base.entries[3], 'a base entry is not copied');
    assert.equal(r.origins.get('/usr/lib/systemd'), 'the parent directory of /usr/lib/systemd/system/app.service');
    assert.equal(r.origins.get('/usr/lib/app/a.js'), 'contents[0]');
  });
});
