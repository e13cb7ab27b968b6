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
  E_LOAD_TIMEOUT: 'a config module or plugin did not finish loading in time (MKPKG_LOAD_TIMEOUT)',
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
  E_SOURCE_OUTSIDE: 'a source resolves outside the project directory (or the npm staging directory)',
  E_PLAN_COLLISION: 'two entries want the same destination path',
  E_PLAN_ESCAPE: 'a destination path escapes the package root',
  E_PLAN_INVALID: 'a plan entry is malformed (bad mode, owner, type, …)',
  E_NPM: 'npm failed while laying out the Node.js app',
  E_OUTPUT_UNWRITABLE: 'the output directory cannot be written',
  E_STAGE_NOT_EMPTY: 'the staging directory exists and is not empty',
  E_WRITE_FAILED: 'writing the package failed (disk full, I/O error)',
  E_INTERRUPTED: 'the build was interrupted',
  E_COMPRESSOR_MISSING: 'an external compressor (xz, zstd) is not installed',
  E_STRIP: 'stripping an ELF file failed, or binutils (strip, objcopy) is not installed',
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
  E_DEPLOY_INVALID: 'a deploy option (host, user, port, timeout, package list) is malformed',
  E_DEPLOY_UNREACHABLE: 'an SSH host could not be reached within the connect timeout',
  E_DEPLOY_HOST_KEY_UNKNOWN: 'an SSH host key is not in known_hosts',
  E_DEPLOY_HOST_KEY_CHANGED: 'an SSH host key differs from the one in known_hosts (or is revoked)',
  E_DEPLOY_AUTH: 'the SSH server refused every authentication method offered',
  E_DEPLOY_SUDO: 'the deploy user is not root and cannot run sudo without a password',
  E_DEPLOY_WRONG_PACKAGE: 'no package of the host\'s family (dpkg/rpm) and architecture was given',
  E_DEPLOY_DISK_FULL: 'the host has no room for the uploaded package',
  E_DEPLOY_UPLOAD: 'uploading a package over SFTP failed',
  E_DEPLOY_REMOTE: 'a command on the host failed (probe, temp dir, version query)',
  E_DEPLOY_INSTALL: 'the host\'s package manager failed to install the package',
  E_DEPLOY_HEALTH: 'after the install a service was not active and steady, or the health check failed',
  E_DEPLOY_ROLLBACK: 'rolling a failed host back to its previous version failed',
  E_NOTIFY_INVALID: 'a notification option (webhook URL source, format, retries) is malformed',
  E_NOTIFY_FAILED: 'the release notification could not be delivered',
} as const;

/** A stable error code, e.g. `E_CONFIG_INVALID`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The hint an error carries when the place that raised it gives none, so that every coded error
 * has its `hint:` line. Places that know more give their own; a test checks every code has one here.
 */
export const DEFAULT_HINTS: { readonly [K in ErrorCode]: string } = {
  E_USAGE: 'run "mkpkg --help" or "mkpkg <command> --help"',
  E_CONFIG_NOT_FOUND: 'run mkpkg in the project directory, or create mkpkg.config.ts or package.json',
  E_CONFIG_PARSE: 'fix the file at the line and column given',
  E_CONFIG_INVALID: 'fix each listed field; defineConfig() types and schema/mkpkg.schema.json show the accepted keys and values',
  E_CONFIG_LOAD: 'fix the error in the config module; it must `export default defineConfig({...})`',
  E_LOAD_TIMEOUT: 'look for a top-level await or a plugin factory that never settles; raise MKPKG_LOAD_TIMEOUT (seconds) if loading is just slow',
  E_METADATA_MISSING: 'set the field in mkpkg.config or package.json',
  E_METADATA_INVALID: 'change the value of the field named in the message',
  E_VERSION_INVALID: 'use a semver version such as 1.2.3 or 1.2.3-rc.1',
  E_DEPENDENCY_INVALID: 'write "name", "name (>= 1.2)" or "a | b" (Debian syntax) or "name >= 1.2" (RPM syntax)',
  E_ARCH_UNKNOWN: 'use amd64/x86_64/x64, arm64/aarch64, all/noarch or another known architecture name',
  E_ARCH_MISMATCH: 'build for the architecture of the native files, or remove them from the package',
  E_SOURCE_MISSING: 'check the path (relative paths are resolved from the project directory) or create the file first',
  E_GLOB_EMPTY: 'check the pattern and that the files are built before packaging',
  E_SOURCE_UNREADABLE: 'make the file readable by the user running mkpkg, or remove it from the contents',
  E_SYMLINK_LOOP: 'fix or remove the symlinks that point back at each other',
  E_SOURCE_OUTSIDE: 'copy the file into the project, or name it by its absolute path in the config',
  E_PLAN_COLLISION: 'give each entry its own destination, or remove one of them',
  E_PLAN_ESCAPE: 'use an absolute destination without ".." above "/"',
  E_PLAN_INVALID: 'fix the entry named in the message',
  E_NPM: 'run the npm command yourself in that directory to see what npm reports',
  E_OUTPUT_UNWRITABLE: 'choose another directory with -o/--out',
  E_STAGE_NOT_EMPTY: 'choose an empty or new staging directory',
  E_WRITE_FAILED: 'check free space and permissions of the output directory, then run the build again',
  E_INTERRUPTED: 'run the build again; nothing partial was left behind',
  E_COMPRESSOR_MISSING: 'install the compressor (apt-get install xz-utils zstd) or choose --compression gzip',
  E_STRIP: 'install binutils on the build host, or set strip: false',
  E_TEMPLATE_NOT_FOUND: '`mkpkg templates list` shows the template names',
  E_TEMPLATE_RENDER: 'fix the template at the line given',
  E_SCRIPT_SYNTAX: 'fix the script fragment or template; the rendered script must be valid POSIX sh',
  E_TEMPLATE_EXISTS: 'move or delete the existing file first',
  E_SERVICE_INVALID: 'fix the service field named in the message',
  E_LAUNCHER_INVALID: 'fix the launcher, bootHooks or runtime.templates entry named in the message',
  E_SIGN_KEY: 'give an armored OpenPGP private key, and its passphrase in MKPKG_SIGN_PASSPHRASE',
  E_READ_PACKAGE: 'give the path of an intact .deb or .rpm file',
  E_PLUGIN: 'fix the plugin named in the message, or report it to its author',
  E_HOOK: 'fix the hook named in the message',
  E_STEP: 'rerun with --verbose to see the steps; if the step is one of mkpkg\'s own and the project looks right, please report it',
  E_OUTPUT: 'check the options of the output named in the message',
  E_PUBLISH_CONFLICT: 'rebuild byte-identically with the same SOURCE_DATE_EPOCH, or pass --replace to replace the file on purpose',
  E_REPO_INVALID: 'check the repository output options and that its directory can be written',
  E_VERIFY_UNAVAILABLE: 'run as root with systemd-nspawn (systemd-container) and debootstrap installed',
  E_VERIFY_FAILED: 'see the failing step and its log in the message',
  E_STRICT: 'fix the warning, or drop --strict',
  E_PUBLISH_LOCKED: 'wait for the publisher named in the message, or raise --lock-timeout; a dead publisher\'s lock is taken over',
  E_PUBLISH_UNSIGNED: 'give the repository\'s key with --sign-key, or pass --unsigned to publish unsigned on purpose',
  E_PUBLISH_ARCH: 'add the architecture to the suite with --architectures',
  E_STORE_FAILED: 'check the bucket, endpoint, network and AWS credentials; running the publish again completes it',
  E_DEPLOY_INVALID: 'fix the deploy option named in the message (mkpkg deploy --help lists them)',
  E_DEPLOY_UNREACHABLE: 'check the host name, port and firewall, or raise --connect-timeout',
  E_DEPLOY_HOST_KEY_UNKNOWN: 'add the host key to known_hosts (ssh-keyscan, checked out of band) or pass --accept-new-host-key once',
  E_DEPLOY_HOST_KEY_CHANGED: 'find out why the key changed; if expected, remove the old entry with ssh-keygen -R HOST',
  E_DEPLOY_AUTH: 'give a key the host accepts with --identity, or load it into ssh-agent',
  E_DEPLOY_SUDO: 'deploy as root, or allow the deploy user passwordless sudo for the package manager',
  E_DEPLOY_WRONG_PACKAGE: 'give a package built for the host\'s family and architecture (mkpkg build --formats deb,rpm --arch ARCH)',
  E_DEPLOY_DISK_FULL: 'free space on the host (its temp directory and /var), then deploy again',
  E_DEPLOY_UPLOAD: 'check the host\'s temp directory and SFTP subsystem, then deploy again',
  E_DEPLOY_REMOTE: 'see the remote command\'s output in the message',
  E_DEPLOY_INSTALL: 'see the package manager\'s output in the message; install the package by hand on that host to reproduce it',
  E_DEPLOY_HEALTH: 'check the service on that host (systemctl status, journalctl -u); --rollback reinstalls the previous version',
  E_DEPLOY_ROLLBACK: 'reinstall the previous package on that host by hand (--previous PKG names one)',
  E_NOTIFY_INVALID: 'fix the notify option named in the message; the URL comes from --url-env or --url-file, never a flag',
  E_NOTIFY_FAILED: 'check the webhook URL and the receiver; without --required a failed notification only warns',
};

/**
 * An error about one configured value: `WHERE: "VALUE" WHY`, with `details.path` (where, e.g.
 * `services[0].user`) and `details.value` for `--json`.
 */
export function invalidValue(code: ErrorCode, where: string, value: unknown, why: string, hint: string): MkpkgError {
  return new MkpkgError(code, `${where}: ${JSON.stringify(value)} ${why}`, { hint, details: { path: where, value } });
}

/** Options for {@link MkpkgError}. */
export interface MkpkgErrorOptions {
  /** How to fix it, printed after the message. Give one; without it the code's {@link DEFAULT_HINTS} entry is used. */
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
  /** How to fix it; never empty (see {@link DEFAULT_HINTS}). */
  readonly hint: string;
  readonly details?: Record<string, unknown>;
  step?: string;
  plugin?: string;

  constructor(code: ErrorCode, message: string, options: MkpkgErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MkpkgError';
    this.code = code;
    this.hint = options.hint || DEFAULT_HINTS[code] || `see "${code}" in the README`;
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
