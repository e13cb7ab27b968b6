/**
 * Runtime templates (config `runtime.templates`): where their sources are shipped, which
 * service renders each one, and the owner and mode of the rendered file. The rendering itself
 * happens on the target, in the launcher (packaging-templates/runtime/render.sh.ejs).
 */
import { posix } from 'node:path';
import { invalidValue, MkpkgError } from '../errors.js';
import type { RuntimeTemplateSpec } from '../config/schema.js';
import { parseMode } from '../plan/modes.js';
import { normalizeDst } from '../plan/paths.js';
import { dirHolding, serviceDirPaths, type ServiceDirs } from './directories.js';
import type { ProjectFileSpec, ResolvedService } from './types.js';

/** Default mode of a rendered file: readable by the service's group, not by everyone (it may hold secrets). */
export const RUNTIME_DEFAULT_MODE = 0o640;

/** One file the launcher renders: shipped template → destination, with mode and owner. */
export interface RenderTarget {
  /** The template on the target (`/usr/lib/PKG/runtime/<src>`). */
  template: string;
  dst: string;
  /** Octal text such as `0640`. */
  mode: string;
  owner: string;
  group: string;
  /**
   * Who renders it: `service` (the service user, in its own directories, through the unit's
   * ExecStartPre without "+") or `root` (ExecStartPre=+, only where no other user can write).
   */
  as: RenderAs;
}

/** Who renders a runtime template: root, or the service user. */
export type RenderAs = 'root' | 'service';

/**
 * Who renders `dst` for a service running as `user`: the service user when `dst` lies in one of
 * the service's own directories (which that user can write anyway), else root.
 */
export function renderAs(dst: string, user: string, dirs: ServiceDirs): RenderAs {
  return user !== 'root' && dirHolding(dst, serviceDirPaths(dirs)) !== undefined ? 'service' : 'root';
}

/** The runtime templates of a package, resolved. */
export interface RuntimeResolution {
  /** Template sources to ship, one per distinct `src`. */
  files: ProjectFileSpec[];
  /** What each service renders on start, by service name (declaration order of the templates). */
  byService: Map<string, RenderTarget[]>;
  /** Every template once (by destination), for `render-config` without a service. */
  all: RenderTarget[];
}

/** The destinations (normalised where they are absolute) of the templates service `name` renders. */
export function templateDestinations(templates: readonly RuntimeTemplateSpec[], name: string): string[] {
  return templates
    .filter((t) => t.service === undefined || t.service === name)
    .map((t) => (t.dst.startsWith('/') ? posix.normalize(t.dst) : t.dst));
}

/** The service names the templates are rendered for (validated against the declared services). */
export function templateServices(templates: readonly RuntimeTemplateSpec[], serviceNames: readonly string[]): Set<string> {
  const out = new Set<string>();
  templates.forEach((t, i) => {
    if (t.service === undefined) {
      serviceNames.forEach((n) => out.add(n));
      return;
    }
    const name = t.service;
    if (!serviceNames.includes(name)) {
      throw invalidValue('E_LAUNCHER_INVALID', `runtime.templates[${i}].service`, t.service, serviceNames.length ? `is not one of the package's services (${serviceNames.join(', ')})` : 'names a service, but the package declares none', 'name a service from "services", or leave "service" out to render it for every service');
    }
    out.add(name);
  });
  return out;
}

/**
 * Resolve `runtime.templates` for package `pkg`. A rendered file is owned by (and rendered as) the
 * service user when it lies in the service's Runtime/State/Logs/CacheDirectory, else by root with
 * the service's group; mode defaults to 0640. A file root renders must not lie in a directory a user
 * can write (`userDirs`: e.g. another service's directories, or a directory the plan gives a user):
 * root never writes through a path another user controls. `root` prefixes every target path (tests
 * render into a scratch root).
 */
export function resolveRuntimeTemplates(pkg: string, templates: readonly RuntimeTemplateSpec[], services: readonly ResolvedService[], root = '', userDirs: readonly string[] = []): RuntimeResolution {
  const files = new Map<string, ProjectFileSpec>();
  const byService = new Map<string, RenderTarget[]>(services.map((s) => [s.name, []]));
  const all = new Map<string, RenderTarget>();
  const names = services.map((s) => s.name);
  templateServices(templates, names);
  templates.forEach((t, i) => {
    const where = `runtime.templates[${i}]`;
    const src = t.src.replace(/\\/g, '/').replace(/^\.\//, '');
    if (src.startsWith('/') || src.split('/').includes('..') || /[\x00-\x1f\x7f]/.test(src)) {
      throw invalidValue('E_LAUNCHER_INVALID', `${where}.src`, t.src, 'is not a path inside the project', 'give the template relative to the project directory, e.g. "config/app.env.tmpl"');
    }
    let dst: string;
    try {
      dst = normalizeDst(t.dst, `${where}.dst`);
    } catch (e) {
      const m = e instanceof MkpkgError ? e.message : String(e);
      throw new MkpkgError('E_LAUNCHER_INVALID', m, { hint: 'give an absolute destination such as "/run/NAME/app.env"', details: { path: `${where}.dst`, value: t.dst } });
    }
    if (/[\x00-\x1f\x7f]/.test(dst)) throw invalidValue('E_LAUNCHER_INVALID', `${where}.dst`, t.dst, 'contains a control character', 'use a plain absolute path');
    const mode = t.mode === undefined ? RUNTIME_DEFAULT_MODE : parseMode(t.mode, `${where}.mode`);
    const shipped = `/usr/lib/${pkg}/runtime/${posix.normalize(src)}`;
    files.set(shipped, { source: src, path: shipped, mode: 0o644 });
    const target = (owner: string, group: string, as: RenderAs): RenderTarget => ({ template: root + shipped, dst: root + dst, mode: mode.toString(8).padStart(4, '0'), owner, group, as });
    const forServices = t.service === undefined ? services : services.filter((s) => s.name === t.service);
    for (const s of forServices) {
      const as = renderAs(dst, s.user, s);
      const writable = as === 'root' ? dirHolding(dst, userDirs) : undefined;
      if (writable !== undefined) {
        throw invalidValue('E_LAUNCHER_INVALID', `${where}.dst`, t.dst, `lies in ${writable}, which a user other than root can write, but service ${s.name} renders it as root (it is not in that service's own directories); root does not write through a path another user controls`, `render it into a directory of service ${s.name} (e.g. /run/${s.runtimeDirectories[0] ?? s.name}/), or into a directory only root can write such as /etc/${pkg}/`);
      }
      const r = as === 'service' ? target(s.user, s.group, as) : target('root', s.user === 'root' ? 'root' : s.group, as);
      byService.get(s.name)!.push(r);
      if (!all.has(dst)) all.set(dst, r);
    }
    if (services.length === 0 && !all.has(dst)) all.set(dst, target('root', 'root', 'root'));
  });
  return { files: [...files.values()], byService, all: [...all.values()] };
}
