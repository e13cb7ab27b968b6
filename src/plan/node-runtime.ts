/**
 * The bundled Node.js runtime (`runtime.node`): an official Node.js Linux build the user supplies,
 * as its tarball (`node-vX-linux-ARCH.tar.xz`, `.tar.gz`, `.tgz`, `.tar`) or unpacked directory,
 * inside the project. Nothing is downloaded. Its `bin/node` and `LICENSE` are installed under
 * APPDIR/runtime/node; the version is read from `include/node/node_version.h` (or the file name)
 * without running anything. The tarball is untrusted: its entries are counted and bounded, names
 * that escape its top directory are refused, and only regular files are taken from it.
 */
import { createReadStream, createWriteStream, lstatSync, mkdtempSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import semver from 'semver';
import { normalizeArch } from '../config/arch.js';
import { compressionFromName, createDecompressor } from '../archive/decompress.js';
import { MkpkgError, type Warning } from '../errors.js';
import type { ContentInput } from './contents.js';
import { elfDebArch, elfMismatch, type NativeFile } from './elf.js';
import { readElfIdentity } from './elf-dynamic.js';
import { EXEC_MODE } from './modes.js';
import { isWithin, namedProjectFile } from './roots.js';

/** Where the runtime goes under the app directory. */
export function bundledNodeDir(appDir: string): string {
  return posix.join(appDir, 'runtime/node');
}

/** The bundled `node` executable for an app directory. */
export function bundledNodePath(appDir: string): string {
  return posix.join(bundledNodeDir(appDir), 'bin/node');
}

/** Bounds on what one runtime tarball may cost. */
const LIMITS = { entries: 200_000, nameBytes: 4096, nodeBytes: 1024 << 20, smallFileBytes: 4 << 20 } as const;

/** The files taken from a runtime: path inside it → whether it must be present. */
const TAKEN: Record<string, boolean> = { 'bin/node': true, LICENSE: false, 'include/node/node_version.h': false };

/** A prepared runtime. Call `cleanup()` once the packages are written. */
export interface NodeRuntime {
  /** Debian architecture of its `bin/node`. */
  arch: string;
  /** `20.19.6`, when readable. */
  version?: string;
  contents: ContentInput[];
  warnings: Warning[];
  cleanup(): Promise<void>;
}

/** Options of {@link prepareNodeRuntime}. */
export interface NodeRuntimeOptions {
  projectDir: string;
  /** `runtime.node` as written: a path relative to the project. */
  spec: string;
  appDir: string;
  /** The package's architecture when given (any spelling); otherwise the runtime's decides it. */
  arch?: string;
  /** package.json `engines.node`, checked against the runtime's version. */
  engines?: string;
  /** Parent of the temporary extraction directory. Default the system temp dir. */
  tempDir?: string;
}

const bad = (message: string, details: Record<string, unknown> = {}, hint?: string) =>
  new MkpkgError('E_RUNTIME_INVALID', `runtime.node: ${message}`, { ...(hint ? { hint } : {}), details: { path: 'runtime.node', ...details } });

/** A tar entry name as a path below the tarball's one top directory; refused when it escapes or is odd. */
function innerPath(name: string, top: { name?: string }, tarball: string): string | undefined {
  if (Buffer.byteLength(name) > LIMITS.nameBytes || name.includes('\0')) throw bad(`${tarball} has an entry name that is too long or contains NUL`);
  const parts = name.replace(/^\.\//, '').split('/').filter((p) => p !== '' && p !== '.');
  if (name.startsWith('/') || parts.includes('..')) throw bad(`${tarball} has the entry ${JSON.stringify(name)}, which escapes the archive`, { entry: name });
  if (parts.length === 0) return undefined;
  top.name ??= parts[0];
  if (parts[0] !== top.name) throw bad(`${tarball} has entries under both ${top.name}/ and ${parts[0]}/; a Node.js build has one top directory`, { entry: name });
  return parts.slice(1).join('/');
}

/** Extract the {@link TAKEN} files of `tarball` into `dir`. */
async function extractRuntime(tarball: string, display: string, dir: string): Promise<void> {
  const compression = compressionFromName(tarball)!;
  const top: { name?: string } = {};
  let count = 0;
  // Loaded here: only a build that bundles a Node.js runtime reads a tarball. tar-stream is CommonJS:
  // imported dynamically, the bundle gives it as the default export only.
  const ex = (await import('tar-stream')).default.extract();
  const done = (async () => {
    for await (const entry of ex) {
      const h = entry.header;
      if (++count > LIMITS.entries) throw bad(`${display} has more than ${LIMITS.entries} entries`);
      const inner = innerPath(h.name, top, display);
      if (inner !== undefined && inner in TAKEN) {
        if (h.type !== 'file') throw bad(`${inner} in ${display} is a ${h.type ?? 'special entry'}, not a regular file`, { entry: h.name });
        const cap = inner === 'bin/node' ? LIMITS.nodeBytes : LIMITS.smallFileBytes;
        if ((h.size ?? 0) > cap) throw bad(`${inner} in ${display} has ${h.size} bytes, above the limit of ${cap}`, { entry: h.name });
        const target = join(dir, inner);
        await mkdir(join(target, '..'), { recursive: true });
        await pipeline(entry, createWriteStream(target, { mode: inner === 'bin/node' ? 0o755 : 0o644, flags: 'wx' }));
      } else {
        entry.resume();
      }
    }
  })();
  await Promise.all([pipeline(createReadStream(tarball), createDecompressor(compression), ex), done]).catch((e: unknown) => {
    if (e instanceof MkpkgError) throw e;
    throw bad(`${display} could not be read as a ${compression === 'none' ? '' : `${compression}-compressed `}tar archive: ${(e as Error).message}`, {}, 'give the official node-vX-linux-ARCH.tar.xz (or .tar.gz) unchanged, or its unpacked directory');
  });
}

/** A file of the runtime directory, resolved; symlinks must stay inside `root`. */
function runtimeFile(root: string, inner: string, display: string): string | undefined {
  const abs = join(root, inner);
  try {
    lstatSync(abs);
  } catch {
    return undefined;
  }
  const real = realpathSync.native(abs);
  if (!isWithin(root, real)) throw bad(`${display}/${inner} is a symlink to ${real}, outside the runtime directory`, { file: inner });
  if (!statSync(real).isFile()) throw bad(`${display}/${inner} is not a regular file`, { file: inner });
  return real;
}

/** `20.19.6` from node_version.h's NODE_{MAJOR,MINOR,PATCH}_VERSION. */
export function nodeVersionFromHeader(text: string): string | undefined {
  const part = (n: string) => new RegExp(`^#define\\s+NODE_${n}_VERSION\\s+(\\d+)\\s*$`, 'm').exec(text)?.[1];
  const [a, b, c] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return a !== undefined && b !== undefined && c !== undefined ? `${a}.${b}.${c}` : undefined;
}

/** Check the runtime and lay it out under APPDIR/runtime/node. */
export async function prepareNodeRuntime(o: NodeRuntimeOptions): Promise<NodeRuntime> {
  const source = namedProjectFile(o.projectDir, o.spec, 'runtime.node');
  let isDir: boolean;
  try {
    isDir = statSync(source).isDirectory();
  } catch (e) {
    throw bad(`${o.spec} does not exist (${(e as NodeJS.ErrnoException).code})`, { value: o.spec }, 'the path is relative to the project directory; mkpkg never downloads a runtime');
  }
  let root = isDir ? realpathSync.native(source) : '';
  let temp: string | undefined;
  const cleanup = async () => { if (temp) await rm(temp, { recursive: true, force: true }); };
  try {
    if (!isDir) {
      if (!compressionFromName(source)) throw bad(`${o.spec} is neither a directory nor a .tar.xz, .tar.gz, .tgz, .tar.zst or .tar file`, { value: o.spec });
      temp = mkdtempSync(join(o.tempDir ?? tmpdir(), 'mkpkg-node-runtime-'));
      root = temp;
      await extractRuntime(source, o.spec, temp);
    }
    const files = Object.fromEntries(Object.keys(TAKEN).map((inner) => [inner, runtimeFile(root, inner, o.spec)]));
    const node = files['bin/node'];
    if (!node) throw bad(`${o.spec} has no bin/node`, { value: o.spec }, 'give an official Node.js Linux build: its tarball or the directory it unpacks to (with bin/node)');
    const runtime = checkNodeBinary(node, o);
    const warnings: Warning[] = [];
    const header = files['include/node/node_version.h'];
    const version = (header ? nodeVersionFromHeader(readFileSync(header, 'latin1')) : undefined) ?? /node-v(\d+\.\d+\.\d+)-linux-/.exec(basename(o.spec))?.[1];
    if (!version) {
      warnings.push({ code: 'W_RUNTIME_VERSION_UNKNOWN', message: `runtime.node: the Node.js version of ${o.spec} is not readable (no include/node/node_version.h, no version in its name); engines.node is not checked against it` });
    } else if (o.engines && semver.validRange(o.engines) && !semver.satisfies(version, o.engines)) {
      throw bad(`${o.spec} is Node.js ${version}, which package.json engines.node ${JSON.stringify(o.engines)} does not allow`, { version, engines: o.engines }, 'bundle a Node.js version engines.node allows, or change engines.node');
    }
    const dst = bundledNodeDir(o.appDir);
    const from = { dir: root, label: 'the runtime.node directory' };
    const contents: ContentInput[] = [{ src: node, dst: `${dst}/bin/node`, mode: EXEC_MODE, literal: true, label: `runtime.node bin/node`, root: from }];
    if (files.LICENSE) contents.push({ src: files.LICENSE, dst: `${dst}/LICENSE`, literal: true, label: 'runtime.node LICENSE', root: from });
    return { arch: runtime, ...(version ? { version } : {}), contents, warnings, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** The Debian architecture of the runtime's bin/node; not ELF, or not fitting `o.arch` → E_RUNTIME_INVALID. */
function checkNodeBinary(node: string, o: NodeRuntimeOptions): string {
  const id = readElfIdentity(node);
  if (!id) throw bad(`bin/node of ${o.spec} is not an ELF executable`, { value: o.spec }, 'give an official Node.js build for Linux');
  if (id.malformed) throw bad(`bin/node of ${o.spec} is a malformed ELF file: ${id.malformed.message}`, { value: o.spec });
  const { info, interp } = id;
  const file: NativeFile = { path: `${o.spec}/bin/node`, arch: elfDebArch(info), machine: info.machine, bits: info.bits, littleEndian: info.littleEndian, ...(interp ? { interp } : {}) };
  if (o.arch !== undefined) {
    const deb = normalizeArch(o.arch).deb;
    const why = deb === 'all' ? `is ${file.arch} native code` : elfMismatch(file, deb);
    if (why) {
      throw bad(`bin/node of ${o.spec} ${why} but the package architecture is ${deb}`, { value: o.spec, arch: file.arch, requested: deb },
        `bundle the Node.js build for linux-${normalizeArch(deb).node ?? deb} (node-vX-linux-${normalizeArch(deb).node ?? deb}.tar.xz), or build for --arch ${file.arch}`);
    }
  }
  return file.arch;
}
