/**
 * Runs maintainer scripts in a private mount namespace (tmpfs over /run, /var/lib, /var/log)
 * with logging stubs of systemctl, deb-systemd-helper/-invoke, adduser/useradd… on PATH.
 * The stubs keep a tiny model of unit state (enabled / active / failed, and units a preset
 * disables: \$STUB_STATE/preset-disable/UNIT) in files, so a sequence of
 * scripts can be replayed in dpkg's or rpm's order and its effect inspected.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { scratch } from '../../support/tmp.js';
import { SYSTEMD_UNIT_DIR } from '../../../src/lifecycle/defaults.js';

const COMMON = `#!/bin/sh
S="$STUB_STATE"
log() { printf '%s\\n' "$*" >> "$S/calls"; }
ev() { printf '%s\\n' "$*" >> "$S/events"; }
`;

const STUBS: Record<string, string> = {
  systemctl: `${COMMON}log "systemctl $*"
now=0; set -- $(for a in "$@"; do case "$a" in --now) echo __now__;; --*) ;; *) printf '%s\\n' "$a";; esac; done)
cmd=$1; shift
for u in "$@"; do [ "$u" = __now__ ] && now=1; done
case "$cmd" in start|restart|try-restart) [ -e "$S/fail-start" ] && exit 1;; esac
case "$cmd" in
  is-active) [ -e "$S/active/$1" ]; exit $?;;
  is-failed) [ -e "$S/failed/$1" ]; exit $?;;
  is-enabled) if [ -e "$S/enabled/$1" ]; then echo enabled; else echo disabled; exit 1; fi;;
  daemon-reload) ev RELOAD;;
esac
for u in "$@"; do
  [ "$u" = __now__ ] && continue
  case "$cmd" in
    start) [ -e "$S/active/$u" ] || { rm -f "$S/failed/$u"; touch "$S/active/$u"; ev "START $u"; };;
    stop) [ -e "$S/active/$u" ] && { rm -f "$S/active/$u"; ev "STOP $u"; };;
    restart) rm -f "$S/failed/$u"; touch "$S/active/$u"; ev "RESTART $u";;
    reset-failed) [ -e "$S/failed/$u" ] && { rm -f "$S/failed/$u"; ev "RESET-FAILED $u"; };;
    try-restart) [ -e "$S/active/$u" ] && ev "RESTART $u";;
    enable) touch "$S/enabled/$u"; ev "ENABLE $u";;
    preset) [ -e "$S/preset-disable/$u" ] || [ -e "$S/enabled/$u" ] || { touch "$S/enabled/$u"; ev "ENABLE $u"; };;
    disable) rm -f "$S/enabled/$u"; ev "DISABLE $u"; [ $now = 1 ] && [ -e "$S/active/$u" ] && { rm -f "$S/active/$u"; ev "STOP $u"; };;
  esac
done
exit 0
`,
  'deb-systemd-invoke': `${COMMON}log "deb-systemd-invoke $*"
action=$1; shift
case "$action" in start|stop|restart|try-restart) ;; *) exec systemctl "$action" "$@";; esac
[ -e "$S/fail-start" ] && [ "$action" != stop ] && exit 1
for u in "$@"; do
  case "$action" in
    start) [ -e "$S/enabled/$u" ] && ! [ -e "$S/active/$u" ] && { rm -f "$S/failed/$u"; touch "$S/active/$u"; ev "START $u"; };;
    stop) [ -e "$S/active/$u" ] && { rm -f "$S/active/$u"; ev "STOP $u"; };;
    restart) { [ -e "$S/enabled/$u" ] || [ -e "$S/active/$u" ]; } && { rm -f "$S/failed/$u"; touch "$S/active/$u"; ev "RESTART $u"; };;
    try-restart) [ -e "$S/active/$u" ] && ev "RESTART $u";;
  esac
done
exit 0
`,
  'deb-systemd-helper': `${COMMON}log "deb-systemd-helper $*"
[ "$1" = --quiet ] && shift
u=$2
case "$1" in
  was-enabled) { ! [ -e "$S/dsh/$u" ] || [ -e "$S/enabled/$u" ]; }; exit $?;;
  debian-installed) [ -e "$S/dsh/$u" ]; exit $?;;
  enable) touch "$S/dsh/$u"; [ -e "$S/enabled/$u" ] || { touch "$S/enabled/$u"; ev "ENABLE $u"; };;
  update-state) touch "$S/dsh/$u";;
  purge) rm -f "$S/dsh/$u" "$S/enabled/$u"; ev "PURGE $u";;
esac
exit 0
`,
  getent: `${COMMON}case "$1" in passwd) [ -e "$S/users/$2" ];; group) [ -e "$S/groups/$2" ];; *) exit 2;; esac`,
  adduser: `${COMMON}log "adduser $*"; for a in "$@"; do n=$a; done; touch "$S/users/$n"; ev "USER $n"`,
  addgroup: `${COMMON}log "addgroup $*"; for a in "$@"; do n=$a; done; touch "$S/groups/$n"; ev "GROUP $n"`,
  useradd: `${COMMON}log "useradd $*"; for a in "$@"; do n=$a; done; touch "$S/users/$n"; ev "USER $n"`,
  groupadd: `${COMMON}log "groupadd $*"; for a in "$@"; do n=$a; done; touch "$S/groups/$n"; ev "GROUP $n"`,
  deluser: `${COMMON}log "deluser $*"; ev "DELUSER"`,
  userdel: `${COMMON}log "userdel $*"; ev "DELUSER"`,
  chown: `${COMMON}log "chown $*"`,
  chmod: `${COMMON}log "chmod $*"`,
  'dpkg-statoverride': `${COMMON}exit 1`,
};

const sq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** Where the scripts look for unit files: a tmpfs in the sandbox, filled by `unpack` steps. */
const UNIT_DIR = SYSTEMD_UNIT_DIR;

/**
 * One step of a sequence: a maintainer script with its arguments, an admin's shell command, or
 * dpkg/rpm unpacking the package's unit files (the scripts look for them; no status is recorded).
 */
export type Step = { script: string; args: (string | number)[] } | { admin: string } | { unpack: string[] };

/** Options of {@link runSequence}. */
export interface SequenceOptions {
  /** Create /run/systemd/system (a booted systemd). Default true. */
  booted?: boolean;
  /** Shell run (as root, inside the namespace) before the first step, e.g. to create /var/lib/x. */
  setup?: string;
  /** Shell run after the last step; its stdout is returned as `inspect`. */
  inspect?: string;
}

/** What happened during a sequence. */
export interface SequenceResult {
  /** Every stub invocation, in order, with `== step` markers. */
  calls: string[];
  /** State changes (START u, STOP u, RESTART u, ENABLE u, DISABLE u, PURGE u, USER n, …). */
  events: string[];
  /** Exit status of each step, in order. */
  status: number[];
  enabled: string[];
  active: string[];
  users: string[];
  inspect: string;
  stderr: string;
}

/** dpkg/rpm unpacking a package that ships `unit`. */
export const unpack = (unit: string): Step => ({ unpack: [unit] });

/** An admin step: the running `unit` crashes for good (systemd marks it failed). */
export const crash = (unit: string): Step => ({ admin: `rm "$STUB_STATE/active/${unit}" && touch "$STUB_STATE/failed/${unit}"` });

/** The events after the first (`afterFirst`) or the last (`afterLast`) occurrence of `marker`. */
export const afterFirst = (events: string[], marker: string) => events.slice(events.indexOf(marker) + 1);
export const afterLast = (events: string[], marker: string) => events.slice(events.lastIndexOf(marker) + 1);

/** A sandbox: a directory of scripts (`old/`, `new/`) and the stubs. */
export class Sandbox {
  readonly dir = scratch('mkpkg-lifecycle-');
  constructor() {
    const bin = join(this.dir, 'bin');
    mkdirSync(bin);
    for (const [name, body] of Object.entries(STUBS)) {
      writeFileSync(join(bin, name), body.endsWith('\n') ? body : `${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
  }

  /** Write scripts under `set` (e.g. "old", "new") and return their paths by name. */
  put(set: string, scripts: Record<string, { body: string } | undefined>): Record<string, string> {
    const d = join(this.dir, set);
    mkdirSync(d, { recursive: true });
    const out: Record<string, string> = {};
    for (const [name, s] of Object.entries(scripts)) {
      if (!s) continue;
      out[name] = join(d, name);
      writeFileSync(out[name], s.body, { mode: 0o755 });
    }
    return out;
  }

  /** Replay `steps` in a fresh private mount namespace; the stub state persists across steps. */
  run(steps: Step[], options: SequenceOptions = {}): SequenceResult {
    const state = join(this.dir, `state-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    for (const d of ['active', 'failed', 'enabled', 'preset-disable', 'dsh', 'users', 'groups']) mkdirSync(join(state, d), { recursive: true });
    writeFileSync(join(state, 'calls'), '');
    writeFileSync(join(state, 'events'), '');
    const env = `env -i PATH=${join(this.dir, 'bin')}:/usr/sbin:/usr/bin:/sbin:/bin STUB_STATE=${state}`;
    const lines = [
      `mkdir -p ${UNIT_DIR} && mount -t tmpfs -o mode=0755 tmpfs /run && mount -t tmpfs -o mode=0755 tmpfs /var/lib && mount -t tmpfs -o mode=0755 tmpfs /var/log && mount -t tmpfs -o mode=0755 tmpfs ${UNIT_DIR} || exit 99`,
      options.booted === false ? ':' : 'mkdir -p /run/systemd/system',
      options.setup ?? ':',
    ];
    for (const s of steps) {
      if ('unpack' in s) {
        lines.push(`echo ${sq(`== unpack ${s.unpack.join(' ')}`)} >> ${state}/calls`, ...s.unpack.map((u) => `touch ${sq(`${UNIT_DIR}/${u}`)}`));
      } else if ('admin' in s) {
        lines.push(`echo ${sq(`== admin: ${s.admin}`)} >> ${state}/calls`, `${env} sh -c ${sq(s.admin)}; echo $? >> ${state}/status`);
      } else {
        const args = s.args.map((a) => sq(String(a))).join(' ');
        lines.push(`echo ${sq(`== ${s.script.split('/').slice(-2).join('/')} ${s.args.join(' ')}`)} >> ${state}/calls`);
        lines.push(`${env} /bin/sh ${s.script} ${args}; echo $? >> ${state}/status`);
      }
    }
    lines.push(`{ ${options.inspect ?? ':'}; } > ${state}/inspect 2>&1`, 'exit 0');
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', lines.join('\n')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sandbox failed (${r.status}): ${r.stderr}`);
    const read = (f: string) => (existsSync(join(state, f)) ? readFileSync(join(state, f), 'utf8').split('\n').filter(Boolean) : []);
    return {
      calls: read('calls'),
      events: read('events'),
      status: read('status').map(Number),
      enabled: readdirSync(join(state, 'enabled')).sort(),
      active: readdirSync(join(state, 'active')).sort(),
      users: readdirSync(join(state, 'users')).sort(),
      inspect: readFileSync(join(state, 'inspect'), 'utf8'),
      stderr: r.stderr,
    };
  }
}
