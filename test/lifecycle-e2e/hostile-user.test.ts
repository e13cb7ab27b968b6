/**
 * Root never acts through a path the service user controls (issue 10 items 4 and 5, issue 11 items
 * 1 and 3), in a booted systemd, through dpkg and rpm. A process running as the service user keeps
 * replacing the paths root used to touch — the package's files in the state directory, the runtime
 * renderer's temporary file and destination — with links to root-owned 0600 victims while the
 * service restarts and the package is reinstalled and upgraded. The victims and /etc/shadow must
 * come out unchanged in owner, mode and content. Then: a hook directory the service user can write
 * is refused by the root-run upgrade hooks, and purge removes the package's own directories only
 * (not a link's target, not a directory another package owns).
 */
import { strict as assert } from 'node:assert';
import { copyPackageIn, type Container } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { Flow, journal, shOut, waitActive, withContainer } from './support/flow.js';
import { buildProject, packageJson, writeProject } from './support/project.js';
import type { Built } from './support/packages.js';

const NAME = 'own-demo';
const UNIT = `${NAME}.service`;
const STATE = `/var/lib/${NAME}`;
const VICTIMS = ['/root/victim-file', '/root/victim-render', '/etc/shadow'];
const VICTIM_DIR = '/root/victim-dir';

function ownDemo(version: string, out: string): Built {
  return buildProject(writeProject({
    'package.json': packageJson(NAME, version),
    'app.env.tmpl': 'HOST=${MKPKG_HOSTNAME}\n',
    'app.conf.tmpl': 'cpus=${MKPKG_CPUS}\n',
    'mkpkg.config.json': JSON.stringify({
      maintainer: 'Acme Ops <ops@acme.example>',
      app: false,
      contents: [
        // Owned by the service user, in its state directory: postinst used to chown/chmod them on every configure.
        { dst: `${STATE}/data`, type: 'dir', owner: NAME, group: NAME, mode: '0750' },
        { dst: `${STATE}/settings.json`, data: '{}\n', owner: NAME, group: NAME, mode: '0640' },
      ],
      services: [{ name: NAME, command: '/bin/sleep infinity', stateDirectory: `${NAME} ${NAME}-shared` }],
      runtime: {
        templates: [
          { src: 'app.env.tmpl', dst: `/run/${NAME}/app.env` }, // the service's RuntimeDirectory: rendered as the service user
          { src: 'app.conf.tmpl', dst: `/etc/${NAME}/app.conf` }, // root's directory: rendered by root
        ],
      },
    }),
  }), out);
}

/** A package that owns /var/lib/own-demo-shared (a directory own-demo also uses as a StateDirectory). */
function sharedOwner(out: string): Built {
  return buildProject(writeProject({
    'package.json': packageJson('shared-owner', '1.0.0'),
    'mkpkg.config.json': JSON.stringify({ maintainer: 'Acme Ops <ops@acme.example>', app: false, contents: [{ dst: `/var/lib/${NAME}-shared/README`, data: 'shared\n' }] }),
  }), out);
}

/**
 * The attacker, as the service user, in a loop: the package's files in the state directory become
 * links to the victims; the renderer's temporary files and its destination in /run/own-demo too.
 */
const ATTACK = `
while :; do
	ln -sfn /root/victim-file ${STATE}/.s 2>/dev/null && mv -Tf ${STATE}/.s ${STATE}/settings.json 2>/dev/null
	ln -sfn ${VICTIM_DIR} ${STATE}/.d 2>/dev/null && mv -Tf ${STATE}/.d ${STATE}/data 2>/dev/null
	for f in /run/${NAME}/.app.env.*; do
		[ -e "$f" ] && [ ! -L "$f" ] || continue
		ln -sfn /root/victim-render /run/${NAME}/.t 2>/dev/null && mv -Tf /run/${NAME}/.t "$f" 2>/dev/null
	done
	ln -sfn /root/victim-render /run/${NAME}/.u 2>/dev/null && mv -Tf /run/${NAME}/.u /run/${NAME}/app.env 2>/dev/null
done
`;

/** Owner, mode and sha256 of each path (one line each). */
const fingerprint = (c: Container, paths: readonly string[]) =>
  shOut(c, `for p in ${paths.join(' ')}; do printf '%s %s\\n' "$(stat -c '%U:%G %a' "$p")" "$(sha256sum < "$p" | cut -c1-16)"; done; stat -c '%U:%G %a' ${VICTIM_DIR}`);

async function plantVictims(c: Container): Promise<string> {
  await shOut(c, `printf 'root secret\\n' > /root/victim-file && printf 'root secret\\n' > /root/victim-render && chmod 600 /root/victim-file /root/victim-render && mkdir -m 700 ${VICTIM_DIR}`);
  return fingerprint(c, VICTIMS);
}

async function startAttacker(c: Container): Promise<void> {
  await c.execOk(['systemd-run', '--unit=mkpkg-attacker', `--uid=${NAME}`, `--gid=${NAME}`, '/bin/sh', '-c', ATTACK]);
  assert.equal(await shOut(c, 'systemctl is-active mkpkg-attacker.service'), 'active');
}

/**
 * Restart the service `n` times. Under attack a start may fail (the service user can break its own
 * files, which is its business): only what happens to root's files matters here. reset-failed keeps
 * the start limit from ending the series.
 */
async function restarts(c: Container, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await c.exec(['systemctl', 'reset-failed', UNIT]);
    await c.exec(['systemctl', 'restart', UNIT]);
  }
}

/** The rendered files: the service user's own in /run, root's (with the service group) in /etc. */
async function assertRendered(c: Container): Promise<void> {
  assert.equal(await shOut(c, `stat -c '%U:%G %a %F' /etc/${NAME}/app.conf`), `root:${NAME} 640 regular file`);
  assert.match(await c.readFile(`/etc/${NAME}/app.conf`), /^cpus=\d+\n$/);
}

for (const kind of ['deb', 'rpm'] as const) {
  describe(`root never acts through a path the service user controls (${kind})`, function () {
    this.timeout(300_000);
    const flow = new Flow();
    let v1: Built;
    let v2: Built;
    let shared: Built;
    let before = '';
    const install = async (b: Built, ...flags: string[]) => {
      const pkg = await copyPackageIn(flow.c, b[kind]);
      return flow.c.exec(kind === 'deb' ? ['dpkg', '-i', pkg] : ['rpm', ...(flags.length ? flags : ['-U']), '--nodeps', pkg], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    };
    withContainer(flow, `e2e-hostile-${kind}`, async () => {
      const out = scratch('mkpkg-e2e-hostile-');
      v1 = ownDemo('1.0.0', out);
      v2 = ownDemo('1.1.0', out);
      shared = sharedOwner(out);
    });

    flow.step('install: the service runs as its user, its runtime files rendered as documented', async () => {
      if (kind === 'deb') assert.equal((await install(shared)).code, 0);
      const r = await install(v1, '-i');
      assert.equal(r.code, 0, r.stderr);
      await waitActive(flow.c, UNIT);
      await assertRendered(flow.c);
      assert.equal(await shOut(flow.c, `stat -c '%U:%G %a' /run/${NAME}/app.env ${STATE}/settings.json ${STATE}/data`), `${NAME}:${NAME} 640\n${NAME}:${NAME} 640\n${NAME}:${NAME} 750`);
      assert.equal(await shOut(flow.c, `stat -c %U ${STATE}`), NAME, 'StateDirectory= gave the state directory to the service user');
      before = await plantVictims(flow.c);
    });

    flow.step('with the service user swapping links in: 8 restarts, a reinstall and an upgrade leave the victims and /etc/shadow untouched', async () => {
      await startAttacker(flow.c);
      try {
        await restarts(flow.c, 8);
        for (const [b, flags] of [[v1, ['-U', '--replacepkgs']], [v1, ['-U', '--replacepkgs']], [v2, ['-U']]] as const) {
          const r = await install(b, ...flags);
          assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
        }
        await restarts(flow.c, 4);
      } finally {
        await flow.c.exec(['systemctl', 'stop', 'mkpkg-attacker.service']);
      }
      assert.equal(await fingerprint(flow.c, VICTIMS), before, 'owner, mode and content of every victim are unchanged');
      // The package still works once the attacker is gone.
      await shOut(flow.c, `rm -f /run/${NAME}/app.env ${STATE}/settings.json; systemctl reset-failed ${UNIT}; systemctl restart ${UNIT}`);
      assert.equal((await waitActive(flow.c, UNIT)).active, 'active', await journal(flow.c, UNIT));
      await assertRendered(flow.c);
      assert.equal(await shOut(flow.c, `stat -c '%U:%G %F' /run/${NAME}/app.env`), `${NAME}:${NAME} regular file`);
    });

    flow.step('a hook directory the service user can write is refused by the root-run upgrade hooks (the hook does not run)', async () => {
      await shOut(flow.c, `mkdir -p /etc/${NAME}/hooks/pre-upgrade.d && chown ${NAME} /etc/${NAME}/hooks/pre-upgrade.d`);
      await flow.c.execOk(['setpriv', `--reuid=${NAME}`, `--regid=${NAME}`, '--init-groups', 'sh', '-c', `printf '#!/bin/sh\\ntouch /root/pwned\\n' > /etc/${NAME}/hooks/pre-upgrade.d/10-pwn && chmod 755 /etc/${NAME}/hooks/pre-upgrade.d/10-pwn`]);
      const r = await install(v1, '-U', '--oldpackage');
      assert.notEqual(r.code, 0, `${kind === 'deb' ? 'dpkg' : 'rpm'} fails the downgrade: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${NAME}: not running pre-upgrade hooks as root: /etc/${NAME}/hooks/pre-upgrade\\.d, or a directory above it, is a symbolic link or can be written by a user other than root`));
      assert.equal((await flow.c.exec(['test', '-e', '/root/pwned'])).code, 1, 'the planted hook did not run as root');
      assert.match(await shOut(flow.c, kind === 'deb' ? `dpkg-query -W -f '\${Version}' ${NAME}` : `rpm -q --qf %{VERSION} ${NAME}`), /^1\.1\.0/, 'the installed version is kept');
      await shOut(flow.c, `rm -rf /etc/${NAME}/hooks`);
    });

    if (kind === 'deb') {
      flow.step('purge removes the package\'s own state and log directories, not what links in them point to, nor a directory another package owns', async () => {
        await flow.c.execOk(['setpriv', `--reuid=${NAME}`, `--regid=${NAME}`, '--init-groups', 'sh', '-c', `ln -s ${VICTIM_DIR} ${STATE}/to-dir && ln -s /root/victim-file /var/log/${NAME}/to-file && mkdir -p ${STATE}/deep && ln -s /etc ${STATE}/deep/etc`]);
        const system = await shOut(flow.c, 'ls -d /var/lib/apt /var/lib/dpkg /var/lib/systemd /var/log/journal /var/cache/apt');
        const r = await flow.c.exec(['dpkg', '-P', NAME]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(await shOut(flow.c, `ls -d ${STATE} /var/log/${NAME} 2>/dev/null || true`), '', 'the package\'s own directories are gone');
        assert.equal(await shOut(flow.c, `cat /var/lib/${NAME}-shared/README`), 'shared', `/var/lib/${NAME}-shared belongs to shared-owner too and stays`);
        assert.match(r.stderr, new RegExp(`${NAME}: /var/lib/${NAME}-shared is left: another package owns it \\(shared-owner: /var/lib/${NAME}-shared\\)`));
        assert.equal(await shOut(flow.c, 'ls -d /var/lib/apt /var/lib/dpkg /var/lib/systemd /var/log/journal /var/cache/apt'), system);
        assert.equal(await fingerprint(flow.c, VICTIMS), before);
        assert.equal(await shOut(flow.c, 'test -f /etc/passwd && test -d /etc/systemd && echo ok'), 'ok');
      });
    }
  });
}
