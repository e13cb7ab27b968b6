/**
 * Cheap checks before slow steps: everything that does not need the staged tree — metadata
 * (maintainer, version, names), relationships, the architecture name, services, users, the launcher's
 * place, maintainer-script fragments, named source files — is validated before npm installs dependencies, so a missing
 * maintainer fails in milliseconds, not after a minute of `npm ci`. The real work is redone by
 * {@link prepareTarget} with the full plan; warnings found here are left to it.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LoadedProject } from '../config/load.js';
import { normalizeArch } from '../config/arch.js';
import { checkScripts } from '../config/check-metadata.js';
import { formatOf } from '../formats/registry.js';
import type { FormatName } from '../formats/types.js';
import { generateLifecycle } from '../lifecycle/index.js';
import { binEntries, type PackageJsonLike } from '../plan/node-app.js';
import { GLOB_CHARS } from '../plan/contents.js';
import { normalizeDst } from '../plan/paths.js';
import { sourceError } from '../plan/walk.js';
import type { TemplateLookup } from '../templates/index.js';
import { placeLauncher } from './launcher-place.js';
import { lifecycleScripts, type ProjectLifecycle } from './prepare.js';

/** What {@link precheck} needs: the project, formats and what the Node.js app layout will be. */
export interface PrecheckInput {
  project: LoadedProject;
  formats: readonly FormatName[];
  app?: { bin: boolean };
  /** The lifecycle's project inputs, read once per build and shared with {@link prepareTarget}. */
  fromProject: ProjectLifecycle;
  lookup: TemplateLookup;
  slots: Record<string, string[]>;
  sourceDateEpoch: number;
}

/** Paths known before any file is listed: package.json `bin` links and literal `contents` destinations. */
function knownPaths(input: PrecheckInput): Map<string, string> {
  const known = new Map<string, string>();
  const pj = input.project.packageJson;
  if (input.app?.bin && pj) {
    for (const [cmd] of binEntries(pj as unknown as PackageJsonLike)) known.set(`/usr/bin/${cmd}`, `app bin ${cmd} (package.json "bin")`);
  }
  (input.project.config.contents ?? []).forEach((c, i) => {
    if (c.dst.endsWith('/') || c.type === 'dir') return;
    try {
      known.set(normalizeDst(c.dst, `contents[${i}].dst`), `contents[${i}] (${c.dst})`);
    } catch {
      // left to planning, which reports it with the full context
    }
  });
  return known;
}

/** Named source files (`contents` without glob characters, unit files): each must exist. */
async function checkSources(project: LoadedProject): Promise<void> {
  const named: [string, string][] = [];
  (project.config.contents ?? []).forEach((c, i) => {
    if (c.src !== undefined && c.type !== 'symlink' && !GLOB_CHARS.test(c.src)) named.push([c.src, `contents[${i}].src`]);
  });
  (project.config.services ?? []).forEach((s, i) => {
    if (s.unitFile !== undefined) named.push([s.unitFile, `services[${i}].unitFile`]);
    (s.extraUnits ?? []).forEach((u, j) => named.push([u, `services[${i}].extraUnits[${j}]`]));
  });
  for (const [src, where] of named) {
    const abs = resolve(project.dir, src);
    await stat(abs).catch((e: unknown) => { throw sourceError(e, where, abs); });
  }
}

/** Throw the first problem a build would find without listing, installing or reading the tree. */
export async function precheck(input: PrecheckInput): Promise<void> {
  const { project } = input;
  await checkSources(project);
  const arch = normalizeArch(project.config.arch ?? 'all');
  const known = knownPaths(input);
  for (const format of input.formats) {
    const fmt = formatOf(format);
    const { name, version } = fmt.identity(fmt.resolve(project, arch).meta);
    const lifecycle = generateLifecycle({
      ...input.fromProject,
      packageName: name,
      version,
      ownedPaths: [],
      slots: input.slots,
      lookup: input.lookup,
      format,
      mtime: input.sourceDateEpoch,
      launcher: placeLauncher(name, project.config.launcher, project.config.services ?? [], (p) => known.get(p)),
    });
    checkScripts(lifecycleScripts(lifecycle)[format], format);
  }
}
