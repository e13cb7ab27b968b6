/**
 * Issue 12's proof for the C daemon in a booted systemd container: fixtures/c-daemon built with
 * make and packaged by mkpkg (no workaround), installed with dpkg, apt and rpm, its service
 * answering HTTP on a free port as the cdaemon user, then removed and purged without leftovers.
 */
import { strict as assert } from 'node:assert';
import { bootContainer, copyPackageIn, type Container } from '../../src/verify/index.js';
import { sharedRootfs } from '../support/rootfs.js';
import { buildJson } from '../cli/helpers.js';
import { builtCDaemon } from '../distro/support.js';
import { scratch } from '../support/tmp.js';
import { requireRoot, requireTools } from '../support/tools.js';
import { freePort } from '../support/ports.js';
import { Flow, journal, waitActive, waitInactive } from './support/flow.js';

const UNIT = 'cdaemon.service';
const DEB_ENV = { DEBIAN_FRONTEND: 'noninteractive' };


describe('C daemon fixture in a booted container: installed with dpkg, apt and rpm, serving, removed cleanly', function () {
  this.timeout(900_000);
  const flow = new Flow();
  let port: number;
  let pkgs: Record<string, string>;
  let c: Container;
  let files: string[] = [];

  before(async function () {
    this.timeout(30 * 60_000);
    requireRoot(this);
    requireTools(this, 'systemd-nspawn', 'debootstrap', 'nsenter', 'gcc', 'make', 'strip', 'objcopy', 'dpkg-deb', 'rpm');
    port = await freePort();
    const dir = builtCDaemon();
    pkgs = Object.fromEntries(buildJson(['build', dir, '--formats', 'deb,rpm', '-o', scratch('cd-e2e-out-')], { env: { CDAEMON_PORT: String(port) } }).map((a) => [`${a.name}.${a.format}`, a.path]));
    flow.rootfs = await sharedRootfs();
    flow.c = c = await bootContainer({ rootfs: flow.rootfs, name: 'e2e-cdaemon' });
  });
  after(async () => { await flow.c?.stop(); });

  const sh = async (script: string) => {
    const r = await c.sh(script);
    assert.equal(r.code, 0, `${script}: ${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };

  /** The service is up as user cdaemon, and its answer names the unit's MainPID. */
  async function assertServing(): Promise<void> {
    const st = await waitActive(c, UNIT);
    assert.equal(st.active, 'active', `${UNIT}${await journal(c, UNIT)}`);
    assert.equal(st.enabled, 'enabled');
    let body = '';
    await c.waitFor(async () => { body = await c.httpGet(port).catch(() => ''); return body !== ''; }, 15_000, 250);
    assert.equal(body, `cdaemon 1.0.0 pid ${st.mainPid}\n`, `answer on 127.0.0.1:${port}${await journal(c, UNIT)}`);
    assert.equal(await sh(`stat -c %U /proc/${st.mainPid}`), 'cdaemon', 'the process runs as user cdaemon');
    assert.equal(await sh('/usr/sbin/cdaemon --version'), 'cdaemon 1.0.0');
  }

  /** Stopped, nothing answers, and none of the package's files, unit or config remain. */
  async function assertGone(): Promise<void> {
    const st = await waitInactive(c, UNIT);
    assert.notEqual(st.active, 'active');
    await assert.rejects(c.httpGet(port), `nothing answers on ${port} any more`);
    const left = await sh(`for f in ${files.map((f) => `'${f}'`).join(' ')}; do [ -e "$f" ] || [ -L "$f" ] && [ ! -d "$f" ] && echo "$f"; done; true`);
    assert.equal(left, '', 'files of the package left behind');
    assert.equal(await sh('systemctl list-unit-files cdaemon.service --no-legend | wc -l'), '0');
  }

  flow.step('dpkg -i cdaemon and cdaemon-dbgsym: dependencies (libc6, adduser) satisfied, the service answers as user cdaemon', async () => {
    const r = await c.exec(['dpkg', '-i', await copyPackageIn(c, pkgs['cdaemon.deb']), await copyPackageIn(c, pkgs['cdaemon-dbgsym.deb'])], { env: DEB_ENV });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    files = (await sh('dpkg -L cdaemon cdaemon-dbgsym')).split('\n').filter((f) => f !== '/.' && f !== '');
    assert.ok(files.includes('/usr/share/man/man8/cdaemon.8.gz') && files.some((f) => f.startsWith('/usr/lib/debug/.build-id/')), files.join(' '));
    assert.equal(await sh('dpkg-query -W -f \'${db:Status-Abbrev}\' cdaemon'), 'ii');
    await assertServing();
  });

  flow.step('dpkg -r, then dpkg -P: stopped, no file left, /etc/default/cdaemon gone with the purge', async () => {
    const r = await c.exec(['dpkg', '-r', 'cdaemon-dbgsym', 'cdaemon'], { env: DEB_ENV });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal(await sh('test -e /etc/default/cdaemon && echo kept'), 'kept', 'remove keeps the conffile');
    const p = await c.exec(['dpkg', '-P', 'cdaemon'], { env: DEB_ENV });
    assert.equal(p.code, 0, `${p.stdout}${p.stderr}`);
    await assertGone();
    assert.notEqual((await c.exec(['dpkg-query', '-W', 'cdaemon'])).code, 0, 'dpkg no longer knows cdaemon');
  });

  flow.step('apt-get install ./cdaemon.deb: apt resolves the computed dependencies; the service answers; apt-get purge removes it', async () => {
    const deb = await copyPackageIn(c, pkgs['cdaemon.deb']);
    const r = await c.exec(['apt-get', 'install', '-y', deb], { env: DEB_ENV });
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    await assertServing();
    const p = await c.exec(['apt-get', 'purge', '-y', 'cdaemon'], { env: DEB_ENV });
    assert.equal(p.code, 0, `${p.stdout}${p.stderr}`);
    await assertGone();
  });

  flow.step('rpm -i cdaemon and cdaemon-debuginfo (--nodeps: the Debian container\'s rpm database is empty): the service answers', async () => {
    const r = await c.exec(['rpm', '-i', '--nodeps', await copyPackageIn(c, pkgs['cdaemon.rpm']), await copyPackageIn(c, pkgs['cdaemon-debuginfo.rpm'])]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    files = (await sh('rpm -ql cdaemon cdaemon-debuginfo')).split('\n').filter(Boolean);
    assert.equal(await sh('rpm -V --nodeps cdaemon cdaemon-debuginfo >/dev/null && echo verified'), 'verified');
    await assertServing();
  });

  flow.step('rpm -e: stopped, no file left', async () => {
    const r = await c.exec(['rpm', '-e', '--nodeps', 'cdaemon-debuginfo', 'cdaemon']);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    await assertGone();
  });
});
