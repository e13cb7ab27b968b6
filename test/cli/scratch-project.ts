/** A config-only scratch project for CLI tests: files under /usr/share/NAME, optional hooks as module source. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/tmp.js';

export interface ScratchProject {
  /** Package name (default `scratch-pkg`). */
  name?: string;
  version?: string;
  /** Files by path relative to the shipped tree. */
  files?: Record<string, string | Buffer>;
  /** Source of an object literal with hook functions, e.g. `{ afterPackage() { throw new Error('x') } }`. */
  hooks?: string;
  /** Module source placed before the config (imports). */
  preamble?: string;
}

/** Write the project into a new scratch directory (mkpkg.config.mjs) and return its path. */
export function scratchProject(p: ScratchProject = {}): string {
  const dir = scratch('mkpkg-cli-proj-');
  chmodSync(dir, 0o755);
  const name = p.name ?? 'scratch-pkg';
  const config = {
    name, version: p.version ?? '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'Scratch fixture',
    description: 'A project for CLI failure tests.', license: 'MIT', app: false,
    contents: [{ src: 'tree', dst: `/usr/share/${name}` }],
  };
  writeFileSync(join(dir, 'mkpkg.config.mjs'), `${p.preamble ?? ''}\nexport default { ...${JSON.stringify(config)}, hooks: ${p.hooks ?? '{}'} };\n`);
  mkdirSync(join(dir, 'tree'), { recursive: true });
  for (const [rel, content] of Object.entries(p.files ?? { 'README': 'scratch\n' })) {
    mkdirSync(join(dir, 'tree', rel, '..'), { recursive: true });
    writeFileSync(join(dir, 'tree', rel), content);
  }
  return dir;
}
