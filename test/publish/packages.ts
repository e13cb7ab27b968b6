/** Small packages made fast for the repository tests: .deb with the real dpkg-deb, .rpm with mkpkg's rpm writer. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RpmDependency } from '../../src/config/resolved.js';
import { readSignKey } from '../../src/sign/index.js';
import { build as buildRpm, data, metaOf, planOf } from '../formats/rpm/helpers.js';
import { run } from '../pipeline/support.js';
import { scratch } from '../support/tmp.js';

/** A .deb holding `/usr/share/NAME/version` (its version), built with `dpkg-deb -Zgzip` (the same arguments give the same bytes). */
export function quickDeb(name: string, version: string, arch = 'all', out = scratch('mkpkg-debs-'), salt = ''): string {
  const tree = join(out, `tree-${name}-${version}-${arch}${salt}`);
  mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
  mkdirSync(join(tree, 'usr/share', name), { recursive: true });
  writeFileSync(join(tree, 'usr/share', name, 'version'), `${version}${salt}\n`);
  writeFileSync(join(tree, 'DEBIAN/control'), `Package: ${name}\nVersion: ${version}\nArchitecture: ${arch}\nMaintainer: Test <test@example.com>\nSection: misc\nPriority: optional\nDescription: repository test package ${name}\n a test package\n`);
  const deb = join(out, `${name}_${version}_${arch}${salt}.deb`);
  run('dpkg-deb', ['--root-owner-group', '-Zgzip', '-b', tree, deb], { SOURCE_DATE_EPOCH: '1700000000' }); // byte-identical for the same input
  return deb;
}

/** Options of {@link quickRpm}. */
export interface QuickRpm {
  arch?: string;
  /** An armored key file to sign the header with. */
  signKey?: string;
  requires?: RpmDependency[];
  /** Changes the content (and so the file) without changing name/version. */
  salt?: string;
}

/** An .rpm holding `/usr/share/NAME/version`, written by mkpkg's rpm writer. */
export async function quickRpm(name: string, version: string, o: QuickRpm = {}): Promise<string> {
  const meta = metaOf({ name, version, arch: o.arch ?? 'noarch', relations: { requires: o.requires ?? [] } });
  const plan = planOf(data(`/usr/share/${name}/version`, `${version}${o.salt ?? ''}\n`));
  const signKey = o.signKey ? await readSignKey(o.signKey) : undefined;
  return (await buildRpm(plan, meta, {}, { signKey })).path;
}
