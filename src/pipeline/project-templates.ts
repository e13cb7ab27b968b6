/**
 * The template search path of a project as a build sees it: the project's template directory
 * (config `templatesDir`, default `packaging/`), then its plugins' directories, then the built-ins.
 * Used by `mkpkg templates list|eject`.
 */
import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { CONFIG_FILE_NAMES, loadProject } from '../config/load.js';
import { createTemplateLookup, listTemplates, type TemplateLookup } from '../templates/index.js';
import type { PluginRef } from './define.js';
import { loadPlugins } from './plugins.js';

/** The project's template lookup and its template directory setting. */
export interface ProjectTemplates {
  lookup: TemplateLookup;
  /** The config's `templatesDir` (undefined: the default `packaging`). */
  templatesDir?: string;
}

/** Build the lookup for the project in `dir` (loading its config and plugins when it has any). */
export async function projectTemplates(dir: string, configFile?: string): Promise<ProjectTemplates> {
  const root = resolvePath(dir);
  const hasProject = configFile !== undefined || existsSync(join(root, 'package.json')) || CONFIG_FILE_NAMES.some((n) => existsSync(join(root, n)));
  if (!hasProject) return { lookup: createTemplateLookup({ projectDir: root }) };
  const project = await loadProject(root, { configFile });
  const plugins = await loadPlugins((project.config.plugins ?? []) as PluginRef[], root);
  const templatesDir = project.config.templatesDir;
  const lookup = createTemplateLookup({
    projectDir: root,
    templatesDir,
    pluginDirs: plugins.filter((p) => p.templates).map((p) => ({ dir: p.templates!, plugin: p.name })),
  });
  return { lookup, templatesDir };
}

/** One row of `mkpkg templates list`. */
export interface TemplateRow {
  name: string;
  origin: 'project' | 'plugin' | 'builtin';
  /** The plugin's name for `plugin` rows. */
  plugin?: string;
  path: string;
}

/** Every template name visible to the project and the file it resolves to, sorted by name. */
export async function listProjectTemplates(dir: string, configFile?: string): Promise<TemplateRow[]> {
  const { lookup } = await projectTemplates(dir, configFile);
  return listTemplates(lookup).map((t) => ({ name: t.name, origin: t.origin, ...(t.from.label ? { plugin: t.from.label } : {}), path: t.file }));
}
