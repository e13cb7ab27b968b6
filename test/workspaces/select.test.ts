/** Selecting workspaces by name/glob and by changes since a git ref (a real git repository). */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { discoverWorkspaces, type Workspace } from '../../src/workspaces/discover.js';
import { changedSince } from '../../src/workspaces/git.js';
import { selectSince, selectWorkspaces } from '../../src/workspaces/select.js';
import { requireTools } from '../support/tools.js';
import { MONOREPO, monorepoCopy, sh } from './support.js';

const ws = (name: string, rel: string, deps: Record<string, string> = {}): Workspace => ({ name, version: '1.0.0', dir: `/r/${rel}`, rel, workspaceDeps: deps, packageJson: { name, version: '1.0.0' } });
const LIB = ws('@acme/lib', 'packages/lib');
const API = ws('api', 'packages/api', { '@acme/lib': '^1.0.0' });
const WEB = ws('web', 'packages/web', { '@acme/lib': '1.0.0' });
const ADMIN = ws('admin', 'apps/admin', { api: '*' });
const ALL = [ADMIN, API, LIB, WEB];

describe('workspaces: selection', () => {
  it('discovers the fixture\'s workspaces with their runtime dependencies on each other', async () => {
    const root = await discoverWorkspaces(MONOREPO);
    assert.deepEqual(root.workspaces.map((w) => [w.name, w.rel, w.workspaceDeps]), [
      ['acme-api', 'packages/api', { '@acme/greeting': '^1.0.0' }],
      ['@acme/greeting', 'packages/greeting', {}],
      ['acme-web', 'packages/web', { '@acme/greeting': '1.0.0' }],
    ]);
  });

  it('selects by npm name, directory or glob; a pattern matching nothing is E_WORKSPACE listing the workspaces', () => {
    assert.deepEqual(selectWorkspaces(ALL, true), ALL);
    assert.deepEqual(selectWorkspaces(ALL, ['api', 'packages/lib/']), [API, LIB]);
    assert.deepEqual(selectWorkspaces(ALL, ['packages/*']), [API, LIB, WEB]);
    assert.deepEqual(selectWorkspaces(ALL, ['@acme/*']), [LIB]);
    assert.throws(() => selectWorkspaces(ALL, ['api', 'nope']), (e: unknown) => e instanceof MkpkgError && e.code === 'E_WORKSPACE' && /"nope" matches no workspace/.test(e.message) && /admin \(apps\/admin\)/.test(e.hint ?? ''));
  });

  it('--since: changed workspaces, then their dependents transitively, each with its reason; root files select nothing', () => {
    const s = selectSince(ALL, ALL, ['packages/lib/index.js', 'packages/lib/README.md', 'package-lock.json', 'packages/libx/a.js']);
    assert.deepEqual(s.build.map((b) => `${b.workspace.name}: ${b.reason}`), [
      'admin: depends on api',
      'api: depends on @acme/lib',
      '@acme/lib: changed files packages/lib/README.md, packages/lib/index.js',
      'web: depends on @acme/lib',
    ]);
    assert.deepEqual(s.outside, ['package-lock.json', 'packages/libx/a.js']);
    assert.deepEqual(selectSince(ALL, ALL, ['packages/web/server.js']).build.map((b) => b.workspace.name), ['web']);
    // Only the candidates are built, but dependencies are followed through every workspace.
    assert.deepEqual(selectSince(ALL, [ADMIN], ['packages/lib/index.js']).build.map((b) => `${b.workspace.name}: ${b.reason}`), ['admin: depends on api']);
    assert.deepEqual(selectSince(ALL, ALL, []).build, []);
  });
});

describe('workspaces: files changed since a git ref', function () {
  this.timeout(60_000);
  before(function () { requireTools(this, 'git'); });

  it('counts committed, staged, unstaged and untracked (not ignored) changes, both sides of a rename, relative to the root', async () => {
    const dir = monorepoCopy();
    const git = (...a: string[]) => sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], dir);
    writeFileSync(join(dir, 'packages/api/server.js'), '// committed change\n');
    git('commit', '-qam', 'api');
    git('mv', 'packages/greeting/index.js', 'packages/web/moved.js');
    writeFileSync(join(dir, 'packages/web/server.js'), '// unstaged change\n');
    mkdirSync(join(dir, 'packages/web/new'));
    writeFileSync(join(dir, 'packages/web/new/file.js'), '// untracked\n');
    mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/x/ignored.js'), '// ignored by .gitignore\n');
    assert.deepEqual(await changedSince(dir, 'v1'), [
      'packages/api/server.js', 'packages/greeting/index.js', 'packages/web/moved.js', 'packages/web/new/file.js', 'packages/web/server.js',
    ]);
    assert.deepEqual(await changedSince(dir, 'HEAD'), ['packages/greeting/index.js', 'packages/web/moved.js', 'packages/web/new/file.js', 'packages/web/server.js']);
  });

  it('a ref that names no commit, an option-like ref, or a directory outside git is E_GIT', async () => {
    const dir = monorepoCopy();
    await assert.rejects(changedSince(dir, 'no-such-branch'), (e: unknown) => e instanceof MkpkgError && e.code === 'E_GIT' && /"no-such-branch" does not name a commit/.test(e.message));
    await assert.rejects(changedSince(dir, '--output=/tmp/x'), { code: 'E_GIT' });
    const bare = join(dir, '..', 'not-git');
    mkdirSync(bare);
    await assert.rejects(changedSince(bare, 'HEAD'), { code: 'E_GIT' });
  });
});
