/**
 * The launcher, boot hooks and runtime configuration in a booted systemd: packages built with the
 * real CLI from a scratch copy of fixtures/hello-service, installed with dpkg and rpm, judged by
 * systemctl, journalctl and the files on the machine. Two containers, used one after the other.
 */
import { strict as assert } from 'node:assert';
import { bootContainer, installDeb, installRpm, type Container } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { freePortSync, testRootfs } from '../verify/fixtures.js';
import { NAME, buildPackage, writeProject } from './project.js';
import { ensureBuilt } from '../support/dist.js';

const UNIT = `${NAME}.service`;
const RENDERED = `/run/${NAME}/app.env`;

async function active(c: Container): Promise<boolean> {
  return c.waitFor(async () => (await c.unitState(UNIT)).active === 'active', 15_000);
}

/** The service's answer, once it listens (active means exec'd for Type=exec, not yet listening). */
async function answer(c: Container, port: number): Promise<string> {
  let body = '';
  await c.waitFor(async () => (body = await c.httpGet(port, '/').catch(() => '')) !== '', 15_000);
  return body;
}

async function mainPid(c: Container): Promise<number> {
  return (await c.unitState(UNIT)).mainPid;
}

describe('launcher, boot hooks and runtime config in a booted container', function () {
  this.timeout(900_000);
  let rootfs: string;
  const pkgs: Record<string, string> = {};
  const port = freePortSync();

  before(async function () {
    rootfs = await testRootfs(this);
    requireTools(this, 'rpm');
    ensureBuilt();
    const dir = writeProject(port);
    const out = scratch('mkpkg-rt-out-');
    for (const format of ['deb', 'rpm'] as const) {
      pkgs[`${format}1`] = buildPackage(dir, format, '1.0.0', out);
      pkgs[`${format}2`] = buildPackage(dir, format, '1.1.0', out);
    }
  });

  it('.deb on host "alpha": renders at start, follows the EnvironmentFile, a failing admin pre-start hook stops the start, upgrade hooks run around the restart', async () => {
    let c: Container | undefined;
    try {
      c = await bootContainer({ rootfs, name: 'rt-alpha', hostname: 'alpha' });
      await installDeb(c, pkgs.deb1);
      assert.ok(await active(c), `${UNIT} is not active after install`);
      const cpus = (await c.execOk(['nproc'])).stdout.trim();
      assert.equal(await c.readFile(RENDERED), `NODE_NAME=alpha\nGREETING=hello\nWORKERS=${cpus}\n`);
      const st = (await c.execOk(['stat', '-c', '%U:%G %a', RENDERED])).stdout.trim();
      assert.equal(st, `${NAME}:${NAME} 640`, 'the rendered file belongs to the service user (it is in its RuntimeDirectory)');
      // The service answers, and the shipped pre-start hook ran as the service user with the documented environment.
      assert.match(await answer(c, port), /"version":"1\.0\.0"/);
      assert.equal(await c.readFile(`/var/lib/${NAME}/starts.log`), `pre-start ${NAME} ${NAME}\n`);
      const journal0 = (await c.execOk(['journalctl', '-u', UNIT, '--no-pager', '-o', 'cat'])).stdout;
      assert.match(journal0, new RegExp(`pre-start hook: package=${NAME} service=${NAME} stage=pre-start port=${port} user=${NAME}`));

      // (b) The EnvironmentFile is read at every start: a changed value shows up after a restart.
      await c.sh(`printf 'PORT="${port}"\\nGREETING="bonjour & salut/\\\\\\\\o"\\n' > /etc/default/${NAME}`);
      await c.execOk(['systemctl', 'restart', UNIT]);
      assert.ok(await active(c));
      assert.equal(await c.readFile(RENDERED), `NODE_NAME=alpha\nGREETING=bonjour & salut/\\o\nWORKERS=${cpus}\n`);

      // (c) An admin's failing pre-start hook stops the start; its message is in the journal.
      await c.writeFile(`/etc/${NAME}/hooks/pre-start.d/50-disk-check`, '#!/bin/sh\necho "disk check: /srv is not mounted, refusing to start" >&2\nexit 3\n', 0o755);
      const restart = await c.exec(['systemctl', 'restart', UNIT]);
      assert.notEqual(restart.code, 0, 'systemctl restart fails when a pre-start hook fails');
      // Restart=on-failure retries the start until the start limit (10 starts, 1 s apart) ends it.
      assert.ok(await c.waitFor(async () => (await c!.exec(['systemctl', 'is-failed', UNIT])).stdout.trim() === 'failed', 150_000), 'the unit ends up failed');
      const journal = (await c.execOk(['journalctl', '-u', UNIT, '--no-pager', '-o', 'cat'])).stdout;
      assert.match(journal, /disk check: \/srv is not mounted, refusing to start/);
      assert.match(journal, new RegExp(`${NAME}: pre-start hook /etc/${NAME}/hooks/pre-start.d/50-disk-check failed \\(exit status 3\\)`));
      await c.execOk(['rm', `/etc/${NAME}/hooks/pre-start.d/50-disk-check`]);
      await c.execOk(['systemctl', 'reset-failed', UNIT]);
      await c.execOk(['systemctl', 'start', UNIT]);
      assert.ok(await active(c), 'starts again once the hook is gone');

      // (d) Upgrade: pre-upgrade runs while the old process still runs, post-upgrade after the restart.
      const oldPid = await mainPid(c);
      await installDeb(c, pkgs.deb2);
      assert.ok(await active(c));
      const newPid = await mainPid(c);
      assert.notEqual(newPid, oldPid, 'the service was restarted');
      assert.equal(
        await c.readFile(`/var/lib/${NAME}/hooks.log`),
        `pre-upgrade version=1.1.0-1 from=1.0.0-1 pid=${oldPid}\npost-upgrade version=1.1.0-1 from=1.0.0-1 pid=${newPid}\n`,
      );
      assert.match(await answer(c, port), /"version":"1\.1\.0"/);
      assert.equal((await c.execOk([`/usr/bin/${NAME}`, 'version'])).stdout, '1.1.0-1\n');
    } finally {
      await c?.stop();
    }
  });

  it('.rpm on host "bravo": renders its own host name, and rpm -U runs the upgrade hooks around the restart', async () => {
    let c: Container | undefined;
    try {
      c = await bootContainer({ rootfs, name: 'rt-bravo', hostname: 'bravo' });
      await installRpm(c, pkgs.rpm1);
      assert.ok(await active(c), `${UNIT} is not active after rpm -i`);
      // (a) The same package renders a different file on a different host.
      assert.match(await c.readFile(RENDERED), /^NODE_NAME=bravo\nGREETING=hello\n/);
      const oldPid = await mainPid(c);
      await installRpm(c, pkgs.rpm2, { upgrade: true });
      assert.ok(await active(c));
      const newPid = await mainPid(c);
      assert.notEqual(newPid, oldPid, 'the service was restarted');
      assert.equal(
        await c.readFile(`/var/lib/${NAME}/hooks.log`),
        `pre-upgrade version=1.1.0 from=1.0.0 pid=${oldPid}\npost-upgrade version=1.1.0 from=1.0.0 pid=${newPid}\n`,
      );
    } finally {
      await c?.stop();
    }
  });
});
