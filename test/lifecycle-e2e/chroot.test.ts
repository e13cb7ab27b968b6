/**
 * Issue 4, "installing into a chroot without systemd running succeeds and the unit is enabled for
 * the next boot": install into an overlay of the rootfs with `chroot` (no systemd as PID 1, no
 * /run/systemd/system), check the enablement symlink, then boot that very tree and see the service run.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { bootContainer, type Container } from '../../src/verify/index.js';
import { sharedRootfs } from '../support/rootfs.js';
import { onExitCleanup } from '../../src/proc/exit.js';
import { removeTreeSync, unmountAllSync } from '../../src/verify/mounts.js';
import { run, runOk } from '../../src/verify/proc.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { assertPortFree, assertServing, PORT, UNIT } from './support/flow.js';
import { packages } from './support/packages.js';

const WANTS = `etc/systemd/system/multi-user.target.wants/${UNIT}`;

/** An overlay of the rootfs on the host, with /proc mounted: a chroot, not a booted system. */
class Chroot {
  readonly dir = mkdtempSync(join(tmpdir(), 'mkpkg-chroot-'));
  readonly merged = join(this.dir, 'merged');
  private readonly unregister = onExitCleanup(() => this.dispose());

  async mount(rootfs: string): Promise<void> {
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(this.dir, d));
    await runOk('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${rootfs},upperdir=${join(this.dir, 'upper')},workdir=${join(this.dir, 'work')}`, this.merged]);
    await runOk('mount', ['-t', 'proc', 'proc', join(this.merged, 'proc')]);
  }

  /** Run a command chrooted, with a clean environment. */
  exec(argv: string[]) {
    return run('chroot', [this.merged, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8', 'DEBIAN_FRONTEND=noninteractive', ...argv]);
  }

  copyIn(hostPath: string): string {
    const inside = `/var/tmp/${basename(hostPath)}`;
    copyFileSync(hostPath, join(this.merged, inside));
    return inside;
  }

  /** Unmount /proc only: the merged tree stays mounted so it can be the lower layer of a booted container. */
  async unmountProc(): Promise<void> {
    await runOk('umount', [join(this.merged, 'proc')]);
  }

  dispose(): void {
    unmountAllSync(this.merged);
    removeTreeSync(this.dir);
    this.unregister();
  }
}

for (const kind of ['deb', 'rpm'] as const) {
  describe(`chroot install (.${kind}, systemd not running), then boot`, function () {
    this.timeout(900_000);
    let rootfs: string;
    let ch: Chroot | undefined;
    let c: Container | undefined;
    let installed = false;
    before(async function () {
      this.timeout(10 * 60_000);
      requireRoot(this);
      requireTools(this, 'systemd-nspawn', 'debootstrap', 'nsenter', 'chroot');
      await assertPortFree(PORT);
      rootfs = await sharedRootfs();
    });
    after(async () => {
      await c?.stop();
      ch?.dispose();
    });

    const how = kind === 'deb' ? 'chroot dpkg -i' : 'chroot rpm -i --nodeps';
    it(`${how} exits 0 without a running systemd and creates the /${WANTS} symlink and the user`, async () => {
      const pkgs = await packages();
      ch = new Chroot();
      await ch.mount(rootfs);
      assert.ok(!existsSync(join(ch.merged, 'run/systemd/system')), 'no running systemd in the chroot');
      const pkg = ch.copyIn(pkgs.hello['1.0.0'][kind]);
      // --nodeps: the Debian rootfs's rpm database is empty (see the rpm-rpm flow).
      const r = await ch.exec(kind === 'deb' ? ['dpkg', '-i', pkg] : ['rpm', '-i', '--nodeps', pkg]);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.ok(lstatSync(join(ch.merged, WANTS)).isSymbolicLink(), `${WANTS} is a symlink`);
      assert.match(readlinkSync(join(ch.merged, WANTS)), /\/hello-service\.service$/);
      assert.equal((await ch.exec(['getent', 'passwd', 'hello-service'])).code, 0, 'the service user was created');
      if (kind === 'deb') {
        assert.match((await ch.exec(['dpkg-query', '-W', '-f', '${Status}', 'hello-service'])).stdout, /^install ok installed$/);
      }
      installed = true;
    });

    it('booting that tree starts the service: active, enabled, answers 1.0.0', async function () {
      if (!installed || !ch) {
        console.log('      skipped: the chroot install step failed');
        this.skip();
      }
      await ch!.unmountProc();
      c = await bootContainer({ rootfs: ch!.merged, name: `e2e-chroot-${kind}` });
      const st = await assertServing(c, '1.0.0');
      assert.equal(st.enabled, 'enabled');
    });
  });
}
