/**
 * Test fixtures for the harness: a tiny Node.js HTTP service packaged by hand with the real
 * dpkg-deb and rpmbuild, with debhelper-/Fedora-style maintainer scripts written out here.
 * These are fixtures for testing the harness, not product code.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedRootfs } from '../support/rootfs.js';
import { requireRoot, requireTools } from '../support/tools.js';

/** What to build. */
export interface ServicePkg {
  name: string;
  version: string;
  port: number;
  /** Leave out the start/restart in postinst (a broken package, to see checks fail). */
  noStart?: boolean;
  /** .deb: `start` instead of `restart` on upgrade (the running service keeps its old process). */
  noRestart?: boolean;
  /** .deb: no `deb-systemd-helper purge` in postrm (enablement state survives a purge). */
  noPurge?: boolean;
  /** .deb: postinst starts the service without enabling it (it would not come back after a reboot). */
  noEnable?: boolean;
}

function sh(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export { freePortSync } from '../support/ports.js';

const server = (p: ServicePkg) => `const http = require('http');
const fs = require('fs');
const greeting = fs.readFileSync('/etc/${p.name}/greeting', 'utf8').trim();
http.createServer((req, res) => res.end(greeting + ' ${p.version} pid ' + process.pid + '\\n')).listen(${p.port}, '127.0.0.1');
`;

const unit = (p: ServicePkg) => `[Unit]
Description=${p.name} test service

[Service]
ExecStart=/usr/bin/node /usr/lib/${p.name}/server.js
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;

const postinst = (p: ServicePkg) => `#!/bin/sh
set -e
U=${p.name}.service
if [ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]; then
${p.noEnable ? '' : `	deb-systemd-helper unmask "$U" >/dev/null || true
	if deb-systemd-helper --quiet was-enabled "$U"; then
		deb-systemd-helper enable "$U" >/dev/null || true
	else
		deb-systemd-helper update-state "$U" >/dev/null || true
	fi
`}${p.noStart ? '' : `	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		if [ -n "$2" ]; then _a=${p.noRestart ? 'start' : 'restart'}; else _a=start; fi
		${p.noEnable ? 'systemctl' : 'deb-systemd-invoke'} $_a "$U" >/dev/null || true
	fi
`}fi
exit 0
`;

const prerm = (p: ServicePkg) => `#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	deb-systemd-invoke stop ${p.name}.service >/dev/null || true
fi
exit 0
`;

const postrm = (p: ServicePkg) => `#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
${p.noPurge ? '' : `if [ "$1" = purge ] && [ -x /usr/bin/deb-systemd-helper ]; then
	deb-systemd-helper purge ${p.name}.service >/dev/null || true
fi
`}exit 0
`;

/** Build `NAME_VERSION_all.deb` in `outDir` with `dpkg-deb --root-owner-group -b`. */
export function buildServiceDeb(outDir: string, p: ServicePkg): string {
  const tree = join(outDir, `tree-deb-${p.name}-${p.version}`);
  const files: Record<string, string> = {
    [`usr/lib/${p.name}/server.js`]: server(p),
    [`lib/systemd/system/${p.name}.service`]: unit(p),
    [`etc/${p.name}/greeting`]: 'hello\n',
    'DEBIAN/control': `Package: ${p.name}\nVersion: ${p.version}\nArchitecture: all\nMaintainer: Test <test@example.com>\nDepends: nodejs\nDescription: harness test service\n`,
    'DEBIAN/conffiles': `/etc/${p.name}/greeting\n`,
    'DEBIAN/postinst': postinst(p),
    'DEBIAN/prerm': prerm(p),
    'DEBIAN/postrm': postrm(p),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(tree, rel, '..'), { recursive: true });
    writeFileSync(join(tree, rel), text);
  }
  for (const s of ['postinst', 'prerm', 'postrm']) chmodSync(join(tree, 'DEBIAN', s), 0o755);
  const out = join(outDir, `${p.name}_${p.version}_all.deb`);
  sh('dpkg-deb', ['--root-owner-group', '-Zgzip', '-b', tree, out]);
  return out;
}

/** Build a noarch .rpm with rpmbuild from a tiny spec; `provides` makes a stub that only provides names. */
export function buildServiceRpm(outDir: string, p: ServicePkg): string {
  const top = join(outDir, `rpmbuild-${p.name}-${p.version}`);
  for (const d of ['SPECS', 'RPMS', 'BUILD', 'BUILDROOT', 'SOURCES']) mkdirSync(join(top, d), { recursive: true });
  const spec = `Name: ${p.name}
Version: ${p.version}
Release: 1
Summary: harness test service
License: MIT
BuildArch: noarch
Requires: nodejs

%description
harness test service

%install
mkdir -p %{buildroot}/usr/lib/${p.name} %{buildroot}/usr/lib/systemd/system %{buildroot}/etc/${p.name}
cat > %{buildroot}/usr/lib/${p.name}/server.js <<'EOF'
${server(p)}EOF
cat > %{buildroot}/usr/lib/systemd/system/${p.name}.service <<'EOF'
${unit(p)}EOF
echo hello > %{buildroot}/etc/${p.name}/greeting

%post
systemctl daemon-reload >/dev/null 2>&1 || :
if [ $1 -eq 1 ]; then systemctl enable ${p.noStart ? '' : '--now '}${p.name}.service >/dev/null 2>&1 || :; fi

%preun
if [ $1 -eq 0 ]; then systemctl disable --now ${p.name}.service >/dev/null 2>&1 || :; fi

%postun
systemctl daemon-reload >/dev/null 2>&1 || :
if [ $1 -ge 1 ]; then systemctl try-restart ${p.name}.service >/dev/null 2>&1 || :; fi

%files
%dir /usr/lib/${p.name}
/usr/lib/${p.name}/server.js
/usr/lib/systemd/system/${p.name}.service
%dir /etc/${p.name}
%config(noreplace) /etc/${p.name}/greeting
`;
  return rpmbuild(top, p.name, spec);
}

/** A payload-less noarch .rpm that provides `names` (the Debian container's rpm database is empty). */
export function buildProvidesStubRpm(outDir: string, name: string, names: string[]): string {
  const top = join(outDir, `rpmbuild-${name}`);
  for (const d of ['SPECS', 'RPMS', 'BUILD', 'BUILDROOT', 'SOURCES']) mkdirSync(join(top, d), { recursive: true });
  const spec = `Name: ${name}\nVersion: 1\nRelease: 1\nSummary: stub\nLicense: MIT\nBuildArch: noarch\n${names.map((n) => `Provides: ${n}\n`).join('')}\n%description\nstub\n\n%files\n`;
  return rpmbuild(top, name, spec);
}

function rpmbuild(top: string, name: string, spec: string): string {
  writeFileSync(join(top, 'SPECS', `${name}.spec`), spec);
  const out = sh('rpmbuild', ['-bb', '--define', `_topdir ${top}`, '--define', '__os_install_post %{nil}', join(top, 'SPECS', `${name}.spec`)]);
  const m = /Wrote: (\S+\.rpm)/.exec(out);
  if (!m) throw new Error(`rpmbuild wrote no rpm: ${out}`);
  return m[1]!;
}

/** Run a host command and return stdout (throws with its output on failure). */
export const hostRun = sh;

/** The rootfs for container tests: needs root and the tools; built once into MKPKG_CACHE_DIR (about 1–2 min). */
export async function testRootfs(ctx: Mocha.Context): Promise<string> {
  requireRoot(ctx);
  requireTools(ctx, 'systemd-nspawn', 'debootstrap', 'nsenter');
  ctx.timeout(10 * 60_000);
  return sharedRootfs();
}
