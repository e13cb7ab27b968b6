/** `mkpkg init`: write a commented mkpkg.config.ts derived from package.json (or a skeleton without one). */
import { access, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve as resolvePath } from 'node:path';
import { DEB_NAME_RE, mapPackageName } from '../../config/names.js';
import { readPackageJson, maintainerFromPackageJson, type PackageJson } from '../../config/package-json.js';
import { MkpkgError } from '../../errors.js';
import { renderTemplate, templateLookup } from '../../templates/index.js';
import { safeLine } from '../../terminal.js';

/**
 * The values the template sees. package.json is untrusted: every string reaches the generated code
 * only through `JSON.stringify` in the template, except `name`, which the template also writes into
 * comments and paths and which is therefore reduced to a package name's characters (`[a-z0-9+.-]`).
 * Without package.json (a Go, C or static-site project) the name comes from the directory.
 */
function templateValues(pj: PackageJson | undefined, dir: string) {
  const mapped = mapPackageName(pj ? (pj.name ?? '') : basename(dir).toLowerCase()).name;
  const name = DEB_NAME_RE.test(mapped) ? mapped : 'app';
  const maintainer = (pj && maintainerFromPackageJson(pj)) ?? 'Your Name <you@example.com>';
  return { name, maintainer, description: pj?.description ?? name, service: Boolean(pj?.main || pj?.scripts?.start), nodeApp: pj !== undefined };
}

export async function runInit(dirArg: string, force: boolean): Promise<number> {
  const dir = resolvePath(dirArg);
  const isDir = await stat(dir).then((st) => st.isDirectory(), () => false);
  if (!isDir) throw new MkpkgError('E_CONFIG_NOT_FOUND', `${dir} is not a directory`, { hint: 'give the project directory: mkpkg init [DIR]', details: { dir } });
  const target = join(dir, 'mkpkg.config.ts');
  if (!force && (await access(target).then(() => true, () => false))) {
    throw new MkpkgError('E_USAGE', `${target} already exists`, { hint: 'edit it, or pass --force to overwrite it' });
  }
  const pj = (await readPackageJson(join(dir, 'package.json')))?.packageJson;
  const { text } = renderTemplate('init/mkpkg.config.ts.ejs', templateValues(pj, dir), templateLookup({ projectDir: dir }));
  if (force) {
    // A new file renamed over the old one: --force never writes through a symlink at the target.
    const tmp = join(dir, `.mkpkg.config.ts.${process.pid}.tmp`);
    try {
      await writeFile(tmp, text, { flag: 'wx' });
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  } else {
    await writeFile(target, text, { flag: 'wx' });
  }
  process.stdout.write(`wrote ${safeLine(target)}\n`);
  return 0;
}
