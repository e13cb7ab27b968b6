/**
 * Real SSH targets for the deploy tests: a booted systemd container (cached rootfs with
 * openssh-server and sudo) running OpenSSH's sshd on a free loopback port, key authentication
 * only, with its own host key. The containers share the host's network, so every port (sshd,
 * the fixture service) is a fresh free one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { bootContainer, type Container } from '../../../src/verify/index.js';
import { scratch } from '../../support/tmp.js';
import { requireRoot, requireTools } from '../../support/tools.js';
import { freePort } from '../../support/ports.js';
import { sharedRootfsTask } from '../../support/rootfs.js';
import { keyPair, sh } from './fixtures.js';

/** The extra Debian packages of the deploy targets' rootfs. */
export const SSH_ROOTFS_PACKAGES = ['openssh-server', 'sudo'];

export { freePort };
export { configPackage, helloService, keyPair } from './fixtures.js';

/** The SSH targets' rootfs, built by the root hook beside the other setup (a second debootstrap on a fresh host). */
const sharedSshRootfs = sharedRootfsTask('container root filesystem with sshd', SSH_ROOTFS_PACKAGES);

/** The rootfs for SSH targets; skips (or fails under CI) without root and the tools. */
export async function sshRootfs(ctx: Mocha.Context): Promise<string> {
  requireRoot(ctx);
  requireTools(ctx, 'systemd-nspawn', 'debootstrap', 'nsenter', 'ssh-keygen', 'ssh-keyscan');
  ctx.timeout(15 * 60_000);
  return sharedSshRootfs();
}

/** A booted container with sshd listening on 127.0.0.1:port. */
export interface SshHost {
  container: Container;
  port: number;
  /** The fixture service's port on this host (a drop-in sets PORT). */
  servicePort: number;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA…` as ssh-keyscan printed it. */
  knownHostsLine: string;
  /** `root@127.0.0.1:PORT`. */
  spec(user?: string): string;
}

function waitTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = createConnection({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(); });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/**
 * Boot a container, give it a fresh host key, `authorizedKey` for root, a user `deployer` (no
 * sudo) and a user `ops` (password-less sudo) with the same key, point the fixture service at a
 * free port, and start sshd (key auth only) on a free loopback port.
 */
export async function bootSshHost(rootfs: string, name: string, authorizedKey: string): Promise<SshHost> {
  const dir = scratch('mkpkg-sshd-');
  const hostKey = keyPair(dir, 'ssh_host_ed25519_key');
  const c = await bootContainer({ rootfs, name });
  try {
    const pub = readFileSync(authorizedKey, 'utf8');
    await c.writeFile('/etc/ssh/mkpkg_test_host_ed25519_key', readFileSync(hostKey.key), 0o600);
    await c.execOk(['sh', '-c', [
      'set -e',
      'install -d -m 0700 /root/.ssh',
      'for u in deployer ops; do useradd -m -s /bin/sh "$u"; install -d -m 0700 -o "$u" -g "$u" "/home/$u/.ssh"; done',
      'echo "ops ALL=(root) NOPASSWD: ALL" > /etc/sudoers.d/ops && chmod 0440 /etc/sudoers.d/ops',
    ].join('\n')]);
    for (const [home, user] of [['/root', 'root'], ['/home/deployer', 'deployer'], ['/home/ops', 'ops']] as const) {
      await c.writeFile(`${home}/.ssh/authorized_keys`, pub, 0o600);
      await c.execOk(['chown', `${user}:${user}`, `${home}/.ssh/authorized_keys`]);
    }
    const servicePort = await freePort();
    await c.writeFile('/etc/hello-test.env', `PORT=${servicePort}\n`);
    await c.writeFile('/etc/systemd/system/hello-service.service.d/test-port.conf', '[Service]\nEnvironmentFile=/etc/hello-test.env\n');
    const port = await freePort();
    await c.execOk(['systemd-run', '--unit=mkpkg-test-sshd', '-p', 'RuntimeDirectory=sshd', '/usr/sbin/sshd', '-D', '-e',
      '-o', `Port=${port}`, '-o', 'ListenAddress=127.0.0.1', '-o', 'HostKey=/etc/ssh/mkpkg_test_host_ed25519_key',
      '-o', 'PasswordAuthentication=no', '-o', 'KbdInteractiveAuthentication=no', '-o', 'AuthenticationMethods=publickey',
      '-o', 'PermitRootLogin=prohibit-password']);
    await waitTcp(port, 20_000);
    const line = sh('ssh-keyscan', ['-p', String(port), '-t', 'ed25519', '127.0.0.1']).split('\n').find((l) => l.includes('ssh-ed25519'));
    if (!line) throw new Error(`ssh-keyscan found no ed25519 key on port ${port}`);
    return { container: c, port, servicePort, knownHostsLine: `${line}\n`, spec: (user = 'root') => `${user}@127.0.0.1:${port}` };
  } catch (e) {
    await c.stop();
    throw e;
  }
}

/** The fixture service's answer on a host (`{ name, version, … }`), fetched inside its container. */
export async function serviceAnswer(h: SshHost): Promise<{ name: string; version: string; pid: number }> {
  return JSON.parse(await h.container.httpGet(h.servicePort)) as { name: string; version: string; pid: number };
}

/** The installed version of a package inside a container (null when not installed). */
export async function installedInside(c: Container, name: string): Promise<string | null> {
  const r = await c.exec(['dpkg-query', '-W', '-f=${db:Status-Abbrev}|${Version}', name]);
  const [status, version] = r.stdout.split('|');
  return r.code === 0 && status?.startsWith('ii') ? version!.trim() : null;
}

/** Booted SSH hosts sharing one client key, and a known_hosts file listing them all. */
export interface SshTargets {
  dir: string;
  key: { key: string; pub: string };
  knownHosts: string;
  hosts: SshHost[];
  stop(): Promise<void>;
}

/** Boot one SSH host per name (skips, or fails under CI, without root and the tools). */
export async function sshTargets(ctx: Mocha.Context, names: string[]): Promise<SshTargets> {
  const rootfs = await sshRootfs(ctx);
  const dir = scratch('mkpkg-deploy-');
  const key = keyPair(dir, 'id_ed25519');
  const hosts: SshHost[] = [];
  const stop = async () => { await Promise.all(hosts.map((h) => h.container.stop())); };
  try {
    for (const n of names) hosts.push(await bootSshHost(rootfs, n, key.pub));
  } catch (e) {
    await stop();
    throw e;
  }
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, hosts.map((h) => h.knownHostsLine).join(''));
  return { dir, key, knownHosts, hosts, stop };
}
