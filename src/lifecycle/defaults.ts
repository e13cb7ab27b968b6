/** Defaults of the lifecycle generator, in one place. */

/** Where unit files go, for .deb and .rpm alike (systemd and deb-systemd-helper search it on every supported release). */
export const SYSTEMD_UNIT_DIR = '/usr/lib/systemd/system';

/**
 * With `failOnStartError`, how long the scripts watch a unit after starting it before they judge
 * it started: a Type=exec/simple service counts as active as soon as its process runs.
 */
export const START_CHECK_SECONDS = 2;

/**
 * The restart policy of a generated unit (README "Restart policy"), each overridable per service.
 * A service that fails is restarted after `restartSec`; a start beyond `startLimitBurst` starts
 * within `startLimitIntervalSec` is refused and the unit ends `failed`. A service that dies at
 * every start is therefore `failed` after 10 starts, within 10 × (restartSec + the time a failing
 * start takes): within the interval (2 minutes) as long as a failing start takes under 12 s. Manual
 * starts count too; `systemctl reset-failed` clears the count.
 */
export const RESTART_POLICY = {
  restart: 'on-failure',
  restartSec: 1,
  startLimitIntervalSec: 120,
  startLimitBurst: 10,
} as const;

/** Where maintainer scripts keep per-transaction markers (tmpfs: gone after a reboot). */
export const MARKER_ROOT = '/run/mkpkg';

/**
 * Sandboxing for a Node.js network service. Every entry works for a plain Node HTTP server
 * (MemoryDenyWriteExecute is left out on purpose: V8's JIT needs writable+executable memory).
 * Directives unknown to an older systemd are ignored by it with a log message.
 */
export const HARDENING_DEFAULTS: readonly [string, string][] = [
  ['NoNewPrivileges', 'yes'],
  ['PrivateTmp', 'yes'],
  ['PrivateDevices', 'yes'],
  ['ProtectSystem', 'strict'],
  ['ProtectHome', 'yes'],
  ['ProtectKernelTunables', 'yes'],
  ['ProtectKernelModules', 'yes'],
  ['ProtectKernelLogs', 'yes'],
  ['ProtectControlGroups', 'yes'],
  ['ProtectClock', 'yes'],
  ['ProtectHostname', 'yes'],
  ['RestrictSUIDSGID', 'yes'],
  ['RestrictRealtime', 'yes'],
  ['RestrictNamespaces', 'yes'],
  ['LockPersonality', 'yes'],
  ['SystemCallArchitectures', 'native'],
  ['RestrictAddressFamilies', 'AF_UNIX AF_INET AF_INET6 AF_NETLINK'],
];
