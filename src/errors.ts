/**
 * Errors with stable codes. Every failure a user can cause is an {@link MkpkgError}
 * whose message names the offending value and where it came from, with a hint to fix it.
 */

/** The catalogue of stable error codes. Add new codes here, never reuse one for another meaning. */
export const ERROR_CODES = {
  E_USAGE: 'bad command-line usage',
  E_CONFIG_NOT_FOUND: 'no config file or package.json where one was expected',
  E_CONFIG_PARSE: 'a config file or package.json could not be parsed',
  E_CONFIG_INVALID: 'the configuration does not match the schema',
  E_CONFIG_LOAD: 'a config module threw or could not be imported',
  E_METADATA_MISSING: 'a required metadata field (name, version, maintainer, …) is missing',
  E_METADATA_INVALID: 'a metadata field has a value the format does not accept',
  E_VERSION_INVALID: 'a version cannot be mapped to the target format',
  E_DEPENDENCY_INVALID: 'a dependency/relationship entry has bad syntax',
  E_ARCH_UNKNOWN: 'an architecture name is not known',
  E_ARCH_MISMATCH: 'native code in the tree contradicts the requested architecture',
  E_SOURCE_MISSING: 'a contents src does not exist',
  E_GLOB_EMPTY: 'a contents glob matched nothing',
  E_SOURCE_UNREADABLE: 'a source file cannot be read',
  E_SYMLINK_LOOP: 'the source tree contains a symlink loop',
  E_PLAN_COLLISION: 'two entries want the same destination path',
  E_PLAN_ESCAPE: 'a destination path escapes the package root',
  E_PLAN_INVALID: 'a plan entry is malformed (bad mode, owner, type, …)',
  E_NPM: 'npm failed while laying out the Node.js app',
  E_OUTPUT_UNWRITABLE: 'the output directory cannot be written',
  E_STAGE_NOT_EMPTY: 'the staging directory exists and is not empty',
  E_WRITE_FAILED: 'writing the package failed (disk full, I/O error)',
  E_INTERRUPTED: 'the build was interrupted',
  E_COMPRESSOR_MISSING: 'an external compressor (xz, zstd) is not installed',
  E_TEMPLATE_NOT_FOUND: 'a template name does not exist in any template directory',
  E_TEMPLATE_RENDER: 'a template failed to render',
  E_SCRIPT_SYNTAX: 'a rendered shell script is not valid POSIX sh',
  E_TEMPLATE_EXISTS: 'ejecting a template would overwrite an existing file',
  E_SERVICE_INVALID: 'a service declaration cannot be turned into a systemd unit',
  E_LAUNCHER_INVALID: 'the launcher, a boot hook or a runtime template is misconfigured',
  E_SIGN_KEY: 'a signing key cannot be read or decrypted',
  E_READ_PACKAGE: 'a package file cannot be read or is malformed',
  E_PLUGIN: 'a plugin failed to load or threw',
  E_HOOK: 'a pipeline hook threw',
  E_STEP: 'a pipeline step failed',
  E_OUTPUT: 'an output (publish/notify) failed',
  E_PUBLISH_CONFLICT: 'a repository already holds a different file under the same name',
  E_REPO_INVALID: 'a repository output is misconfigured or its directory is unusable',
  E_PUBLISH_LOCKED: 'another publisher holds the repository lock',
  E_PUBLISH_UNSIGNED: 'publishing without a key would make a signed repository unsigned',
  E_PUBLISH_ARCH: 'a package\'s architecture is not one the suite lists',
  E_STORE_FAILED: 'a request to the repository storage (S3) failed',
  E_VERIFY_UNAVAILABLE: 'mkpkg verify needs root, systemd-nspawn and debootstrap',
  E_VERIFY_FAILED: 'a lifecycle scenario failed',
  E_STRICT: 'a warning was raised while --strict was given',
} as const;

/** A stable error code, e.g. `E_CONFIG_INVALID`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error about one configured value: `WHERE: "VALUE" WHY`, with `details.path` (where, e.g.
 * `services[0].user`) and `details.value` for `--json`.
 */
export function invalidValue(code: ErrorCode, where: string, value: unknown, why: string, hint: string): MkpkgError {
  return new MkpkgError(code, `${where}: ${JSON.stringify(value)} ${why}`, { hint, details: { path: where, value } });
}

/** Options for {@link MkpkgError}. */
export interface MkpkgErrorOptions {
  /** How to fix it, printed after the message. */
  hint?: string;
  /** Structured details (paths, values, a list of problems) for `--json` and tests. */
  details?: Record<string, unknown>;
  /** The pipeline step the error came from. */
  step?: string;
  /** The plugin the error came from. */
  plugin?: string;
  cause?: unknown;
}

/** The one error type mkpkg throws for anything a user can cause or fix. */
export class MkpkgError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  step?: string;
  plugin?: string;

  constructor(code: ErrorCode, message: string, options: MkpkgErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MkpkgError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.step = options.step;
    this.plugin = options.plugin;
  }
}

/** True for errors mkpkg raised on purpose (as opposed to bugs). */
export function isMkpkgError(e: unknown): e is MkpkgError {
  return e instanceof MkpkgError;
}

/** A coded warning: something mkpkg did on the user's behalf that they should know about. */
export interface Warning {
  code: string;
  message: string;
}
