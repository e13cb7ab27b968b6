/**
 * Where a repository lives: a local directory or an S3 bucket prefix, behind one small interface.
 * Keys are repository-relative paths with `/` separators (`dists/stable/Release`, `pool/main/…`).
 * Every put is atomic for readers: a reader sees the old object or the new one, never a mix.
 */

/** What {@link RepoStore.get} reads at most: far above any real index (Debian's largest Packages is ~100 MB). */
export const MAX_GET_BYTES = 1 << 30;

/** An object in a store. */
export interface StoredObject {
  key: string;
  size: number;
  /** When it was last written. */
  modified: Date;
}

/** The lock holder's identity, as written into the lock file or object. */
export interface LockHolder {
  /** Random, unique per acquisition. */
  owner: string;
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  acquired: string;
  /** ISO time after which the lock counts as abandoned unless renewed. */
  expires: string;
}

/** Options of {@link RepoStore.lock}. */
export interface LockOptions {
  /** How long to wait for another publisher (default 120 s). */
  timeoutMs?: number;
  /** Called when a stale lock (dead process, expired lease) was removed. */
  onStaleLock?: (holder: LockHolder, why: string) => void;
}

/** A held lock; release it in a `finally`. */
export interface HeldLock {
  holder: LockHolder;
  /** How long acquiring it waited. */
  waitedMs: number;
  release(): Promise<void>;
}

/** A repository's storage. */
export interface RepoStore {
  /** For messages: the directory path or `s3://BUCKET/PREFIX`. */
  readonly location: string;
  /**
   * The object's bytes, or undefined when it does not exist. Only indexes and metadata are read
   * whole: one larger than {@link MAX_GET_BYTES}, or a local path that is not a regular file (a FIFO
   * would block), is E_REPO_INVALID.
   */
  get(key: string): Promise<Buffer | undefined>;
  /** Size and modification time, or undefined when it does not exist. */
  stat(key: string): Promise<StoredObject | undefined>;
  /** The SHA-256 of a stored object (hex), or undefined when it does not exist. */
  sha256(key: string): Promise<string | undefined>;
  /** Write bytes (atomically for readers). `sha256` is recorded where the store keeps metadata. */
  put(key: string, data: Uint8Array | string): Promise<void>;
  /** Copy a local file in (atomically for readers); `sha256` is the file's digest. */
  putFile(key: string, file: string, sha256: string): Promise<void>;
  /** Remove an object (no error when it is already gone). */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` (recursively), sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Serialize publishers of this repository. */
  lock(opts?: LockOptions): Promise<HeldLock>;
  /** Remove what an interrupted earlier run may have left (temporary files); only while holding the lock. */
  sweep?(prefixes: readonly string[]): Promise<void>;
  /** Free connections. */
  close?(): void;
}
