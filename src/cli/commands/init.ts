/** `mkpkg init`: write a commented mkpkg.config.ts derived from package.json. */
import { access, writeFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { requirePackageJson, maintainerFromPackageJson } from '../../config/package-json.js';
import { MkpkgError } from '../../errors.js';
import { renderTemplate, templateLookup } from '../../templates/index.js';

export async function runInit(dirArg: string, force: boolean): Promise<number> {
  const dir = resolvePath(dirArg);
  const target = join(dir, 'mkpkg.config.ts');
  if (!force && (await access(target).then(() => true, () => false))) {
    throw new MkpkgError('E_USAGE', `${target} already exists`, { hint: 'edit it, or pass --force to overwrite it' });
  }
  const { packageJson: pj } = await requirePackageJson(join(dir, 'package.json'));
  const name = (pj.name ?? 'app').replace(/^@/, '').replace('/', '-').toLowerCase();
  const maintainer = maintainerFromPackageJson(pj) ?? 'Your Name <you@example.com>';
  const service = Boolean(pj.main || pj.scripts?.start);
  const { text } = renderTemplate('init/mkpkg.config.ts.ejs', { name, maintainer, description: pj.description ?? name, service }, templateLookup({ projectDir: dir }));
  await writeFile(target, text, { flag: force ? 'w' : 'wx' });
  process.stdout.write(`wrote ${target}\n`);
  return 0;
}
