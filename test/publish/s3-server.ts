/** A real S3-compatible server (s3rver) on a free loopback port, with one bucket, for the S3 tests. */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { scratch } from '../support/tmp.js';

/** Static credentials s3rver accepts; the SDK's own chain finds them in the environment. */
export const S3_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** The SDK client (path style), for reading objects back. */
  client: S3Client;
  close(): Promise<void>;
}

export async function startS3(bucket = 'mkpkg-test'): Promise<S3Server> {
  Object.assign(process.env, S3_ENV);
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: scratch('mkpkg-s3-') });
  const { port } = await server.run() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { endpoint, bucket, client, close: async () => { client.destroy(); await server.close(); } };
}
