/**
 * A repository in a local directory. Every file is written to a temporary name beside its final
 * path and renamed into place (src/output/atomic.ts), so a web server serving the directory never
 * hands out a half-written file. The lock is a file created exclusively at the repository root.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { MkpkgError } from '../../errors.js';
import { openRegularFile, type PackageFile } from '../../formats/package-file.js';
import { copyFileAtomically, writeFileAtomically, type AtomicWriteOptions } from '../../output/atomic.js';
import { checkKey, unreadableObject } from './keys.js';
import { acquireLock, parseHolder, type LockBackend } from './lock.js';
import { MAX_GET_BYTES, type HeldLock, type LockHolder, type LockOptions, type RepoStore, type StoredObject } from './types.js';

/** The lock file's name at the repository root. */
export const LOCK_NAME = '.mkpkg-publish.lock';
/** Temporary files of an interrupted write: `.NAME.XXXXXXXX.tmp` (src/output/atomic.ts). */
const TEMP = /^\..+\.[0-9a-f]{8}\.tmp$/;

const ATOMIC: AtomicWriteOptions = { hint: 'the repository directory must be writable and have free space' };

const ioError = (what: string, path: string, e: unknown) =>
  new MkpkgError('E_WRITE_FAILED', `${what} ${path} failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
    hint: 'check the repository directory\'s permissions and free space', cause: e,
  });

/**
 * The bytes of the regular file at `path` of at most `max` bytes ({@link openRegularFile}: a FIFO is
 * not waited on), or undefined when there is none; `refuse(why)` otherwise.
 */
async function readRegularFile(path: string, max: number, refuse: (why: string) => MkpkgError): Promise<Buffer | undefined> {
  let file: PackageFile;
  try {
    file = await openRegularFile(path, (what) => refuse(`is ${what}, not a regular file`));
  } catch (e) {
    if (e instanceof MkpkgError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError('reading', path, e);
  }
  try {
    if (file.size > max) throw refuse(`is larger than ${max} bytes`);
    return await file.fh.readFile().catch((e: unknown) => { throw ioError('reading', path, e); });
  } finally {
    await file.fh.close();
  }
}

/** A lock file holds one JSON line of a few hundred bytes. */
const MAX_LOCK_BYTES = 64 * 1024;

export class LocalStore implements RepoStore {
  readonly root: string;
  /** `maxGet`: what {@link get} reads at most (smaller in tests). */
  constructor(dir: string, private readonly maxGet = MAX_GET_BYTES) {
    this.root = resolve(dir);
  }

  get location(): string {
    return this.root;
  }

  private path(key: string): string {
    return join(this.root, checkKey(key));
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readRegularFile(this.path(key), this.maxGet, (why) => unreadableObject(this.root, key, why));
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const st = await stat(this.path(key)).catch(() => undefined);
    return st?.isFile() ? { key, size: st.size, modified: st.mtime } : undefined;
  }

  async sha256(key: string): Promise<string | undefined> {
    if (!(await this.stat(key))) return undefined;
    const h = createHash('sha256');
    for await (const chunk of createReadStream(this.path(key))) h.update(chunk as Buffer);
    return h.digest('hex');
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomically(path, data, ATOMIC);
  }

  async putFile(key: string, file: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await copyFileAtomically(file, path, ATOMIC);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const walk = async (rel: string): Promise<void> => {
      const entries = await readdir(join(this.root, rel), { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(key);
        else if (e.isFile() && !TEMP.test(e.name) && key.startsWith(prefix)) {
          const st = await stat(join(this.root, key)).catch(() => undefined);
          if (st) out.push({ key, size: st.size, modified: st.mtime });
        }
      }
    };
    // Walk from the deepest directory the prefix names.
    const slash = prefix.lastIndexOf('/');
    await walk(slash >= 0 ? prefix.slice(0, slash) : '');
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async sweep(prefixes: readonly string[]): Promise<void> {
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (e.isDirectory()) await walk(join(dir, e.name));
        else if (TEMP.test(e.name)) await unlink(join(dir, e.name)).catch(() => undefined);
      }
    };
    for (const p of prefixes) await walk(join(this.root, p));
  }

  async lock(opts: LockOptions = {}): Promise<HeldLock> {
    await mkdir(this.root, { recursive: true }).catch((e) => { throw ioError('creating', this.root, e); });
    return acquireLock(new LocalLock(join(this.root, LOCK_NAME)), opts);
  }
}

/** The lock file: created with O_EXCL; stale when its process is gone (same host) or its lease expired. */
class LocalLock implements LockBackend {
  constructor(readonly where: string) {}

  async create(holder: LockHolder): Promise<boolean> {
    let fh;
    try {
      fh = await open(this.where, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw ioError('creating the lock file', this.where, e);
    }
    try {
      await fh.writeFile(`${JSON.stringify(holder)}\n`);
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await unlink(this.where).catch(() => undefined);
      throw ioError('writing the lock file', this.where, e);
    }
    return true;
  }

  async read(): Promise<LockHolder | undefined | 'unreadable'> {
    const refuse = (why: string) => new MkpkgError('E_REPO_INVALID', `the lock file ${this.where} ${why}`, {
      hint: 'if no publisher is running, delete it (it is not a lock mkpkg wrote)',
    });
    const bytes = await readRegularFile(this.where, MAX_LOCK_BYTES, refuse);
    return bytes === undefined ? undefined : parseHolder(bytes.toString('utf8')) ?? 'unreadable';
  }

  async renew(holder: LockHolder): Promise<void> {
    const current = await this.read();
    if (typeof current !== 'object' || current.owner !== holder.owner) return;
    const tmp = `${this.where}.${holder.owner}.renew`;
    await writeFile(tmp, `${JSON.stringify(holder)}\n`);
    await rename(tmp, this.where);
  }

  async remove(holder: LockHolder): Promise<void> {
    const current = await this.read().catch(() => undefined);
    if (typeof current === 'object' && current.owner === holder.owner) await unlink(this.where).catch(() => undefined);
  }
}
