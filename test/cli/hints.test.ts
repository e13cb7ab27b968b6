/**
 * Errors that used to reach the user without a hint, or from the file system instead of the plan
 * (issue 10 item 10): each is now a coded error with a `hint:` line, raised before anything is written.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { CLI, SDE, assertError, ensureBuilt, listDir, mkpkg } from './helpers.js';

/** A config-only project: mkpkg.config.json = a small base ∪ `config`, plus `files`. */
function project(config: Record<string, unknown>, files: Record<string, string | Buffer> = { 'a.txt': 'a\n' }): string {
  const dir = scratch('mkpkg-hints-');
  const base = { name: 'hints', version: '1.0.0', maintainer: 'A <a@example.org>', summary: 's', description: 'd', license: 'MIT', app: false, contents: [{ src: 'a.txt', dst: '/usr/share/hints/a.txt' }] };
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({ ...base, ...config }));
  for (const [rel, content] of Object.entries(files)) writeFileSync(join(dir, rel), content);
  return dir;
}

describe('cli: every error has a hint and a specific code', function () {
  this.timeout(180_000);

  it('a write failure that is not ENOSPC (EFBIG under a file size limit) is E_WRITE_FAILED with a hint', function () {
    requireTools(this, 'bash');
    ensureBuilt();
    const dir = project({ contents: [{ src: 'big.bin', dst: '/usr/share/hints/big.bin' }] }, { 'big.bin': randomBytes(300_000) });
    const out = scratch();
    const r = spawnSync('bash', ['-c', `ulimit -f 50; exec "${process.execPath}" "${CLI}" deb "${dir}" -o "${out}" --compression none`], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: SDE } });
    assertError({ status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }, 'E_WRITE_FAILED', 'EFBIG');
    assert.deepEqual(listDir(out), []);
  });

  it('a step or hook throwing a plain Error, or an MkpkgError without a hint, still prints a hint', () => {
    const step = scratch('mkpkg-hints-');
    writeFileSync(join(step, 'a.txt'), 'a\n');
    writeFileSync(join(step, 'mkpkg.config.mjs'), `export default {
  name: 'hints', version: '1.0.0', maintainer: 'A <a@example.org>', summary: 's', description: 'd', app: false,
  contents: [{ src: 'a.txt', dst: '/usr/share/hints/a.txt' }],
  pipeline: (steps, edit) => edit.insertBefore(steps, 'stage', { name: 'explode', run: () => { throw new Error('kaboom'); } }),
};\n`);
    assertError(mkpkg(['deb', step, '-o', scratch()]), 'E_STEP', 'kaboom');
    const hook = scratch('mkpkg-hints-');
    writeFileSync(join(hook, 'a.txt'), 'a\n');
    writeFileSync(join(hook, 'mkpkg.config.mjs'), `import { MkpkgError } from 'mkpkg';
export default {
  name: 'hints', version: '1.0.0', maintainer: 'A <a@example.org>', summary: 's', description: 'd', app: false,
  contents: [{ src: 'a.txt', dst: '/usr/share/hints/a.txt' }],
  hooks: { beforePackage: () => { throw new MkpkgError('E_HOOK', 'refused by policy'); } },
};\n`);
    assertError(mkpkg(['deb', hook, '-o', scratch()]), 'E_HOOK', 'refused by policy');
  });

  it('an overlong file name or path is E_PLAN_INVALID at plan time (deb, rpm and stage), naming the path', () => {
    const long = 'n'.repeat(300);
    for (const args of [['build'], ['stage', '--format', 'rpm']]) {
      const out = scratch();
      const dir = project({ contents: [{ src: 'a.txt', dst: `/usr/share/hints/${long}` }] });
      assertError(mkpkg([...args, dir, '-o', out]), 'E_PLAN_INVALID', `/usr/share/hints/${long}`, '300 bytes');
      assert.deepEqual(listDir(out), []);
    }
    const deep = `/usr/share/hints/${Array.from({ length: 30 }, () => 'd'.repeat(150)).join('/')}/f`;
    assertError(mkpkg(['deb', project({ contents: [{ src: 'a.txt', dst: deep }] }), '-o', scratch()]), 'E_PLAN_INVALID', 'more than the 4095');
  });

  it('a file name with a control character met in a copied tree is E_PLAN_INVALID naming it', () => {
    const dir = project({ contents: [{ src: 'tree', dst: '/usr/share/hints' }] }, {});
    mkdirSync(join(dir, 'tree'));
    writeFileSync(join(dir, 'tree', 'bad\u001bname'), 'x');
    assertError(mkpkg(['deb', dir, '-o', scratch()]), 'E_PLAN_INVALID', '/usr/share/hints/bad\\u001bname', 'U+001B (ESC)');
  });

  it('a package name too long for a file name is E_METADATA_INVALID, not a write failure', () => {
    const out = scratch();
    assertError(mkpkg(['build', project({ name: `x${'a'.repeat(240)}` }), '-o', out]), 'E_METADATA_INVALID', 'package file name');
    assert.deepEqual(listDir(out), []);
  });
});
