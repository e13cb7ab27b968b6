/** What one package writer takes: the plan, the format's resolved metadata and its scripts. */
import type { DebMetadata, DebScripts, RpmMetadata, RpmScripts } from '../config/resolved.js';
import type { Plan } from './types.js';

/** Everything needed to write one .deb. */
export interface DebTarget {
  format: 'deb';
  plan: Plan;
  /** `debug`: the debug-symbols package built beside the main one (`debugPackage: true`). */
  role?: 'debug';
  meta: DebMetadata;
  scripts: DebScripts;
}

/** Everything needed to write one .rpm. */
export interface RpmTarget {
  format: 'rpm';
  plan: Plan;
  /** `debug`: the debug-symbols package built beside the main one (`debugPackage: true`). */
  role?: 'debug';
  meta: RpmMetadata;
  scripts: RpmScripts;
}

export type Target = DebTarget | RpmTarget;
