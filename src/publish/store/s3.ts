/**
 * A repository under an S3 (or S3-compatible) bucket prefix, through the AWS SDK with its own
 * credential chain (environment variables, shared config and credentials files, SSO, instance
 * roles): mkpkg never takes a secret as an option and never prints one. Each PUT replaces an object
 * atomically for readers; objects carry the Content-Type and Cache-Control of {@link objectPolicy}.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat as statFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../digests.js';
import { MkpkgError } from '../../errors.js';
import { checkKey, objectPolicy, unreadableObject } from './keys.js';
import { acquireLock } from './lock.js';
import { S3Lock } from './s3-lock.js';
import { loadSdk, notFound, storeError, type S3Bucket, type S3Target, type Sdk } from './s3-client.js';
import { MAX_GET_BYTES, type HeldLock, type LockOptions, type RepoStore, type StoredObject } from './types.js';

export class S3Store implements RepoStore, S3Bucket {
  private client?: Promise<S3Client>;
  /** `maxGet`: what {@link get} reads at most (smaller in tests). */
  constructor(readonly target: S3Target, private readonly maxGet = MAX_GET_BYTES) {}

  get location(): string {
    return `s3://${this.target.bucket}${this.target.prefix ? `/${this.target.prefix}` : ''}`;
  }

  /** The bucket key of a repository key. */
  objectKey(key: string): string {
    return this.target.prefix ? `${this.target.prefix}/${checkKey(key)}` : checkKey(key);
  }

  /** The SDK client and module (created on first use). */
  async s3(): Promise<{ c: S3Client; m: Sdk }> {
    const m = await loadSdk();
    this.client ??= Promise.resolve(new m.S3Client({
      ...(this.target.endpoint ? { endpoint: this.target.endpoint, forcePathStyle: true } : {}),
      // A custom endpoint without a configured region still needs one for request signing.
      ...(this.target.endpoint && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION ? { region: 'us-east-1' } : {}),
      // Only the checksums S3 requires: many S3-compatible servers reject the newer trailing checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }));
    return { c: await this.client, m };
  }

  async get(key: string): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    const found = await this.read(key, (c) => {
      size += c.length;
      // Thrown from the loop over the body, which stops reading it.
      if (size > this.maxGet) throw unreadableObject(this.location, key, `is larger than ${this.maxGet} bytes`);
      chunks.push(Buffer.from(c));
    });
    return found ? Buffer.concat(chunks) : undefined;
  }

  /** Hand the object's bytes to `sink` as they arrive; false when there is no such object. */
  private async read(key: string, sink: (chunk: Uint8Array) => void): Promise<boolean> {
    const { c, m } = await this.s3();
    try {
      const r = await c.send(new m.GetObjectCommand({ Bucket: this.target.bucket, Key: this.objectKey(key) }));
      for await (const chunk of r.Body as AsyncIterable<Uint8Array>) sink(chunk);
      return true;
    } catch (e) {
      if (e instanceof MkpkgError) throw e;
      if (notFound(e)) return false;
      throw storeError('GET', this.objectKey(key), e);
    }
  }

  private async head(key: string) {
    const { c, m } = await this.s3();
    try {
      return await c.send(new m.HeadObjectCommand({ Bucket: this.target.bucket, Key: this.objectKey(key) }));
    } catch (e) {
      if (notFound(e)) return undefined;
      throw storeError('HEAD', this.objectKey(key), e);
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const h = await this.head(key);
    return h ? { key, size: h.ContentLength ?? 0, modified: h.LastModified ?? new Date(0) } : undefined;
  }

  async sha256(key: string): Promise<string | undefined> {
    const h = await this.head(key);
    if (!h) return undefined;
    if (h.Metadata?.sha256) return h.Metadata.sha256;
    // Uploaded by another tool: hash the object itself, as it streams (a package is never held whole).
    const hash = createHash('sha256');
    return (await this.read(key, (c) => hash.update(c))) ? hash.digest('hex') : undefined;
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await this.send('PUT', key, body, body.length, sha256Hex(body));
  }

  async putFile(key: string, file: string, sha256: string): Promise<void> {
    const { size } = await statFile(file);
    await this.send('PUT', key, createReadStream(file), size, sha256);
  }

  private async send(op: string, key: string, body: Uint8Array | NodeJS.ReadableStream, length: number, sha256: string): Promise<void> {
    const { c, m } = await this.s3();
    const policy = objectPolicy(key);
    try {
      await c.send(new m.PutObjectCommand({
        Bucket: this.target.bucket, Key: this.objectKey(key), Body: body as Uint8Array, ContentLength: length,
        ContentType: policy.contentType, CacheControl: policy.cacheControl, Metadata: { sha256 },
      }));
    } catch (e) {
      throw storeError(op, this.objectKey(key), e);
    }
  }

  async delete(key: string): Promise<void> {
    const { c, m } = await this.s3();
    try {
      await c.send(new m.DeleteObjectCommand({ Bucket: this.target.bucket, Key: this.objectKey(key) }));
    } catch (e) {
      if (!notFound(e)) throw storeError('DELETE', this.objectKey(key), e);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const { c, m } = await this.s3();
    const base = this.target.prefix ? `${this.target.prefix}/` : '';
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      let r;
      try {
        r = await c.send(new m.ListObjectsV2Command({ Bucket: this.target.bucket, Prefix: `${base}${prefix}`, ContinuationToken: token }));
      } catch (e) {
        throw storeError('LIST', `${base}${prefix}`, e);
      }
      for (const o of r.Contents ?? []) {
        if (o.Key) out.push({ key: o.Key.slice(base.length), size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  lock(opts: LockOptions = {}): Promise<HeldLock> {
    return acquireLock(new S3Lock(this), opts);
  }

  close(): void {
    void this.client?.then((c) => c.destroy());
  }
}
