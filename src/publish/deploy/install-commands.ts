/**
 * The package manager commands a deploy runs on a host, as argument vectors (quoted later by
 * {@link commandLine}): apt-get / dnf / yum when present, else dpkg / rpm.
 */
import type { FormatName } from '../../formats/types.js';

/** The tool that installs packages on a host. */
export type InstallTool = 'apt-get' | 'dpkg' | 'dnf' | 'yum' | 'rpm';

/** A command and its environment. */
export interface ToolCommand {
  argv: string[];
  env?: Record<string, string>;
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
/** Keep an admin's changed conffiles, take new ones where the admin changed nothing (never prompt). */
const DPKG_CONF = ['--force-confdef', '--force-confold'];
const APT_CONF = DPKG_CONF.flatMap((o) => ['-o', `Dpkg::Options::=${o}`]);

/** The best tool on a host of `family` with `tools` on its PATH. */
export function installTool(family: FormatName, tools: ReadonlySet<string>): InstallTool {
  if (family === 'deb') return tools.has('apt-get') ? 'apt-get' : 'dpkg';
  return tools.has('dnf') ? 'dnf' : tools.has('yum') ? 'yum' : 'rpm';
}

/**
 * Install package files (absolute paths). `downgrade` allows going back to an older version
 * (rollback); a plain deploy refuses one where the tool does.
 */
export function installFiles(tool: InstallTool, files: readonly string[], downgrade = false): ToolCommand {
  switch (tool) {
    case 'apt-get': return { argv: ['apt-get', 'install', '-y', '-q', ...APT_CONF, ...(downgrade ? ['--allow-downgrades'] : []), ...files], env: APT_ENV };
    case 'dpkg': return { argv: ['dpkg', ...DPKG_CONF, '-i', ...files], env: APT_ENV };
    case 'dnf': case 'yum': return { argv: [tool, '-y', downgrade ? 'downgrade' : 'install', ...files] };
    case 'rpm': return { argv: ['rpm', '-U', ...(downgrade ? ['--oldpackage'] : []), ...files] };
  }
}

/** Remove packages by name (rollback of a host that had none of them). */
export function removePackages(tool: InstallTool, names: readonly string[]): ToolCommand {
  switch (tool) {
    case 'apt-get': return { argv: ['apt-get', 'remove', '-y', '-q', ...names], env: APT_ENV };
    case 'dpkg': return { argv: ['dpkg', '-r', ...names], env: APT_ENV };
    case 'dnf': case 'yum': return { argv: [tool, '-y', 'remove', ...names] };
    case 'rpm': return { argv: ['rpm', '-e', ...names] };
  }
}

/** Install an exact version from the host's configured repositories; undefined for dpkg/rpm (they have none). */
export function installVersionFromRepo(tool: InstallTool, name: string, version: string): ToolCommand | undefined {
  switch (tool) {
    case 'apt-get': return { argv: ['apt-get', 'install', '-y', '-q', ...APT_CONF, '--allow-downgrades', `${name}=${version}`], env: APT_ENV };
    case 'dnf': case 'yum': return { argv: [tool, '-y', 'downgrade', `${name}-${version}`] };
    default: return undefined;
  }
}
