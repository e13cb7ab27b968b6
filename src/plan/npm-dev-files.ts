/**
 * Development files that npm packages publish by mistake and an installed dependency never reads:
 * `.npmignore` (npm's own publishing rules) and ESLint configurations (`.eslintrc`, `.eslintrc.json`,
 * …). lintian rejects both in a package (package-contains-npm-ignore-file,
 * package-contains-eslint-config-file: errors), and an express application pulls in a few dozen of
 * them. They are left out of the production `node_modules` a package ships. An ESLint
 * configuration that its package's package.json names (a shareable config whose `main` is
 * `.eslintrc.js`) is kept: it is then the package's content.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { SourceNode } from './walk.js';

const ESLINT_CONFIG = /^\.eslintrc(\.[A-Za-z0-9]+)?$/;
/** A package.json larger than this is not read (it then counts as naming the file). */
const MANIFEST_MAX = 1024 * 1024;

/** Whether `name`, a file beside the package.json at `dir`, is named in it (as `"NAME"` or `"./NAME"`). */
function namedByManifest(dir: string, name: string): boolean {
  const manifest = join(dir, 'package.json');
  let text: string;
  try {
    if (statSync(manifest).size > MANIFEST_MAX) return true;
    text = readFileSync(manifest, 'utf8');
  } catch {
    return false;
  }
  return text.includes(`"${name}"`) || text.includes(`"./${name}"`);
}

/** Whether the walked node `n` of an installed node_modules is such a development file (see the module comment). */
export function isNpmDevFile(n: SourceNode): boolean {
  if (n.kind !== 'file') return false;
  const name = posix.basename(n.rel);
  if (name === '.npmignore') return true;
  return ESLINT_CONFIG.test(name) && !namedByManifest(dirname(n.abs), name);
}
