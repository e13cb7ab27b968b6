/**
 * The default layout of a Node.js app: the files `npm pack` would publish under the app directory,
 * production `node_modules` installed in a staging area outside the project, and `bin` links in /usr/bin.
 */
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve, isAbsolute } from 'node:path';
import { MkpkgError, type Warning } from '../errors.js';
import type { ContentInput } from './contents.js';
import { EXEC_MODE } from './modes.js';
import { isNpmDevFile } from './npm-dev-files.js';
import { normalizeDst } from './paths.js';
import { runNpm } from './npm.js';
import { packList } from './packlist.js';
import { formatSize } from '../terminal.js';
import { checkAddonsBuilt } from './native-addons.js';

/** The package.json fields the layout reads. */
export interface PackageJsonLike {
  name?: string;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Options of {@link layoutNodeApp}. */
export interface NodeAppOptions {
  projectDir: string;
  packageJson: PackageJsonLike;
  /** Install directory. Default `/usr/lib/NAME` (a scoped `@scope/name` becomes `scope-name`). */
  appDir?: string;
  /** `production` installs dependencies with `npm ci --omit=dev`; `none` ships no node_modules. Default production. */
  nodeModules?: 'production' | 'none';
  /** Link package.json `bin` entries into /usr/bin. Default true. */
  bin?: boolean;
  /** Parent of the temporary npm staging directory. Default the system temp dir; never inside the project. */
  stagingDir?: string;
  /**
   * Skip dependencies' install scripts. Default false for the build host's CPU: native addons
   * (node-gyp, prebuild-install) need them to produce their `.node` files. Always skipped for a
   * foreign `cpu` (they would build for the host), and a dependency that would have to compile its
   * addon then stops the build (E_ADDON_NEEDS_BUILD). The project's own `scripts` never run.
   */
  ignoreScripts?: boolean;
  /** The npm executable. Default `npm` from PATH. */
  npm?: string;
  signal?: AbortSignal;
  /**
   * The target CPU in Node.js spelling (`x64`, `arm64`): optional dependencies are installed as npm
   * does for a Linux host of that CPU (`--os=linux --cpu=…`). Default the build host's.
   */
  cpu?: string;
  /** Project paths (relative, `/`-separated) never laid out: the output directory, mkpkg's own inputs. */
  exclude?: (rel: string) => boolean;
  /**
   * Installs the production dependencies instead of `npm ci` in the project (a workspace's, from its
   * monorepo root's lock file): returns the directory holding `node_modules`, removed by `cleanup()`.
   */
  installDependencies?: (cpu: string) => Promise<{ dir: string; warnings: Warning[] }>;
  /** Phases and counts, for a progress display. */
  onPhase?: (phase: 'listing' | 'installing', detail: string) => void;
}

/** What {@link buildPlan} merges for a Node.js app. Call `cleanup()` once the packages are written. */
export interface NodeAppLayout {
  appDir: string;
  contents: ContentInput[];
  warnings: Warning[];
  /** The npm staging directory, when dependencies were installed. */
  stagingDir?: string;
  cleanup(): Promise<void>;
}

/** `/usr/lib/NAME` for a package name; `@acme/api` → `/usr/lib/acme-api`. */
export function defaultAppDir(name: string): string {
  return `/usr/lib/${name.replace(/^@/, '').replace(/\//g, '-').toLowerCase()}`;
}

/** package.json `bin` as `[command, relative file]` pairs, sorted by command. */
export function binEntries(pkg: PackageJsonLike): [string, string][] {
  const raw = pkg.bin;
  if (raw === undefined) return [];
  const map = typeof raw === 'string' ? { [(pkg.name ?? '').replace(/^@[^/]*\//, '')]: raw } : raw;
  return Object.entries(map)
    .map(([name, file]): [string, string] => {
      if (!/^[A-Za-z0-9_.][A-Za-z0-9_.+@-]*$/.test(name) || name === '.' || name === '..') {
        throw new MkpkgError('E_PLAN_INVALID', `package.json bin name ${JSON.stringify(name)} is not a valid command name`, {
          hint: 'use a plain file name (letters, digits, ".", "_", "-") as the bin key', details: { name },
        });
      }
      return [name, posix.normalize(String(file)).replace(/^\.\//, '')];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'] as const;

/** A `file:` (or bare relative path) spec made absolute, so it resolves from the staging directory too. */
function absoluteSpec(spec: unknown, projectDir: string): unknown {
  if (typeof spec !== 'string') return spec;
  const m = /^file:(.*)$/.exec(spec) ?? (/^\.\.?\//.test(spec) ? [spec, spec] : null);
  if (!m || isAbsolute(m[1]!)) return spec;
  return `file:${resolve(projectDir, m[1]!)}`;
}

/** The project's package.json as written (every field npm reads), else the fields mkpkg read. */
async function rawPackageJson(o: NodeAppOptions): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await readFile(join(o.projectDir, 'package.json'), 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // the loader already parsed it; a file changed since then falls back to what it read
  }
  return { ...o.packageJson };
}

/**
 * package.json for the staging directory: the project's own, without `scripts`, local paths absolute.
 * Without a lock file `devDependencies` go too: `npm install --omit=dev` would still resolve them
 * (and fail on their peer conflicts); `npm ci` needs them to match the lock.
 */
export function stagingPackageJson(raw: Record<string, unknown>, projectDir: string, locked: boolean): Record<string, unknown> {
  const { scripts: _scripts, ...pkg } = raw;
  if (!locked) delete pkg.devDependencies;
  for (const field of DEPENDENCY_FIELDS) {
    const deps = pkg[field];
    if (deps && typeof deps === 'object') pkg[field] = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, absoluteSpec(v, projectDir)]));
  }
  return pkg;
}

/** A lock file for the staging directory: `file:` specs and `resolved` paths made absolute. */
export function stagingLock(text: string, projectDir: string): string {
  const fix = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => fix(x));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (DEPENDENCY_FIELDS as readonly string[]).includes(k) && x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).map(([n, spec]) => [n, absoluteSpec(spec, projectDir)]))
        : fix(x, k)]));
    }
    return key === 'resolved' && typeof v === 'string' && v.startsWith('file:') ? absoluteSpec(v, projectDir) : v;
  };
  try {
    return `${JSON.stringify(fix(JSON.parse(text)), null, 2)}\n`;
  } catch {
    return text; // npm reports a broken lock file better than we could
  }
}

/** Install production dependencies into a fresh staging dir; returns it (with `node_modules`). */
/**
 * npm's flags for installing production dependencies for a Linux host of `cpu` (Node.js spelling):
 * optional dependencies are chosen by their os/cpu fields for the target, a file: directory
 * dependency is copied in like a registry package (never linked to the project), and for a foreign
 * CPU install scripts do not run (they would build for the build host). Used by every install, the
 * project's own and a workspace's from its monorepo root.
 */
export function productionInstallFlags(cpu: string, ignoreScripts = false): string[] {
  const foreign = cpu !== process.arch;
  return ['--omit=dev', '--no-audit', '--no-fund', '--install-links', '--os=linux', `--cpu=${cpu}`, ...(ignoreScripts || foreign ? ['--ignore-scripts'] : [])];
}

async function installProduction(o: NodeAppOptions, raw: Record<string, unknown>, warnings: Warning[]): Promise<string> {
  const parent = resolve(o.stagingDir ?? tmpdir());
  const rel = relative(resolve(o.projectDir), parent);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new MkpkgError('E_PLAN_INVALID', `app staging directory ${parent} is inside the project ${o.projectDir}`, {
      hint: 'choose a staging directory outside the project (the default is the system temp dir)',
    });
  }
  const staging = await mkdtemp(join(parent, 'mkpkg-npm-'));
  try {
    let lock: string | undefined;
    for (const name of ['npm-shrinkwrap.json', 'package-lock.json']) {
      if (!lock && (await exists(join(o.projectDir, name)))) lock = name;
    }
    await writeFile(join(staging, 'package.json'), JSON.stringify(stagingPackageJson(raw, o.projectDir, lock !== undefined), null, 2) + '\n');
    if (await exists(join(o.projectDir, '.npmrc'))) await copyFile(join(o.projectDir, '.npmrc'), join(staging, '.npmrc'));
    const common = productionInstallFlags(o.cpu ?? process.arch, o.ignoreScripts);
    if (lock) {
      await writeFile(join(staging, lock), stagingLock(await readFile(join(o.projectDir, lock), 'utf8'), o.projectDir));
      o.onPhase?.('installing', `npm ci (${lock})`);
      await runNpm(['ci', ...common], staging, o);
    } else {
      warnings.push({
        code: 'W_NO_LOCKFILE',
        message: `${o.projectDir} has no package-lock.json or npm-shrinkwrap.json; production dependencies were resolved afresh with "npm install" and may differ from build to build`,
      });
      o.onPhase?.('installing', 'npm install (no lock file)');
      await runNpm(['install', '--no-package-lock', ...common], staging, o);
    }
    return staging;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Lay out a Node.js app: npm's publish list (see packlist.ts), and `npm ci` for dependencies. */
export async function layoutNodeApp(o: NodeAppOptions): Promise<NodeAppLayout> {
  const name = o.packageJson.name;
  if (!o.appDir && !name) {
    throw new MkpkgError('E_METADATA_MISSING', `package.json in ${o.projectDir} has no "name", so the app directory cannot be chosen`, {
      hint: 'add "name" to package.json or set app.dir',
    });
  }
  const appDir = normalizeDst(o.appDir ?? defaultAppDir(name!), 'app.dir');
  const warnings: Warning[] = [];
  o.onPhase?.('listing', 'files npm would publish');
  const raw = await rawPackageJson(o);
  const packed = packList(o.projectDir, { ...o.packageJson, browser: raw.browser, bundleDependencies: raw.bundleDependencies ?? raw.bundledDependencies }, { exclude: o.exclude, onProgress: (n) => o.onPhase?.('listing', `${n} files`) });
  o.onPhase?.('listing', `${packed.length} files, ${formatSize(packed.reduce((n, f) => n + f.size, 0))}`);
  const packedSet = new Set(packed.map((f) => f.path));
  const bins = o.bin === false ? [] : binEntries(o.packageJson);
  for (const [cmd, file] of bins) {
    if (!packedSet.has(file)) {
      throw new MkpkgError('E_SOURCE_MISSING', `package.json bin "${cmd}" → ${JSON.stringify(file)} is not among the files npm would publish`, {
        hint: 'add the file to package.json "files" (or fix the bin path)', details: { bin: cmd, file },
      });
    }
  }
  const execs = new Set(bins.map(([, file]) => file));
  const projectRoot = { dir: o.projectDir, label: 'the project directory' };
  const contents: ContentInput[] = packed.map((f) => ({
    src: join(o.projectDir, f.path), dst: `${appDir}/${f.path}`, literal: true, label: `app file ${f.path}`, root: projectRoot,
    ...(execs.has(f.path) ? { mode: EXEC_MODE } : {}),
  }));
  for (const [cmd, file] of bins) {
    contents.push({ type: 'symlink', src: posix.relative('/usr/bin', `${appDir}/${file}`), dst: `/usr/bin/${cmd}`, label: `app bin ${cmd}` });
  }
  const deps = { ...o.packageJson.dependencies, ...o.packageJson.optionalDependencies };
  let staging: string | undefined;
  if ((o.nodeModules ?? 'production') === 'production' && Object.keys(deps).length > 0) {
    const cpu = o.cpu ?? process.arch;
    if (o.installDependencies) {
      const installed = await o.installDependencies(cpu);
      warnings.push(...installed.warnings);
      staging = installed.dir;
    } else {
      staging = await installProduction(o, raw, warnings);
    }
    // Install scripts did not run for a foreign CPU: an addon that needed them to compile stops the build.
    if (cpu !== process.arch) {
      try {
        checkAddonsBuilt(staging, cpu);
      } catch (e) {
        await rm(staging, { recursive: true, force: true });
        throw e;
      }
    }
    if (await exists(join(staging, 'node_modules'))) {
      contents.push({
        src: join(staging, 'node_modules'), dst: `${appDir}/node_modules`, literal: true, label: 'app node_modules',
        root: { dir: staging, label: 'the npm staging directory' }, omit: isNpmDevFile,
      });
    }
  }
  const dir = staging;
  return {
    appDir, contents, warnings, stagingDir: dir,
    cleanup: async () => { if (dir) await rm(dir, { recursive: true, force: true }); },
  };
}
