/**
 * Plugin loading. A plugin is a module (npm package or local file) whose default export is a
 * Plugin object or a factory `(options) => Plugin`, or an inline Plugin object in the config.
 * Every plugin is loaded and checked before anything runs; all problems are reported at once.
 */
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MkpkgError } from '../errors.js';
import type { Jiti } from 'jiti';
import type { PluginRef } from './define.js';
import { HOOK_NAMES, type Plugin } from './types.js';
import { userModuleLoader } from '../config/user-modules.js';
import { loadTimeoutMs, withLoadTimeout } from '../config/load-timeout.js';

export type { PluginRef } from './define.js';

function describeRef(ref: PluginRef, i: number): string {
  if (typeof ref === 'string') return `plugins[${i}] "${ref}"`;
  if (Array.isArray(ref)) return `plugins[${i}] "${ref[0]}"`;
  const name = (ref as { name?: unknown }).name;
  return `plugins[${i}]${typeof name === 'string' && name ? ` "${name}"` : ''}`;
}

/** Check the shape of a plugin object; returns problems (empty when fine). */
function pluginProblems(p: unknown, where: string): string[] {
  const problems: string[] = [];
  if (!p || typeof p !== 'object') return [`${where}: expected a plugin object (or a factory returning one), got ${p === null ? 'null' : typeof p}`];
  const o = p as Record<string, unknown>;
  if (typeof o.name !== 'string' || !o.name) problems.push(`${where}: "name" must be a non-empty string`);
  const known = new Set(['name', 'hooks', 'steps', 'templates', 'slots', 'outputs']);
  for (const k of Object.keys(o)) if (!known.has(k)) problems.push(`${where}: unknown key "${k}" (known: ${[...known].join(', ')})`);
  if (o.hooks !== undefined) {
    if (typeof o.hooks !== 'object' || o.hooks === null) problems.push(`${where}: "hooks" must be an object`);
    else for (const [k, v] of Object.entries(o.hooks)) {
      if (!(HOOK_NAMES as readonly string[]).includes(k)) problems.push(`${where}: unknown hook "${k}" (known: ${HOOK_NAMES.join(', ')})`);
      else if (typeof v !== 'function') problems.push(`${where}: hook "${k}" must be a function`);
    }
  }
  if (o.steps !== undefined) {
    if (!Array.isArray(o.steps)) problems.push(`${where}: "steps" must be an array`);
    else o.steps.forEach((s: unknown, j: number) => {
      const ins = s as { step?: { name?: unknown; run?: unknown }; before?: unknown; after?: unknown };
      const st = ins?.step;
      if (!st || typeof st.name !== 'string' || typeof st.run !== 'function') problems.push(`${where}: steps[${j}] must be { step: { name, run }, before?|after? }`);
      else if (ins.before !== undefined && ins.after !== undefined) problems.push(`${where}: steps[${j}] "${st.name}" gives both "before" and "after"; give one`);
    });
  }
  if (o.templates !== undefined && typeof o.templates !== 'string') problems.push(`${where}: "templates" must be a directory path`);
  if (o.slots !== undefined) {
    const ok = typeof o.slots === 'object' && o.slots !== null
      && Object.values(o.slots).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));
    if (!ok) problems.push(`${where}: "slots" must map slot names (e.g. "deb/postinst") to a string or an array of strings`);
  }
  problems.push(...outputProblems(o.outputs, where));
  return problems;
}

/** Check an `outputs` array (of the config or of a plugin). */
export function outputProblems(outputs: unknown, where: string): string[] {
  if (outputs === undefined) return [];
  if (!Array.isArray(outputs)) return [`${where}: "outputs" must be an array`];
  const problems: string[] = [];
  outputs.forEach((out: unknown, j: number) => {
    const x = out as { name?: unknown; run?: unknown; kind?: unknown };
    if (!x || typeof x.name !== 'string' || typeof x.run !== 'function') problems.push(`${where}: outputs[${j}] must be { name, run(artifacts, ctx) }`);
    else if (x.kind !== undefined && x.kind !== 'publish' && x.kind !== 'notify') problems.push(`${where}: outputs[${j}] "${x.name}": kind must be "publish" or "notify", got ${JSON.stringify(x.kind)}`);
  });
  return problems;
}

/** Import a plugin module with `import … from 'mkpkg'` bound to the running mkpkg; returns the export and its file. */
async function importModule(spec: string, projectDir: string, where: string): Promise<{ value: unknown; file: string }> {
  const jiti = await userModuleLoader(pathToFileURL(resolvePath(projectDir, 'noop.js')).href);
  const local = spec.startsWith('.') || isAbsolute(spec);
  const file = local ? resolvePath(projectDir, spec) : resolvePackage(spec, projectDir, jiti);
  return { value: await withLoadTimeout(jiti.import(file, { default: true }), file, where), file };
}

/**
 * Resolve an npm package (or a path inside one) from the project directory, with the `import`
 * conditions first (ESM-only packages export no `require` entry), then the `require` ones.
 */
function resolvePackage(spec: string, projectDir: string, jiti: Jiti): string {
  const parentURL = pathToFileURL(resolvePath(projectDir, 'package.json')).href;
  const url = jiti.esmResolve(spec, { parentURL, try: true });
  if (url) return url.startsWith('file:') ? fileURLToPath(url) : url;
  try {
    return createRequire(resolvePath(projectDir, 'package.json')).resolve(spec); // for its error message
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const pkg = spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && spec === pkg && msg === `Cannot find module '${spec}'`) {
      throw new Error(`npm package "${spec}" is not installed for the project in ${projectDir} (no node_modules/${spec} there or in a parent directory; install it: npm install --save-dev ${spec})`);
    }
    throw new Error(`${msg} (resolved from ${projectDir})`);
  }
}

/**
 * Load every plugin; throws one E_PLUGIN listing all problems of all plugins (load failures,
 * factory errors, bad shapes, duplicate names, steps anchored to unknown steps). `stepNames` are
 * the steps plugin steps may be anchored to (plugin steps are added to them).
 */
export async function loadPlugins(refs: readonly PluginRef[], projectDir: string, stepNames: readonly string[] = []): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  const problems: string[] = [];
  if (refs.length > 0) loadTimeoutMs(); // a bad MKPKG_LOAD_TIMEOUT is a usage error, before any plugin runs
  for (const [i, ref] of refs.entries()) {
    const where = describeRef(ref, i);
    try {
      let value: unknown = ref;
      let options: unknown;
      let base = projectDir;
      let file = 'inline in the config';
      if (typeof ref === 'string' || Array.isArray(ref)) {
        options = Array.isArray(ref) ? ref[1] : undefined;
        const mod = await importModule(Array.isArray(ref) ? ref[0] : (ref as string), projectDir, where);
        value = mod.value;
        base = dirname(mod.file);
        file = mod.file;
      }
      if (typeof value === 'function') value = await withLoadTimeout((value as (o: unknown) => unknown)(options), file, `${where}: the plugin factory`);
      const found = pluginProblems(value, where);
      if (found.length) { problems.push(...found); continue; }
      const p = { ...(value as Plugin) };
      // A plugin's templates directory is relative to the plugin module (or the project for inline plugins).
      if (p.templates !== undefined) p.templates = p.templates.startsWith('file:') ? fileURLToPath(p.templates) : resolvePath(base, p.templates);
      if (plugins.some((q) => q.name === p.name)) problems.push(`${where}: a plugin named "${p.name}" is already loaded`);
      plugins.push(p);
    } catch (e) {
      if (e instanceof MkpkgError && e.code === 'E_LOAD_TIMEOUT') throw e; // it may still be running: stop here
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      problems.push(`${where}: ${msg}`);
    }
  }
  const known = new Set([...stepNames, ...plugins.flatMap((p) => (p.steps ?? []).map((s) => s.step.name))]);
  for (const p of plugins) {
    for (const ins of p.steps ?? []) {
      const anchor = ins.after ?? ins.before;
      if (anchor !== undefined && !known.has(anchor)) {
        problems.push(`plugin "${p.name}": step "${ins.step.name}" is inserted ${ins.after !== undefined ? 'after' : 'before'} "${anchor}", which does not exist (steps: ${[...known].join(', ')})`);
      }
    }
  }
  if (problems.length) {
    throw new MkpkgError('E_PLUGIN', `${problems.length} plugin problem${problems.length > 1 ? 's' : ''}:\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'fix the plugins listed above (a plugin is a module path relative to the project, an installed npm package, or an inline object)',
    });
  }
  return plugins;
}
