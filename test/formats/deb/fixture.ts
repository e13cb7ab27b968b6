/** The test package: a scratch source tree with every awkward feature, and metadata for it. */
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebMetadata, DebScripts } from '../../../src/config/resolved.js';
import type { Plan } from '../../../src/plan/types.js';
import type { WriteOptions } from '../../../src/formats/types.js';
import { scratch } from '../../support/tmp.js';
import { dataEntry, planFromTree } from './plan-from-tree.js';

export const PKG = 'acme-foo';
export const VERSION = '1.2.0~rc.1-1';
export const EPOCH = 1_700_000_000;

export const LIB = 'usr/lib/acme-foo';
/** A file whose path is over 100 bytes. */
export const LONG_100 = `${LIB}/${'node_modules-'.repeat(8)}x/index.js`;
/** A file whose path is over 255 bytes (three long directory levels). */
export const LONG_255 = `${LIB}/${'a'.repeat(80)}/${'b'.repeat(80)}/${'c'.repeat(80)}/deep.js`;
export const UTF8 = `${LIB}/ünïcödé-名前-файл.txt`;
/** A symlink whose (relative) target is over 100 bytes. */
export const LONG_LINK = `${LIB}/long-link`;
export const LONG_TARGET = LONG_255.slice(LIB.length + 1);
export const CONFFILE = 'etc/acme-foo/config.json';

export interface Fixture {
  src: string;
  plan: Plan;
  meta: DebMetadata;
  scripts: DebScripts;
}

function put(root: string, rel: string, content: string | Buffer, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  chmodSync(p, mode);
}

export function metadata(overrides: Partial<DebMetadata> = {}): DebMetadata {
  return {
    package: PKG,
    version: VERSION,
    architecture: 'all',
    maintainer: 'Acme Ops <ops@acme.example>',
    synopsis: 'example service packaged by mkpkg tests',
    description: 'This package exercises the .deb writer.\n\nIt ships long paths, links and a conffile.',
    section: 'misc',
    priority: 'optional',
    homepage: 'https://acme.example/foo',
    relations: { Depends: ['adduser', 'nodejs (>= 18) | nodejs-lts'] },
    ...overrides,
  };
}

/** The feature-rich tree: long paths, a long symlink, UTF-8, empty dirs, an executable, a hard link, a conffile. */
export function featureFixture(): Fixture {
  const src = scratch('mkpkg-debsrc-');
  put(src, 'usr/bin/acme-foo', '#!/bin/sh\necho foo\n', 0o755);
  put(src, LONG_100, 'module.exports = 1;\n');
  put(src, LONG_255, 'module.exports = 2;\n'.repeat(200));
  put(src, UTF8, 'grüße\n', 0o640);
  put(src, `${LIB}/big.bin`, Buffer.alloc(300_001, 7));
  put(src, CONFFILE, '{ "port": 8080 }\n');
  put(src, 'usr/share/doc/acme-foo/copyright', 'Copyright: Acme\nLicense: MIT\n');
  mkdirSync(join(src, LIB, 'empty', 'nested-empty'), { recursive: true });
  chmodSync(join(src, LIB, 'empty'), 0o750);
  mkdirSync(join(src, 'var/lib/acme-foo'), { recursive: true });
  symlinkSync(LONG_TARGET, join(src, LONG_LINK));
  symlinkSync('../lib/acme-foo/big.bin', join(src, 'usr/bin/acme-foo-data'));
  linkSync(join(src, LIB, 'big.bin'), join(src, LIB, 'big-hardlink.bin'));
  const ghost = { ...dataEntry('/var/lib/acme-foo/state.db', ''), flags: { ghost: true } };
  const plan = planFromTree(src, { mtime: EPOCH - 100, config: ['/' + CONFFILE], extra: [ghost] });
  const scripts: DebScripts = {
    postinst: { body: '#!/bin/sh\nset -e\necho "postinst $1" >> "${DPKG_ROOT:-}/var/lib/acme-foo/script.log"\n' },
    prerm: { body: '#!/bin/sh\nset -e\necho "prerm $1" >> "${DPKG_ROOT:-}/var/lib/acme-foo/script.log"\n' },
  };
  return { src, plan, meta: metadata(), scripts };
}

export function writeOptions(outDir: string, over: Partial<WriteOptions> = {}): WriteOptions {
  return { outDir, compression: 'xz', level: 6, sourceDateEpoch: EPOCH, ...over };
}
