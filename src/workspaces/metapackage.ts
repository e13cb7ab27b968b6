/**
 * The metapackage of a workspaces build: no files, `Architecture: all` / `noarch`, depending on
 * every member at exactly the version built (`name (= [E:]V-R)` in both formats). It is built by the
 * ordinary pipeline from a generated project: a temporary directory holding only its config.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetapackageSpec, ValidConfig } from '../config/schema.js';
import { MkpkgError } from '../errors.js';
import type { Member, RootConfig } from './members.js';

/** The metapackage's own config (written as mkpkg.config.json of the generated project). */
export function metapackageConfig(spec: MetapackageSpec, root: RootConfig, members: readonly Member[]): ValidConfig {
  const rootCfg = root.project.config;
  const name = spec.name ?? root.project.packageJson?.name;
  const version = spec.version ?? root.project.packageJson?.version;
  if (!name || !version) {
    throw new MkpkgError('E_CONFIG_INVALID', `workspaces.metapackage: ${!name ? 'name' : 'version'} is not set and the root package.json has none`, {
      hint: 'set workspaces.metapackage: { name, version } in the root config', details: { field: `workspaces.metapackage.${!name ? 'name' : 'version'}` },
    });
  }
  const description = spec.description?.trim();
  const [first, ...rest] = (description ?? '').split('\n');
  const summary = spec.summary ?? (first?.trim() || undefined) ?? root.project.packageJson?.description ?? `${name} metapackage`;
  const depends = (f: 'deb' | 'rpm') => members.map((m) => `${m.formats[f].name} (= ${m.formats[f].full})`);
  return {
    name,
    version,
    ...(spec.release !== undefined ? { release: spec.release } : {}),
    ...(rootCfg.maintainer ? { maintainer: rootCfg.maintainer } : {}),
    ...(rootCfg.license ? { license: rootCfg.license } : {}),
    ...(rootCfg.homepage ? { homepage: rootCfg.homepage } : {}),
    summary,
    description: [rest.join('\n').trim(), ['This metapackage installs, at exactly the versions built with it:', ...members.map((m) => `- ${m.formats.deb.name}`)].join('\n')].filter(Boolean).join('\n\n'),
    section: 'metapackages',
    arch: 'all',
    app: false,
    overrides: { deb: { depends: depends('deb') }, rpm: { depends: depends('rpm') } },
  };
}

/** A temporary project directory holding only the metapackage's config; remove it when done. */
export async function metapackageProject(config: ValidConfig): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mkpkg-meta-'));
  await writeFile(join(dir, 'mkpkg.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
