/** A workspace's npm range on another workspace → package relations (rendered by the real resolvers in cli.test.ts). */
import { strict as assert } from 'node:assert';
import { dependencyRelations, type DependencyTarget } from '../../src/workspaces/constraints.js';
import { MkpkgError } from '../../src/errors.js';

const lib = (over: Partial<DependencyTarget> = {}): DependencyTarget => ({
  npmName: '@acme/lib', npmVersion: '1.4.2', packageName: 'acme-lib', upstream: '1.4.2', full: '1.4.2-3', ...over,
});

describe('workspaces: dependency constraints from npm ranges', () => {
  it('an exact version pins the package built from it, with its revision/release', () => {
    assert.deepEqual(dependencyRelations('api', '1.4.2', lib()), ['acme-lib (= 1.4.2-3)']);
    assert.deepEqual(dependencyRelations('api', '=1.4.2', lib({ full: '2:1.4.2-3' })), ['acme-lib (= 2:1.4.2-3)']);
  });

  it('a caret or tilde range becomes both bounds; semver\'s "<X-0" becomes "<< X~" (below every prerelease of X)', () => {
    assert.deepEqual(dependencyRelations('api', '^1.2.0', lib()), ['acme-lib (>= 1.2.0)', 'acme-lib (<< 2.0.0~)']);
    assert.deepEqual(dependencyRelations('api', '~1.4', lib()), ['acme-lib (>= 1.4.0)', 'acme-lib (<< 1.5.0~)']);
    assert.deepEqual(dependencyRelations('api', '>1.0.0 <=1.5.0', lib()), ['acme-lib (>> 1.0.0)', 'acme-lib (<= 1.5.0)']);
  });

  it('a prerelease bound is mapped like a version (1.4.0-rc.1 → 1.4.0~rc.1)', () => {
    assert.deepEqual(dependencyRelations('api', '>=1.4.0-rc.1', lib()), ['acme-lib (>= 1.4.0~rc.1)']);
  });

  it('a union keeps its lowest version as the lower bound only', () => {
    assert.deepEqual(dependencyRelations('api', '0.9.x || ^1.0.0', lib()), ['acme-lib (>= 0.9.0)']);
  });

  it('any version (*, x, "", latest, file:) → the version in the tree as the lower bound', () => {
    for (const spec of ['*', 'x', '', 'latest', 'file:../lib']) assert.deepEqual(dependencyRelations('api', spec, lib({ upstream: '1.4.2' })), ['acme-lib (>= 1.4.2)'], spec);
  });

  it('a range the workspace version does not satisfy is E_WORKSPACE_DEPENDENCY naming both sides', () => {
    assert.throws(() => dependencyRelations('api', '^2.0.0', lib()), (e: unknown) => {
      assert.ok(e instanceof MkpkgError);
      assert.equal(e.code, 'E_WORKSPACE_DEPENDENCY');
      assert.match(e.message, /api depends on @acme\/lib@"\^2\.0\.0".*version 1\.4\.2/);
      assert.match(e.hint ?? '', /\^1\.4\.2/);
      return true;
    });
    assert.throws(() => dependencyRelations('api', 'github:acme/lib', lib()), { code: 'E_WORKSPACE_DEPENDENCY' });
  });
});
