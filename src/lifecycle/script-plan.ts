/**
 * The maintainer-script plan: what the .deb maintainer scripts and the .rpm scriptlets do with the
 * package's units, users and directories, under which condition, computed here as data. The
 * templates (packaging-templates/deb, rpm, systemd, launcher) only render it, snippet by snippet.
 *
 * The conditions a script tells apart:
 * - install: deb `postinst configure` without the upgrade marker; rpm `%post` with `$1 = 1`.
 * - upgrade: deb `preinst upgrade` then `postinst configure` with the upgrade marker; rpm `%pre`
 *   with `$1 >= 2`, then `%post` (`$1 = 2`), the old package's `%preun`/`%postun` (`$1 = 1`), and
 *   `%posttrans` with the upgrade marker (its `$1` differs between rpm versions).
 * - remove: deb `prerm remove`, `postrm remove`; rpm `%preun`/`%postun` with `$1 = 0`.
 * - purge: deb `postrm purge` (rpm has none: `rpm -e` is remove).
 */
import type { LauncherModel } from './launcher.js';
import { comparePaths } from '../plan/types.js';
import { MARKER_ROOT, SYSTEMD_UNIT_DIR } from './defaults.js';
import { serviceDirPaths } from './directories.js';
import type { OwnedPath, ResolvedGroup, ResolvedService, ResolvedUser } from './types.js';

/** A package family: which scripts are rendered. */
export type ScriptFamily = 'deb' | 'rpm';

/** A unit a script starts. */
export interface UnitStart {
  unit: string;
  /** Started through `_mkpkg_start_checked` (failOnStartError on a .service): the script waits and checks it stayed up. */
  checked: boolean;
  /** failOnStartError: a failed start fails the script (else it is ignored). */
  fatal: boolean;
}

/** A service restarted on upgrade (`onUpgrade: 'restart'`). */
export interface ServiceRestart {
  /** The service's own unit (watched when `checked`). */
  unit: string;
  /** The service's units, each restarted when running and started again when the old version left it failed. */
  units: string[];
  /** failOnStartError: the restart is checked and a failure fails the script. */
  checked: boolean;
}

/**
 * The state kept between the scripts of one transaction, under {@link MARKER_ROOT} (a tmpfs: gone
 * after a reboot). preinst / %pre write them; postinst / %posttrans read and remove them. The
 * per-unit markers (`DIR/UNIT.was-active`, `DIR/UNIT.new`) are in the plan entries that use them.
 */
export interface ScriptMarkers {
  /** The directory of the service markers: `/run/mkpkg/PKG`. */
  dir: string;
  /** `DIR/upgrade`: this transaction upgrades the package (written when systemd runs). */
  upgrade: string;
  /** `/run/mkpkg/PKG.post-upgrade`: holds the version being replaced; the post-upgrade hooks run when it exists. */
  postUpgrade: string;
}

/** A unit with the marker a script tests for it. */
export interface MarkedUnit {
  unit: string;
  /** `DIR/UNIT.was-active` (a stop-start unit was running or failed and was stopped) or `DIR/UNIT.new` (the old version did not ship it). */
  marker: string;
}

/** How the scripts run the pre-upgrade and post-upgrade boot hooks. */
export interface UpgradeHooks {
  /** The launcher, installed by this package; after unpacking the scripts call `LAUNCHER hooks post-upgrade`. */
  launcher: string;
  /**
   * The package ships boot hooks: preinst / %pre (before this version is unpacked) run the
   * pre-upgrade hooks with the hook runner rendered into the script from this launcher model.
   * Null without hooks: they call the launcher of the installed version, when there is one.
   */
  runner: LauncherModel | null;
}

/** Everything the maintainer scripts of one family do. */
export interface ScriptPlan {
  family: ScriptFamily;
  pkg: string;
  unitDir: string;
  markers: ScriptMarkers;
  /** Created when missing, never deleted (deb postinst configure; rpm %pre, before the files are unpacked). */
  users: ResolvedUser[];
  groups: ResolvedGroup[];
  /** deb: paths given their owner after the users exist (dpkg unpacked them as root). rpm: none. */
  ownedPaths: OwnedPath[];
  /** Every unit of the package, in declaration order (the ones the retire step keeps). */
  units: string[];
  install: {
    /** Enabled on the first install as the presets say; on upgrade an admin's "disable" is kept. */
    enable: string[];
    /** deb: units the package does not enable; an admin's "enable" is kept. */
    keepState: string[];
    /** Started on a fresh install (rpm: only when enabled). */
    start: UnitStart[];
  };
  upgrade: {
    /** Units an earlier version generated and this one does not ship are stopped and disabled (before the files are replaced). */
    retire: boolean;
    restart: ServiceRestart[];
    /** `onUpgrade: 'stop-start'` units: stopped before the files are replaced (marker `was-active`), started after. */
    stopStart: (UnitStart & MarkedUnit)[];
    /** Units marked `new` when the old version did not ship them. */
    markNew: MarkedUnit[];
    /** New units enabled as on an install (rpm %post; deb postinst enables every unit anyway). */
    enableNew: MarkedUnit[];
    /** New units started as on an install (rpm: when the presets enabled them). */
    startNew: (UnitStart & MarkedUnit)[];
  };
  /** Stopped (and on rpm disabled) on removal, last declared first. */
  remove: string[];
  purge: {
    /** deb: enable state forgotten (deb-systemd-helper purge), last declared first. */
    forget: string[];
    /** deb: the services' state, log and cache directories, removed unless another package owns one. */
    dirs: string[];
  };
  hooks: UpgradeHooks | null;
  /** Shell functions a script needs (each rendered only where used). */
  needs: {
    /** `_mkpkg_start_checked` in postinst / %posttrans (an upgrade or install start that is checked). */
    startCheck: boolean;
    /** `_mkpkg_start_checked` in %post (a checked start on install). */
    startCheckOnInstall: boolean;
    /** `_mkpkg_upgrade_restart`. */
    upgradeRestart: boolean;
    /** rpm `_mkpkg_enabled`: units are started only when the presets enabled them. */
    enabledCheck: boolean;
  };
}

/** Inputs of {@link scriptPlan}. */
export interface ScriptPlanInput {
  family: ScriptFamily;
  pkg: string;
  services: readonly ResolvedService[];
  users: ResolvedUser[];
  groups: ResolvedGroup[];
  ownedPaths: readonly OwnedPath[];
  /** The launcher's path and model, or null without a launcher. */
  launcher: LauncherModel | null;
  /** The package ships boot hooks (config `bootHooks`). */
  shipsHooks: boolean;
}

/** The markers of package `pkg`. */
export function scriptMarkers(pkg: string): ScriptMarkers {
  const dir = `${MARKER_ROOT}/${pkg}`;
  return { dir, upgrade: `${dir}/upgrade`, postUpgrade: `${dir}.post-upgrade` };
}

const startOf = (s: ResolvedService, unit: string): UnitStart => ({ unit, checked: s.failOnStartError && unit.endsWith('.service'), fatal: s.failOnStartError });

/** The services' state, log and cache directories (purge deletes them; systemd removes the runtime ones), sorted. */
const purgeDirs = (services: readonly ResolvedService[]) =>
  [...new Set(services.flatMap((s) => serviceDirPaths({ ...s, runtimeDirectories: [] })))].sort(comparePaths);

/** Compute what the maintainer scripts of `input.family` do. Pure. */
export function scriptPlan(input: ScriptPlanInput): ScriptPlan {
  const { family, services } = input;
  const markers = scriptMarkers(input.pkg);
  const marked = (suffix: string) => <T extends { unit: string }>(u: T): T & MarkedUnit => ({ ...u, marker: `${markers.dir}/${u.unit}.${suffix}` });
  const units = [...new Set(services.flatMap((s) => s.units))];
  const start = services.flatMap((s) => s.startUnits.map((u) => startOf(s, u)));
  const restart = services.filter((s) => s.onUpgrade === 'restart').map((s) => ({ unit: s.unit, units: [...s.units], checked: s.failOnStartError }));
  const stopStart = services.filter((s) => s.onUpgrade === 'stop-start').flatMap((s) => s.units.map((u) => marked('was-active')(startOf(s, u))));
  const enable = services.filter((s) => s.enable).flatMap((s) => s.units);
  // deb postinst enables every unit on every configure (deb-systemd-helper knows what is new);
  // rpm %post enables the new ones, so rpm marks every unit it ships as new, deb those it starts.
  const markNew = (family === 'rpm' ? units : start.map((s) => s.unit)).map((unit) => marked('new')({ unit }));
  return {
    family,
    pkg: input.pkg,
    unitDir: SYSTEMD_UNIT_DIR,
    markers,
    users: input.users,
    groups: input.groups,
    ownedPaths: family === 'deb' ? [...input.ownedPaths] : [],
    units,
    install: {
      enable,
      keepState: family === 'deb' ? services.filter((s) => !s.enable).flatMap((s) => s.units) : [],
      start,
    },
    upgrade: {
      retire: units.length > 0,
      restart,
      stopStart,
      markNew,
      enableNew: family === 'rpm' ? enable.map((unit) => marked('new')({ unit })) : [],
      startNew: start.map(marked('new')),
    },
    remove: [...units].reverse(),
    purge: { forget: family === 'deb' ? [...units].reverse() : [], dirs: family === 'deb' ? purgeDirs(services) : [] },
    hooks: input.launcher ? { launcher: input.launcher.path, runner: input.shipsHooks ? input.launcher : null } : null,
    needs: {
      startCheck: [...start, ...stopStart].some((s) => s.checked) || restart.some((r) => r.checked),
      startCheckOnInstall: start.some((s) => s.checked),
      upgradeRestart: restart.length > 0,
      enabledCheck: family === 'rpm' && start.length > 0,
    },
  };
}
