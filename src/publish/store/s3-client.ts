/**
 * The S3 side of a store: where the repository is, the SDK (loaded on first use), how its errors
 * become coded errors, and what the lock needs of a bucket.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { MkpkgError } from '../../errors.js';

/** Where the repository is: `s3://BUCKET/PREFIX` plus an optional endpoint for S3-compatible servers. */
export interface S3Target {
  bucket: string;
  /** Without leading or trailing `/`; empty for the bucket's root. */
  prefix: string;
  /** e.g. `http://127.0.0.1:9000` (path-style addressing is then used). */
  endpoint?: string;
}

/** The AWS SDK module. */
export type Sdk = typeof import('@aws-sdk/client-s3');
let sdk: Promise<Sdk> | undefined;
/** The SDK is large: loaded only for s3:// targets. */
export function loadSdk(): Promise<Sdk> {
  // The SDK warns on every run that its releases after January 2027 need Node 22; mkpkg pins a
  // release that supports Node 20, so that notice is noise for mkpkg's users (unless they ask for it).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
}

interface SdkError { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } }

/** E_STORE_FAILED for a failed request, naming the operation and object (the SDK's messages carry no secrets). */
export function storeError(op: string, where: string, e: unknown): MkpkgError {
  const err = e as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const what = `${err.name ?? err.code ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? String(e)}`;
  const creds = /credential|Region is missing/i.test(err.message ?? '') || err.name === 'CredentialsProviderError';
  return new MkpkgError('E_STORE_FAILED', `S3 ${op} ${where} failed: ${what}`, {
    hint: creds
      ? 'set credentials and region the AWS way: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_REGION, AWS_PROFILE, or ~/.aws/config and ~/.aws/credentials'
      : 'check the bucket name, --endpoint (or MKPKG_S3_ENDPOINT), network access and the permissions of your AWS credentials; rerunning completes an interrupted publish',
    cause: e,
    details: { operation: op, object: where, status },
  });
}

export const notFound = (e: unknown): boolean => {
  const err = e as SdkError;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
};

/** A bucket prefix holding a repository, as the S3 lock uses it. */
export interface S3Bucket {
  readonly target: S3Target;
  /** `s3://BUCKET/PREFIX`. */
  readonly location: string;
  /** The bucket key of a repository key. */
  objectKey(key: string): string;
  /** The SDK client and module. */
  s3(): Promise<{ c: S3Client; m: Sdk }>;
}
