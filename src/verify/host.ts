/** Whether this host can run `mkpkg verify`: root, systemd-nspawn, debootstrap, nsenter, mount. */
import { MkpkgError } from '../errors.js';
import { which } from '../which.js';

/** A host tool the harness needs, with the Debian package that provides it. */
const TOOLS: ReadonlyArray<{ cmd: string; pkg: string }> = [
  { cmd: 'systemd-nspawn', pkg: 'systemd-container' },
  { cmd: 'debootstrap', pkg: 'debootstrap' },
  { cmd: 'nsenter', pkg: 'util-linux' },
  { cmd: 'mount', pkg: 'mount' },
  { cmd: 'umount', pkg: 'mount' },
];

/** Overrides for {@link checkVerifyHost}, for tests. */
export interface HostCheckOptions {
  /** The PATH to search (default: this process's PATH). */
  path?: string;
  /** The effective uid (default: this process's). */
  uid?: number;
}

/** The problems that stop the harness from running here; empty when it can run. */
export function verifyHostProblems(opts: HostCheckOptions = {}): string[] {
  const problems: string[] = [];
  const uid = opts.uid ?? process.geteuid?.() ?? -1;
  if (uid !== 0) problems.push(`not running as root (euid ${uid}); mounting an overlay and booting systemd-nspawn need root`);
  for (const t of TOOLS) {
    if (!which(t.cmd, opts.path)) problems.push(`${t.cmd} is not on PATH (Debian package ${t.pkg})`);
  }
  return problems;
}

/** Throw E_VERIFY_UNAVAILABLE naming every missing piece and how to install it. */
export function assertVerifyHost(opts: HostCheckOptions = {}): void {
  const problems = verifyHostProblems(opts);
  if (problems.length === 0) return;
  const missing = [...new Set(TOOLS.filter((t) => !which(t.cmd, opts.path)).map((t) => t.pkg))];
  const install = missing.length ? `apt-get install ${missing.join(' ')}` : '';
  const hints = [install && `install the missing tools: ${install}`, uidProblem(problems) && 'run it as root (e.g. sudo)'].filter(Boolean);
  throw new MkpkgError('E_VERIFY_UNAVAILABLE', `mkpkg verify cannot run on this host: ${problems.join('; ')}`, {
    hint: hints.join('; ') || 'apt-get install systemd-container debootstrap',
    details: { problems },
  });
}

function uidProblem(problems: string[]): boolean {
  return problems.some((p) => p.startsWith('not running as root'));
}
