/** What a deploy reports, per host and for the whole rollout (JSON-serialisable). */
import { isMkpkgError } from '../../errors.js';
import type { FormatName } from '../../formats/types.js';
import type { HealthResult, ServiceState } from './health.js';

/** A coded error as data. */
export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string;
  /** The remote command's output, when a command failed. */
  output?: string;
}

/** One package on one host. */
export interface PackageChange {
  name: string;
  /** The package file installed. */
  file: string;
  format: FormatName;
  /** The version installed before (null: none). */
  oldVersion: string | null;
  /** The version installed after (null: not known, the deploy stopped before). */
  newVersion: string | null;
}

/** How one package was rolled back. */
export interface RolledBackPackage {
  name: string;
  /** The version installed after the rollback (null: removed, as before the deploy). */
  version: string | null;
  method: 'previous-file' | 'kept-copy' | 'repository' | 'remove';
}

/** What `--rollback` did on a failed host. */
export interface RollbackResult {
  ok: boolean;
  packages: RolledBackPackage[];
  error?: ErrorInfo;
}

/** The outcome on one host. */
export interface HostResult {
  host: string;
  /** deployed; unchanged (the version was already installed; still health-checked); failed; skipped (not touched). */
  status: 'deployed' | 'unchanged' | 'failed' | 'skipped';
  family?: FormatName;
  arch?: string;
  packages: PackageChange[];
  services: ServiceState[];
  health?: HealthResult;
  durationMs: number;
  error?: ErrorInfo;
  rollback?: RollbackResult;
  /** Things worth knowing that did not fail the host (a host key recorded, a temp dir left). */
  notes: string[];
}

/** The outcome of a rollout. */
export interface DeployReport {
  ok: boolean;
  serial: number;
  hosts: HostResult[];
  /** The first failure (the one that stopped the rollout). */
  error?: ErrorInfo;
}

/** An error as {@link ErrorInfo}. */
export function errorInfo(e: unknown): ErrorInfo {
  if (isMkpkgError(e)) {
    const output = typeof e.details?.output === 'string' && e.details.output ? e.details.output : undefined;
    return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(output ? { output } : {}) };
  }
  return { code: 'E_INTERNAL', message: (e as Error)?.stack ?? String(e) };
}
