/**
 * Boot hooks: the stages, where hooks live on the target, and the hook files a project ships
 * (config `bootHooks`), installed 0755 under `/usr/lib/NAME/hooks/<stage>.d/`.
 */
import { posix } from 'node:path';
import { invalidValue } from '../errors.js';
import type { BootHooksSpec } from '../config/schema.js';
import type { ProjectFileSpec } from './types.js';

/** The hook stages, in the order of a service's life and an upgrade. */
export const HOOK_STAGES = ['pre-start', 'post-start', 'pre-stop', 'post-stop', 'pre-upgrade', 'post-upgrade'] as const;

/** One hook stage. */
export type HookStage = (typeof HOOK_STAGES)[number];

/** The hook directories of package `pkg`: shipped (package and plugins) and the administrator's. */
export function hookDirs(pkg: string, root = ''): { packageDir: string; adminDir: string } {
  return { packageDir: `${root}/usr/lib/${pkg}/hooks`, adminDir: `${root}/etc/${pkg}/hooks` };
}

/** Names the hook runner skips (see packaging-templates/launcher/hooks.sh.ejs); refused at build time. */
const IGNORED = /(^\.|~$|\.dpkg-|\.ucf-|\.rpmnew$|\.rpmsave$|\.rpmorig$|\.disabled$)/;

/**
 * The hook files shipped from the project: `bootHooks[stage][i]` (a path relative to the project)
 * → `/usr/lib/PKG/hooks/<stage>.d/<basename>`, mode 0755. Hooks run in the order of their names,
 * so name them `10-check`, `20-migrate`, …
 */
export function resolveBootHooks(pkg: string, spec: BootHooksSpec | undefined): ProjectFileSpec[] {
  const out: ProjectFileSpec[] = [];
  const { packageDir } = hookDirs(pkg);
  for (const stage of HOOK_STAGES) {
    const seen = new Map<string, string>();
    (spec?.[stage] ?? []).forEach((src, i) => {
      const where = `bootHooks.${stage}[${i}]`;
      const norm = src.replace(/\\/g, '/');
      if (norm.startsWith('/') || norm.split('/').includes('..')) {
        throw invalidValue('E_LAUNCHER_INVALID', where, src, 'is not a path inside the project', 'give the hook file relative to the project directory, e.g. "hooks/10-check.sh"');
      }
      const name = posix.basename(norm);
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/.test(name) || IGNORED.test(name)) {
        throw invalidValue('E_LAUNCHER_INVALID', where, src, 'has a file name the hook runner would not run', 'name hook files with letters, digits, "_", "-", "." (not starting with "." and not ending in "~", ".dpkg-*", ".rpmnew", ".rpmsave", ".disabled")');
      }
      const prev = seen.get(name);
      if (prev !== undefined) {
        throw invalidValue('E_LAUNCHER_INVALID', where, src, `has the same file name as ${prev}; both would install to ${packageDir}/${stage}.d/${name}`, 'rename one of the two hook files');
      }
      seen.set(name, src);
      out.push({ source: norm, path: `${packageDir}/${stage}.d/${name}`, mode: 0o755 });
    });
  }
  return out;
}
