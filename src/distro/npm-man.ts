/**
 * package.json's `man` field installed as npm installs it globally: each page (`man/foo.1`,
 * optionally `.gz`) goes to /usr/share/man/manN/ under its own file name, N being the number
 * its name ends with; `directories.man` stands for every `*.N` file below that directory when
 * `man` is absent. The pages are compressed with the other man pages afterwards.
 */
import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { MkpkgError } from '../errors.js';
import type { ContentInput } from '../plan/contents.js';

const MAN_NAME = /\.([0-9]+)(\.gz)?$/;

/** npm's own path clean-up: no absolute paths, no `..` above the package, `/` separators. */
function clean(p: string): string {
  return posix.join('/', p.replace(/\\|:/g, '/')).slice(1);
}

function listDir(root: string, rel: string, depth = 0): string[] {
  if (depth > 32) return [];
  let names: import('node:fs').Dirent[];
  try {
    names = readdirSync(join(root, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  return names.sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((d) => {
    const p = posix.join(rel, d.name);
    if (d.isDirectory()) return listDir(root, p, depth + 1);
    return d.isFile() && /\.[0-9]$/.test(d.name) ? [p] : [];
  });
}

/** The contents entries for package.json `man` / `directories.man` (none when neither is set). */
export function npmManContents(packageJson: { man?: string | string[]; directories?: Record<string, string> }, projectDir: string): ContentInput[] {
  const man = packageJson.man;
  let pages: string[] = [];
  if (typeof man === 'string') pages = [man];
  else if (Array.isArray(man)) pages = man.filter((m) => m !== '');
  else if (typeof packageJson.directories?.man === 'string') pages = listDir(projectDir, clean(packageJson.directories.man));
  const root = { dir: projectDir, label: 'the project directory' };
  return [...new Set(pages.map(clean))].map((page) => {
    const m = MAN_NAME.exec(page);
    if (!m) {
      throw new MkpkgError('E_PLAN_INVALID', `package.json man entry ${JSON.stringify(page)} does not end with a section number`, {
        hint: 'name man pages like "man/tool.1" (optionally "man/tool.1.gz"), as npm requires', details: { man: page },
      });
    }
    return { src: join(projectDir, page), dst: `/usr/share/man/man${m[1]}/${posix.basename(page)}`, literal: true, label: `package.json man ${page}`, root };
  });
}
