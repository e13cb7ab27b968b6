/**
 * `aptRepository()`: an output that adds the built .deb files to a local apt repository directory
 * (pool + dists), rebuilding every index from the pool so re-publishing is idempotent, and signing
 * the Release file (InRelease + Release.gpg) when a key is given. Serve the directory over HTTP(S).
 */
import { gzipSync } from 'node:zlib';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { MkpkgError } from '../errors.js';
import { readDebControl } from '../formats/deb/reader.js';
import { copyFileAtomically, writeFileAtomically, type AtomicWriteOptions } from '../output/atomic.js';
import type { Output, PublishResult } from '../pipeline/types.js';
import { packagesIndex, poolDir, releaseText, type IndexFile, type PoolPackage } from './apt-index.js';
import { readRepoKey, signRelease } from './apt-sign.js';
import { digestBytes, digestFile } from './digests.js';

/** Options of {@link aptRepository} / {@link publishAptRepository}. */
export interface AptRepositoryOptions {
  /** The repository directory (relative paths: to the project directory). Created if missing. */
  dir: string;
  /** Default `stable`. One repository directory holds one suite. */
  suite?: string;
  /** Default: the suite. Never change it (nor Origin/Label) once clients use the repository. */
  codename?: string;
  /** Default `main`. */
  component?: string;
  origin?: string;
  label?: string;
  description?: string;
  /**
   * Architectures listed in Release (arch `all` packages appear in each). Default: the
   * architectures of the packages in the pool, or `amd64 arm64` when there are only `all` ones.
   */
  architectures?: string[];
  /** An armored OpenPGP private key, or the path of a file holding one (relative: to the project). */
  signKey?: string;
  /** The key's passphrase (default: env MKPKG_SIGN_PASSPHRASE). */
  passphrase?: string;
  /** The Release `Date` (default: now). */
  date?: Date;
}

/** What a publish did. */
export interface AptPublishResult {
  dir: string;
  /** Pool files added by this call (repository-relative). */
  added: string[];
  /** Every package in the suite's indexes after publishing. */
  packages: number;
  architectures: string[];
  components: string[];
  signed: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const DEFAULT_ARCHES = ['amd64', 'arm64'];
const ATOMIC: AtomicWriteOptions = { hint: 'the repository directory (aptRepository({ dir })) must be writable and have free space' };

function checkName(what: string, value: string): void {
  if (!NAME.test(value)) {
    throw new MkpkgError('E_REPO_INVALID', `aptRepository: ${what} ${JSON.stringify(value)} is not a valid name`, {
      hint: `use letters, digits, ".", "_", "+" and "-" for the ${what}`, details: { [what]: value },
    });
  }
}

async function walkDebs(dir: string, rel: string, out: string[]): Promise<void> {
  const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walkDebs(dir, r, out);
    else if (e.isFile() && e.name.endsWith('.deb')) out.push(r);
  }
}

/**
 * Read every .deb under `pool/<component>/` of the repository. `known` holds the packages this
 * call already read and hashed (by pool path), so they are not read a second time.
 */
async function scanPool(root: string, known: ReadonlyMap<string, PoolPackage>): Promise<PoolPackage[]> {
  const files: string[] = [];
  await walkDebs(root, 'pool', files);
  const out: PoolPackage[] = [];
  for (const filename of files.sort()) {
    const seen = known.get(filename);
    if (seen) { out.push(seen); continue; }
    const path = join(root, filename);
    const info = await readDebControl(path);
    out.push({ component: filename.split('/')[1]!, filename, controlText: info.controlText, fields: info.control, digests: await digestFile(path) });
  }
  return out;
}

/**
 * Copy one .deb into the pool; an existing file of the same name must be byte-identical.
 * Records what it read of the package in `known` (pool path → entry) for {@link scanPool}.
 */
async function addToPool(root: string, component: string, deb: string, known: Map<string, PoolPackage>): Promise<string | undefined> {
  const info = await readDebControl(deb);
  const name = info.control.Package;
  if (!name || !NAME.test(name)) throw new MkpkgError('E_READ_PACKAGE', `${deb} has no valid Package field`, { hint: 'publish packages built by mkpkg or dpkg-deb' });
  const rel = `${poolDir(component, name)}/${basename(deb)}`;
  const dest = join(root, rel);
  const digests = await digestFile(deb);
  const entry: PoolPackage = { component, filename: rel, controlText: info.controlText, fields: info.control, digests };
  const existing = await digestFile(dest).catch(() => undefined);
  if (existing) {
    if (existing.sha256 === digests.sha256) { known.set(rel, entry); return undefined; }
    throw new MkpkgError('E_PUBLISH_CONFLICT', `the repository already has ${rel} with different content`, {
      hint: 'a published version must never change: bump the version or the release (--release) and publish again',
      details: { file: rel },
    });
  }
  await mkdir(join(root, poolDir(component, name)), { recursive: true });
  await copyFileAtomically(deb, dest, ATOMIC);
  known.set(rel, entry);
  return rel;
}

/** Add `debs` to the repository at `opts.dir` and rebuild its indexes (and signatures). */
export async function publishAptRepository(debs: readonly string[], opts: AptRepositoryOptions): Promise<AptPublishResult> {
  const root = resolvePath(opts.dir);
  const suite = opts.suite ?? 'stable';
  const component = opts.component ?? 'main';
  checkName('suite', suite);
  checkName('codename', opts.codename ?? suite);
  checkName('component', component);
  for (const a of opts.architectures ?? []) checkName('architecture', a);
  if (opts.architectures?.includes('all')) {
    throw new MkpkgError('E_REPO_INVALID', 'aptRepository: architectures must not contain "all"', { hint: 'list real architectures (amd64, arm64, …); arch-all packages are listed in each of them' });
  }
  // Read the key first: a bad key must fail before the repository changes.
  const key = opts.signKey ? await readRepoKey(opts.signKey, opts.passphrase) : undefined;

  await mkdir(join(root, 'pool', component), { recursive: true });
  const added: string[] = [];
  const known = new Map<string, PoolPackage>();
  for (const deb of debs) {
    const rel = await addToPool(root, component, deb, known);
    if (rel) added.push(rel);
  }

  const pool = await scanPool(root, known);
  const components = [...new Set([component, ...pool.map((p) => p.component)])].sort();
  for (const c of components) checkName('component', c);
  const real = pool.map((p) => p.fields.Architecture ?? '').filter((a) => a && a !== 'all');
  const arches = [...new Set([...(opts.architectures ?? []), ...real])].sort();
  const architectures = arches.length ? arches : DEFAULT_ARCHES;

  const distDir = join(root, 'dists', suite);
  const files: IndexFile[] = [];
  for (const c of components) {
    // Indexes of architectures no longer listed would be stale: remove them.
    const present = await readdir(join(distDir, c)).catch(() => [] as string[]);
    for (const d of present) if (d.startsWith('binary-') && !architectures.includes(d.slice(7))) await rm(join(distDir, c, d), { recursive: true, force: true });
    for (const arch of architectures) {
      const rel = `${c}/binary-${arch}`;
      await mkdir(join(distDir, rel), { recursive: true });
      const text = Buffer.from(packagesIndex(pool, c, arch), 'utf8');
      const gz = gzipSync(text, { level: 9 });
      await writeFileAtomically(join(distDir, rel, 'Packages'), text, ATOMIC);
      await writeFileAtomically(join(distDir, rel, 'Packages.gz'), gz, ATOMIC);
      files.push({ path: `${rel}/Packages`, digests: digestBytes(text) }, { path: `${rel}/Packages.gz`, digests: digestBytes(gz) });
    }
  }
  const release = releaseText({
    origin: opts.origin, label: opts.label, suite, codename: opts.codename ?? suite, description: opts.description,
    date: opts.date ?? new Date(), architectures, components, files,
  });
  const sigs = key ? await signRelease(release, key) : undefined;
  await writeFileAtomically(join(distDir, 'Release'), release, ATOMIC);
  if (sigs) {
    await writeFileAtomically(join(distDir, 'InRelease'), sigs.inRelease, ATOMIC);
    await writeFileAtomically(join(distDir, 'Release.gpg'), sigs.releaseGpg, ATOMIC);
  } else {
    // An old signature would not match the new Release.
    await rm(join(distDir, 'InRelease'), { force: true });
    await rm(join(distDir, 'Release.gpg'), { force: true });
  }
  return { dir: root, added, packages: pool.length, architectures, components, signed: Boolean(sigs) };
}

/**
 * An output publishing the build's .deb files to a local apt repository, e.g.
 * `outputs: [aptRepository({ dir: 'out/repo', signKey: process.env.REPO_KEY })]`.
 */
export function aptRepository(options: AptRepositoryOptions): Output {
  return {
    name: 'apt-repository',
    kind: 'publish',
    async run(artifacts, ctx): Promise<PublishResult> {
      const debs = artifacts.filter((a) => a.format === 'deb').map((a) => a.path);
      const base = ctx.options.dir;
      const dir = isAbsolute(options.dir) ? options.dir : resolvePath(base, options.dir);
      const signKey = options.signKey && !options.signKey.includes('-----BEGIN') && !isAbsolute(options.signKey) ? resolvePath(base, options.signKey) : options.signKey;
      if (debs.length === 0) ctx.warn({ code: 'W_PUBLISH_NOTHING', message: `apt-repository: no .deb was built; ${dir} only gets its indexes rebuilt` });
      const r = await publishAptRepository(debs, { ...options, dir, signKey });
      return {
        output: 'apt-repository',
        ok: true,
        location: r.dir,
        detail: `${r.added.length} added, ${r.packages} in ${options.suite ?? 'stable'}/${r.components.join(',')} [${r.architectures.join(' ')}]${r.signed ? ', signed' : ''}`,
      };
    },
  };
}
