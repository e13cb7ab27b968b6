/**
 * What a deploy needs to know about a host before it uploads anything: who we are there, the
 * native package family (the one that owns /etc/os-release: a Debian host may have rpm installed
 * too), the architecture, the tools present, whether sudo works without a password, and the
 * version of a package installed now.
 */
import { MkpkgError } from '../../errors.js';
import { serviceUnits } from '../../verify/package-info.js';
import type { FormatName } from '../../formats/types.js';
import { remoteFailure, scriptArgv, type RemoteHost } from './remote.js';

/** Facts about a host. */
export interface HostFacts {
  uid: number;
  family: FormatName | 'unknown';
  /** `dpkg --print-architecture` on dpkg hosts, else `uname -m`. */
  arch: string;
  tools: Set<string>;
  /** For a non-root user: `ok`, `missing` (no sudo binary) or `refused` (needs a password / not allowed). */
  sudo?: 'ok' | 'missing' | 'refused';
  sudoMessage?: string;
}

const TOOLS = ['apt-get', 'curl', 'df', 'dnf', 'dpkg', 'rpm', 'sudo', 'systemctl', 'wget', 'yum'];

const PROBE = `echo "uid=$(id -u)"
if dpkg-query -S /etc/os-release >/dev/null 2>&1; then echo family=deb
elif rpm -qf /etc/os-release >/dev/null 2>&1; then echo family=rpm
elif command -v dpkg >/dev/null 2>&1; then echo family=deb
elif command -v rpm >/dev/null 2>&1; then echo family=rpm
else echo family=unknown; fi
if command -v dpkg >/dev/null 2>&1; then echo "debarch=$(dpkg --print-architecture)"; fi
echo "machine=$(uname -m)"
for t; do if command -v "$t" >/dev/null 2>&1; then echo "tool=$t"; fi; done
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then echo sudo=missing
  elif out=$(sudo -n true 2>&1 </dev/null); then echo sudo=ok
  else echo sudo=refused; printf '%s\\n' "$out" | sed 's/^/sudomsg=/'; fi
fi`;

/** Parse the probe's `key=value` lines. */
export function parseProbe(text: string): HostFacts {
  const tools = new Set<string>();
  const kv = new Map<string, string>();
  const sudoMsg: string[] = [];
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1).trim();
    if (k === 'tool') tools.add(v);
    else if (k === 'sudomsg') sudoMsg.push(v);
    else kv.set(k, v);
  }
  const family = kv.get('family');
  const facts: HostFacts = {
    uid: Number(kv.get('uid') ?? NaN),
    family: family === 'deb' || family === 'rpm' ? family : 'unknown',
    arch: (family === 'deb' ? kv.get('debarch') : undefined) ?? kv.get('machine') ?? '',
    tools,
  };
  const sudo = kv.get('sudo');
  if (sudo === 'ok' || sudo === 'missing' || sudo === 'refused') facts.sudo = sudo;
  if (sudoMsg.length) facts.sudoMessage = sudoMsg.join(' ');
  return facts;
}

/** Probe the host; E_DEPLOY_SUDO when a non-root user cannot use sudo without a password. */
export async function probeHost(remote: RemoteHost): Promise<HostFacts> {
  const r = await remote.run(scriptArgv(PROBE, TOOLS));
  const facts = parseProbe(r.stdout);
  if (r.code !== 0 || !Number.isInteger(facts.uid)) throw remoteFailure(remote.label, 'probing the host (id, dpkg/rpm, uname)', r, 'E_DEPLOY_REMOTE', 'the login shell must be a POSIX shell with id and uname');
  if (facts.uid !== 0) {
    if (facts.sudo !== 'ok') {
      const why = facts.sudo === 'missing' ? 'sudo is not installed' : `\`sudo -n true\` failed${facts.sudoMessage ? `: ${facts.sudoMessage}` : ''}`;
      throw new MkpkgError('E_DEPLOY_SUDO', `${remote.label}: the user is not root (uid ${facts.uid}) and ${why}`, {
        hint: 'installing needs root: log in as root, or allow this user password-less sudo for the package manager and systemctl (sudoers: USER ALL=(root) NOPASSWD: ...)',
        details: { host: remote.label, uid: facts.uid, sudo: facts.sudo, output: facts.sudoMessage },
      });
    }
    remote.useSudo = true;
  }
  if (facts.family === 'unknown') {
    throw new MkpkgError('E_DEPLOY_WRONG_PACKAGE', `${remote.label}: neither dpkg nor rpm is on the host`, { hint: 'mkpkg deploys .deb and .rpm packages to hosts with dpkg or rpm', details: { host: remote.label } });
  }
  if (!facts.tools.has('systemctl')) {
    throw new MkpkgError('E_DEPLOY_REMOTE', `${remote.label}: systemctl is not on the host`, { hint: 'deploy checks services with systemd: the host must run systemd', details: { host: remote.label } });
  }
  return facts;
}

/** The version of package `name` installed on the host, or null when it is not installed. */
export async function installedVersion(remote: RemoteHost, family: FormatName, name: string): Promise<string | null> {
  if (family === 'deb') {
    const r = await remote.run(['dpkg-query', '-W', '-f=${db:Status-Abbrev}|${Version}\\n', name]);
    if (r.code !== 0) return null;
    const [status, version] = r.stdout.trim().split('|');
    return status?.startsWith('ii') && version ? version.trim() : null;
  }
  const r = await remote.run(['rpm', '-q', '--qf', '%{EPOCH}:%{VERSION}-%{RELEASE}\\n', name]);
  if (r.code !== 0) return null;
  const last = r.stdout.trim().split('\n').pop() ?? '';
  const v = last.replace(/^\(none\):/, '');
  if (!v || /not installed/.test(r.stdout)) throw remoteFailure(remote.label, `rpm -q ${name}`, r, 'E_DEPLOY_REMOTE');
  return v;
}

/** The service units the installed package `name` ships (from dpkg-query -L / rpm -ql on the host). */
export async function installedServices(remote: RemoteHost, family: FormatName, name: string): Promise<string[]> {
  const r = await remote.run(family === 'deb' ? ['dpkg-query', '-L', name] : ['rpm', '-ql', name]);
  if (r.code !== 0) throw remoteFailure(remote.label, `listing the files of ${name}`, r, 'E_DEPLOY_REMOTE');
  return serviceUnits(r.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/')));
}
