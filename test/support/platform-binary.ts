/** The platform-binary fixture, ready to package: a scratch copy with its vendor/ tarballs made (cc + npm pack, no network). */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './dist.js';
import { scratch } from './tmp.js';

export function platformBinaryProject(): string {
  const dir = join(scratch('mkpkg-platform-binary-'), 'platform-binary');
  cpSync(join(REPO, 'fixtures', 'platform-binary'), dir, { recursive: true });
  execFileSync(process.execPath, [join(dir, 'make-vendor.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}
