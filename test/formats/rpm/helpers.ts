/** Shared fixtures and real-tool runners for the RPM writer tests. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RpmDependency, RpmMetadata, RpmRelationKind, RpmScripts } from '../../../src/config/resolved.js';
import type { EntryFlags, Plan, PlanEntry } from '../../../src/plan/types.js';
import { writeRpm, type RpmWriteOptions } from '../../../src/formats/rpm/writer.js';
import type { Artifact } from '../../../src/formats/types.js';
import { scratch } from '../../support/tmp.js';

export const MTIME = 1_700_000_000;

const base = (path: string, mode: number, flags: EntryFlags = {}) => ({ path, mode, owner: 'root', group: 'root', mtime: MTIME, flags });
export const dir = (path: string, mode = 0o755, flags: EntryFlags = {}): PlanEntry => ({ ...base(path, mode, flags), kind: 'dir' });
export const data = (path: string, text: string, mode = 0o644, flags: EntryFlags = {}): PlanEntry => ({ ...base(path, mode, flags), kind: 'data', data: text });
export const file = (path: string, source: string, size: number, mode = 0o644, flags: EntryFlags = {}): PlanEntry => ({ ...base(path, mode, flags), kind: 'file', source, size });
export const symlink = (path: string, target: string): PlanEntry => ({ ...base(path, 0o777), kind: 'symlink', target });
export const hardlink = (path: string, target: string): PlanEntry => ({ ...base(path, 0o644), kind: 'hardlink', target });

/** A plan from entries, with every missing parent directory added (mode 0755) and sorted in byte order. */
export function planOf(...entries: PlanEntry[]): Plan {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const e of entries) {
    for (let p = e.path.slice(0, e.path.lastIndexOf('/')); p; p = p.slice(0, p.lastIndexOf('/'))) {
      if (!byPath.has(p)) byPath.set(p, dir(p));
    }
  }
  return { entries: [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))) };
}

const noRelations = (): Record<RpmRelationKind, RpmDependency[]> => ({
  requires: [], provides: [], conflicts: [], obsoletes: [], recommends: [], suggests: [], supplements: [], enhances: [],
});

/** Metadata for a test package; `relations` are merged over empty lists. */
export function metaOf(over: Partial<Omit<RpmMetadata, 'relations'>> & { relations?: Partial<Record<RpmRelationKind, RpmDependency[]>> } = {}): RpmMetadata {
  const { relations, ...rest } = over;
  return {
    name: 'ping-svc', version: '1.0.0', release: '1', arch: 'noarch',
    summary: 'Test service for the rpm writer', description: 'A package built by the mkpkg rpm writer tests.\nSecond line.',
    license: 'MIT', group: 'System Environment/Daemons', url: 'https://example.com/ping-svc',
    vendor: 'Acme', packager: 'Acme Ops <ops@acme.example>', buildHost: 'build.example',
    ...rest,
    relations: { ...noRelations(), ...relations },
  };
}

/** Write an rpm into a fresh scratch directory. */
export async function build(plan: Plan, meta: RpmMetadata, scripts: RpmScripts = {}, opts: Partial<RpmWriteOptions> = {}): Promise<Artifact> {
  return writeRpm(plan, meta, scripts, { outDir: scratch('mkpkg-rpm-out-'), compression: 'gzip', level: 6, sourceDateEpoch: MTIME, ...opts });
}

/** A scratch HOME so Debian's rpm never touches ~/.rpmdb. */
const home = (() => {
  let h: string | undefined;
  return () => (h ??= scratch('mkpkg-rpm-home-'));
})();

export interface RunResult { status: number | null; stdout: string; stderr: string }

/** Run a real tool; returns its status and output (never throws on a non-zero exit). */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts, env: { ...process.env, HOME: home(), LC_ALL: 'C.UTF-8', ...opts.env } });
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Run and require exit 0; the error shows the output. */
export function ok(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `rpm -qp --qf FORMAT FILE` */
export const qf = (pkg: string, format: string): string => ok('rpm', ['-qp', '--qf', format, pkg]);

/** A scratch source tree with the given files; returns its path. */
export function sourceTree(files: Record<string, string | Buffer>): string {
  const d = scratch('mkpkg-rpm-src-');
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(d, rel, '..'), { recursive: true });
    writeFileSync(join(d, rel), content);
  }
  return d;
}

/** A scratch install root with an initialised rpm database at /var/lib/rpm. */
export function installRoot(): string {
  const root = scratch('mkpkg-rpm-root-');
  ok('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb']);
  return root;
}

/** `rpm --root ROOT --dbpath /var/lib/rpm --nodeps --noscripts ARGS` */
export const rpmRoot = (root: string, ...args: string[]): RunResult =>
  run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--nodeps', '--noscripts', ...args]);

/**
 * A scratch yum repository and an empty install root (directory names start `mkpkg-<tag>`), with dnf and rpm
 * bound to them: `add` copies a package in, `createrepo`/`updateRepo` (re)write the metadata, `installed` is `rpm -q`.
 */
export function dnfRepo(tag = '') {
  const repo = scratch(`mkpkg-${tag}yum-`);
  const root = scratch(`mkpkg-${tag}dnfroot-`);
  const home = scratch(`mkpkg-${tag}dnfhome-`);
  writeFileSync(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  const env = { HOME: home };
  return {
    root,
    add: (path: string) => copyFileSync(path, join(repo, basename(path))),
    createrepo: () => { ok('createrepo_c', ['--quiet', repo], { env }); },
    updateRepo: () => {
      mkdirSync(join(repo, 'repodata'), { recursive: true });
      ok('createrepo_c', ['--quiet', '--update', repo], { env });
    },
    dnf: (...args: string[]) => run('dnf', ['-y', '--refresh', `--installroot=${root}`, '--releasever=40', `--repofrompath=local,file://${repo}`,
      '--repo=local', '--setopt=gpgcheck=0', '--setopt=tsflags=noscripts', '--setopt=install_weak_deps=False', ...args], { env }),
    installed: (name: string) => run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-q', name], { env }).stdout.trim(),
  };
}
