/**
 * Where the launcher goes when the app already owns `/usr/bin/NAME`: registry servers, static-file
 * servers and CLIs ship a `bin` named like the package, and a service may run that very command.
 * The launcher then moves to `/usr/sbin/NAME-ctl` (an administrator's command: hooks, render-config);
 * an explicit `launcher.path` that collides is an error whose hint names both ways out.
 */
import type { LauncherSpec, ServiceSpec } from '../config/schema.js';
import { MkpkgError } from '../errors.js';

/** The default launcher path, and the one used when the app's own command has taken it. */
const launcherDefaults = (pkg: string) => ({ primary: `/usr/bin/${pkg}`, fallback: `/usr/sbin/${pkg}-ctl` });

/** What already holds a path: a plan entry (its origin), or a service command running it. */
export type TakenBy = (path: string) => string | undefined;

/** The program a service command runs, as an absolute path when systemd would find it on PATH. */
function commandPrograms(command: string): string[] {
  const first = command.replace(/^[-:+!@]*/, '').trim().split(/\s+/)[0]?.replace(/^["']|["']$/g, '') ?? '';
  if (!first) return [];
  return first.startsWith('/') ? [first] : [`/usr/local/sbin/${first}`, `/usr/local/bin/${first}`, `/usr/sbin/${first}`, `/usr/bin/${first}`, `/sbin/${first}`, `/bin/${first}`];
}

/** `taken` extended with the programs the services run (the launcher must not exec itself). */
function withServiceCommands(taken: TakenBy, services: readonly ServiceSpec[]): TakenBy {
  const runs = new Map<string, string>();
  services.forEach((s, i) => {
    if (s.command !== undefined) for (const p of commandPrograms(s.command)) runs.set(p, `services[${i}].command (${JSON.stringify(s.command)})`);
  });
  return (path) => taken(path) ?? runs.get(path);
}

function collision(path: string, holder: string, explicit: boolean, fallback: string): MkpkgError {
  const why = explicit ? `launcher.path ${path}` : `the service launcher's default path ${path}`;
  return new MkpkgError('E_PLAN_COLLISION', `${why} is already taken by ${holder}`, {
    hint: explicit
      ? `choose a free path, e.g. launcher: { path: "${fallback}" }, or set launcher: false to run the service without a launcher`
      : 'set launcher: { path: "/usr/sbin/NAME-launcher" } to put the launcher elsewhere, or launcher: false to run the service without one',
    details: { path, holder },
  });
}

/**
 * The launcher spec to generate with: unchanged when there is no launcher or the default path is
 * free; `{ path: /usr/sbin/NAME-ctl }` when the app owns `/usr/bin/NAME`. A taken explicit path, or
 * both defaults taken, is `E_PLAN_COLLISION` naming `launcher: { path }` and `launcher: false`.
 */
export function placeLauncher(pkg: string, spec: LauncherSpec | undefined, services: readonly ServiceSpec[], taken: TakenBy): LauncherSpec | undefined {
  if (spec === false || (spec === undefined && services.length === 0)) return spec;
  const holderOf = withServiceCommands(taken, services);
  const { primary, fallback } = launcherDefaults(pkg);
  if (spec?.path !== undefined) {
    const holder = holderOf(spec.path);
    if (holder) throw collision(spec.path, holder, true, spec.path === fallback ? `/usr/lib/${pkg}/bin/${pkg}-launcher` : fallback);
    return spec;
  }
  const first = holderOf(primary);
  if (!first) return spec;
  const second = holderOf(fallback);
  if (second) throw collision(fallback, second, false, fallback);
  return { ...spec, path: fallback };
}
