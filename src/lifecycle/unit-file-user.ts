/**
 * Which user a unit file of the project's own (`services[].unitFile`) runs its service as: its
 * `[Service]` section's `User=` and `DynamicUser=`, so that no user named after the package is
 * created for a unit that names another user or has systemd allocate one.
 */
import { readFile } from 'node:fs/promises';
import type { ServiceSpec } from '../config/schema.js';
import { namedProjectFile } from '../plan/roots.js';

/** `User=` and `DynamicUser=` of the `[Service]` section (the last assignment wins, as in systemd). */
export function unitFileRunAs(text: string): { User?: string; DynamicUser?: string } {
  const out: { User?: string; DynamicUser?: string } = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    else if (section === '[Service]') {
      const m = /^(User|DynamicUser)\s*=\s*(.*)$/.exec(line);
      if (m) out[m[1] as 'User' | 'DynamicUser'] = m[2].trim();
    }
  }
  if (out.User === '') delete out.User;
  return out;
}

/** The services with the `User=`/`DynamicUser=` of their own unit files added to `service` (read errors are left to the planner). */
export async function withUnitFileRunAs(projectDir: string, services: readonly ServiceSpec[]): Promise<ServiceSpec[]> {
  return Promise.all(services.map(async (s, i) => {
    if (s.unitFile === undefined) return s;
    let text: string;
    try {
      text = await readFile(namedProjectFile(projectDir, s.unitFile, `services[${i}].unitFile`), 'utf8');
    } catch {
      return s;
    }
    return { ...s, service: { ...s.service, ...unitFileRunAs(text) } };
  }));
}
