/** `mkpkg templates list|eject`: show which template each name resolves to; copy built-ins for editing. */
import { resolve as resolvePath } from 'node:path';
import { listProjectTemplates, projectTemplates } from '../../pipeline/project-templates.js';
import { ejectTemplates } from '../../templates/index.js';
import { printJson } from '../output.js';
import { safeLine } from '../../terminal.js';

export async function runTemplates(action: 'list' | 'eject', names: string[], dirArg: string, json: boolean, configFile?: string): Promise<number> {
  const dir = resolvePath(dirArg);
  if (action === 'list') {
    const rows = await listProjectTemplates(dir, configFile);
    if (json) printJson(rows);
    else for (const t of rows) process.stdout.write(`${safeLine(t.name.padEnd(32))} ${safeLine((t.plugin ? `plugin:${t.plugin}` : t.origin).padEnd(16))} ${safeLine(t.path)}\n`);
    return 0;
  }
  const { templatesDir } = await projectTemplates(dir, configFile);
  const written = ejectTemplates({ projectDir: dir, templatesDir, names });
  if (json) printJson(written);
  else for (const p of written) process.stdout.write(`wrote ${safeLine(p)}\n`);
  return 0;
}
