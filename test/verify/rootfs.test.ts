import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { ensureRootfs, rootfsKey } from '../../src/verify/index.js';
import { withLock } from '../../src/verify/lock.js';
import { scratch } from '../support/tmp.js';
import { requireRoot, requireTools } from '../support/tools.js';

describe('verify: rootfs cache', () => {
  it('keys the cache by suite and package set, independent of order and duplicates', () => {
    assert.equal(rootfsKey('bookworm', ['b', 'a']), rootfsKey('bookworm', ['a', 'b', 'a']));
    assert.notEqual(rootfsKey('bookworm', []), rootfsKey('bookworm', ['htop']));
    assert.match(rootfsKey('bookworm'), /^bookworm-[0-9a-f]{16}$/);
  });

  it('a failed build (unreachable mirror) throws E_VERIFY_UNAVAILABLE naming the mirror and leaves no rootfs, temp dir or lock', async function () {
    requireRoot(this);
    requireTools(this, 'debootstrap', 'systemd-nspawn', 'nsenter');
    const cacheDir = scratch();
    const opts = { cacheDir, extraPackages: ['hello'], mirror: 'http://127.0.0.1:9/debian' };
    const a = ensureRootfs(opts);
    const b = ensureRootfs(opts);
    assert.equal(a, b, 'concurrent callers in one process share one build');
    await assert.rejects(a, (e: unknown) => {
      assert.ok(e instanceof MkpkgError);
      assert.equal(e.code, 'E_VERIFY_UNAVAILABLE');
      assert.match(e.message, /debootstrap of bookworm from http:\/\/127\.0\.0\.1:9\/debian failed/);
      assert.match(e.hint ?? '', /mirror/);
      return true;
    });
    assert.deepEqual(readdirSync(join(cacheDir, 'rootfs')), []);
  });

  it('an existing complete rootfs directory is returned without building', async () => {
    const cacheDir = scratch();
    const dir = join(cacheDir, 'rootfs', rootfsKey('bookworm'));
    mkdirSync(dir, { recursive: true });
    assert.equal(await ensureRootfs({ cacheDir }), dir);
  });
});

describe('verify: build lock', () => {
  it('serialises holders of the same lock', async () => {
    const lock = join(scratch(), 'x.lock');
    const log: string[] = [];
    const hold = (id: string) => withLock(lock, async () => {
      log.push(`${id}+`);
      await new Promise((r) => setTimeout(r, 300));
      log.push(`${id}-`);
    });
    await Promise.all([hold('a'), hold('b')]);
    assert.ok(log.join() === 'a+,a-,b+,b-' || log.join() === 'b+,b-,a+,a-', log.join());
    assert.equal(existsSync(lock), false);
  });

  it('breaks a lock whose owner process is dead', async () => {
    const lock = join(scratch(), 'y.lock');
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), `${dead}\n`);
    const t0 = Date.now();
    assert.equal(await withLock(lock, async () => 'got it', 5_000), 'got it');
    assert.ok(Date.now() - t0 < 3_000);
  });

  it('times out with E_VERIFY_UNAVAILABLE while a live process holds the lock', async () => {
    const lock = join(scratch(), 'z.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), `${process.ppid}\n`);
    await assert.rejects(withLock(lock, async () => 'never', 1_200), (e: unknown) => e instanceof MkpkgError && e.code === 'E_VERIFY_UNAVAILABLE' && e.message.includes(lock));
  });
});
