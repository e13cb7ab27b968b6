/** `mkpkg templates list|eject`: show which template each name resolves to; copy built-ins for editing. */
import { resolve as resolvePath } from 'node:path';
import { ejectTemplates, listTemplates } from '../../templates/index.js';
import { printJson } from '../output.js';

export async function runTemplates(action: 'list' | 'eject', names: string[], dirArg: string, json: boolean): Promise<number> {
  const dir = resolvePath(dirArg);
  if (action === 'list') {
    const list = await listTemplates({ projectDir: dir });
    if (json) printJson(list);
    else for (const t of list) process.stdout.write(`${t.name.padEnd(40)} ${t.origin.padEnd(8)} ${t.path}\n`);
    return 0;
  }
  const written = await ejectTemplates({ projectDir: dir, names });
  if (json) printJson(written);
  else for (const p of written) process.stdout.write(`wrote ${p}\n`);
  return 0;
}
