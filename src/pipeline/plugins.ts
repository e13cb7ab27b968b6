/**
 * Plugin loading. A plugin is a module (npm package or local file) whose default export is a
 * Plugin object or a factory `(options) => Plugin`, or an inline Plugin object in the config.
 * Every plugin is loaded and checked before anything runs; all problems are reported at once.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import { MkpkgError } from '../errors.js';
import { HOOK_NAMES, type Plugin } from './types.js';

/** A plugin reference as written in the config. */
export type PluginRef = string | [string, unknown] | Record<string, unknown>;

function describeRef(ref: PluginRef, i: number): string {
  if (typeof ref === 'string') return `plugins[${i}] "${ref}"`;
  if (Array.isArray(ref)) return `plugins[${i}] "${ref[0]}"`;
  return `plugins[${i}]${typeof ref.name === 'string' ? ` "${ref.name}"` : ''}`;
}

/** Check the shape of a plugin object; returns problems (empty when fine). */
export function pluginProblems(p: unknown, where: string): string[] {
  const problems: string[] = [];
  if (!p || typeof p !== 'object') return [`${where}: expected a plugin object (or a factory returning one), got ${typeof p}`];
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
      const st = (s as { step?: { name?: unknown; run?: unknown } })?.step;
      if (!st || typeof st.name !== 'string' || typeof st.run !== 'function') problems.push(`${where}: steps[${j}] must be { step: { name, run }, before?|after? }`);
    });
  }
  if (o.templates !== undefined && typeof o.templates !== 'string') problems.push(`${where}: "templates" must be a directory path`);
  if (o.outputs !== undefined) {
    if (!Array.isArray(o.outputs)) problems.push(`${where}: "outputs" must be an array`);
    else o.outputs.forEach((out: unknown, j: number) => {
      const x = out as { name?: unknown; run?: unknown };
      if (!x || typeof x.name !== 'string' || typeof x.run !== 'function') problems.push(`${where}: outputs[${j}] must be { name, run(artifacts, ctx) }`);
    });
  }
  return problems;
}

async function importModule(spec: string, projectDir: string): Promise<unknown> {
  const local = spec.startsWith('.') || isAbsolute(spec);
  const jiti = createJiti(pathToFileURL(resolvePath(projectDir, 'noop.js')).href, { interopDefault: true });
  if (local) return jiti.import(resolvePath(projectDir, spec), { default: true });
  const req = createRequire(resolvePath(projectDir, 'package.json'));
  return jiti.import(req.resolve(spec), { default: true });
}

/** Load every plugin; throws one E_PLUGIN listing all problems of all plugins. */
export async function loadPlugins(refs: PluginRef[], projectDir: string): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  const problems: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const where = describeRef(ref, i);
    try {
      let value: unknown;
      let options: unknown;
      if (typeof ref === 'string' || Array.isArray(ref)) {
        const spec = typeof ref === 'string' ? ref : ref[0];
        options = Array.isArray(ref) ? ref[1] : undefined;
        value = await importModule(spec, projectDir);
      } else {
        value = ref;
      }
      if (typeof value === 'function') value = await (value as (o: unknown) => unknown)(options);
      if (value && typeof value === 'object' && typeof (value as { templates?: unknown }).templates === 'string' && typeof ref !== 'object') {
        const p = value as Plugin;
        if (!isAbsolute(p.templates!)) p.templates = resolvePath(projectDir, p.templates!);
      }
      const found = pluginProblems(value, where);
      if (found.length) problems.push(...found);
      else plugins.push(value as Plugin);
    } catch (e) {
      problems.push(`${where}: ${e instanceof MkpkgError ? e.message : (e as Error)?.message ?? String(e)}`);
    }
  }
  if (problems.length) {
    throw new MkpkgError('E_PLUGIN', `${problems.length} plugin problem${problems.length > 1 ? 's' : ''}:\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'fix the plugin references in mkpkg.config (a module path relative to the project, or an installed npm package)',
    });
  }
  return plugins;
}
