/**
 * The repository lock on S3: an object `PREFIX/.mkpkg-publish.lock` holding the owner and the
 * lease's expiry.
 *
 * Where the server supports conditional writes (`If-None-Match: *`, AWS S3 since 2024), the lock is
 * created with one, so exactly one publisher wins. Where it does not (probed once per run: a second
 * conditional PUT of a probe object must be refused with 412), the lock is a lease: a publisher
 * that finds no live lock writes its own, waits {@link SETTLE_MS}, and owns the lock only if the
 * object then still names it. Two publishers starting within a few milliseconds of each other on
 * such a server can still both pass; use a server with conditional writes where that matters.
 * Either way the lock of a publisher that died on this machine, or whose lease (60 s, `LEASE_MS` in
 * ./lock.ts) was not renewed, is taken over.
 */
import { parseHolder, type LockBackend } from './lock.js';
import { LOCK_NAME } from './local.js';
import { notFound, storeError, type S3Bucket } from './s3-client.js';
import type { LockHolder } from './types.js';

/** How long a lease publisher waits before checking that its lock object is still its own. */
const SETTLE_MS = 1500;

const conditional = new Map<string, Promise<boolean>>();

export class S3Lock implements LockBackend {
  readonly where: string;
  constructor(private readonly store: S3Bucket) {
    this.where = `${store.location}/${LOCK_NAME}`;
  }

  private get key(): string {
    return this.store.objectKey(LOCK_NAME);
  }

  /** Whether the server refuses a PUT with `If-None-Match: *` over an existing object. */
  private supportsConditionalWrites(): Promise<boolean> {
    const id = `${this.store.target.endpoint ?? 'aws'} ${this.store.target.bucket}`;
    let p = conditional.get(id);
    if (!p) {
      p = this.probe();
      conditional.set(id, p);
    }
    return p;
  }

  private async probe(): Promise<boolean> {
    const { c, m } = await this.store.s3();
    const Key = this.store.objectKey(`${LOCK_NAME}.probe-${process.pid}-${Date.now()}`);
    const put = (cond: boolean) => c.send(new m.PutObjectCommand({ Bucket: this.store.target.bucket, Key, Body: 'probe', ...(cond ? { IfNoneMatch: '*' } : {}) }));
    try {
      await put(false);
      try {
        await put(true);
        return false;
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412) return true;
        throw e;
      }
    } catch (e) {
      throw storeError('PUT', Key, e);
    } finally {
      await c.send(new m.DeleteObjectCommand({ Bucket: this.store.target.bucket, Key })).catch(() => undefined);
    }
  }

  private async write(holder: LockHolder, ifNoneMatch: boolean): Promise<'ok' | 'exists'> {
    const { c, m } = await this.store.s3();
    try {
      await c.send(new m.PutObjectCommand({
        Bucket: this.store.target.bucket, Key: this.key, Body: `${JSON.stringify(holder)}\n`,
        ContentType: 'application/json', CacheControl: 'no-store', ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
      }));
      return 'ok';
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (ifNoneMatch && (status === 412 || status === 409)) return 'exists';
      throw storeError('PUT', this.key, e);
    }
  }

  async create(holder: LockHolder): Promise<boolean> {
    if (await this.supportsConditionalWrites()) return (await this.write(holder, true)) === 'ok';
    if ((await this.read()) !== undefined) return false;
    await this.write(holder, false);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const now = await this.read();
    return typeof now === 'object' && now.owner === holder.owner;
  }

  async read(): Promise<LockHolder | undefined | 'unreadable'> {
    const { c, m } = await this.store.s3();
    try {
      const r = await c.send(new m.GetObjectCommand({ Bucket: this.store.target.bucket, Key: this.key }));
      return parseHolder((await r.Body?.transformToString()) ?? '') ?? 'unreadable';
    } catch (e) {
      if (notFound(e)) return undefined;
      throw storeError('GET', this.key, e);
    }
  }

  async renew(holder: LockHolder): Promise<void> {
    const current = await this.read();
    if (typeof current === 'object' && current.owner === holder.owner) await this.write(holder, false);
  }

  async remove(holder: LockHolder): Promise<void> {
    const current = await this.read().catch(() => undefined);
    if (typeof current !== 'object' || current.owner !== holder.owner) return;
    const { c, m } = await this.store.s3();
    await c.send(new m.DeleteObjectCommand({ Bucket: this.store.target.bucket, Key: this.key })).catch((e: unknown) => {
      if (!notFound(e)) throw storeError('DELETE', this.key, e);
    });
  }
}

