/** `mkpkg inspect FILE.deb|FILE.rpm`: metadata and the file list, as text or JSON. */
import { inspectDeb } from '../../formats/deb/reader.js';
import { packageKind } from '../../formats/package-file.js';
import { inspectRpm } from '../../formats/rpm/reader.js';
import { printJson } from '../output.js';

function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

export async function runInspect(file: string, json: boolean): Promise<number> {
  const kind = await packageKind(file);
  if (kind === 'deb') {
    const info = await inspectDeb(file);
    if (json) { printJson({ ...info, format: 'deb' }); return 0; }
    process.stdout.write(info.controlText.endsWith('\n') ? info.controlText : `${info.controlText}\n`);
    if (info.conffiles.length) process.stdout.write(`\nconffiles:\n${info.conffiles.map((c) => `  ${c}`).join('\n')}\n`);
    if (info.scripts.length) process.stdout.write(`\nscripts: ${info.scripts.join(' ')}\n`);
    process.stdout.write(`\nfiles (${info.files.length}):\n`);
    for (const f of info.files) {
      process.stdout.write(`  ${f.type.padEnd(8)} ${modeString(f.mode)} ${`${f.owner}/${f.group}`.padEnd(12)} ${String(f.size).padStart(9)} ${f.path}${f.linkTarget ? ` -> ${f.linkTarget}` : ''}\n`);
    }
    return 0;
  }
  const info = await inspectRpm(file);
  if (json) { printJson({ ...info, format: 'rpm' }); return 0; }
  for (const [k, v] of Object.entries(info.tags)) process.stdout.write(`${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}\n`);
  for (const kind of ['requires', 'provides', 'conflicts', 'obsoletes', 'recommends', 'suggests', 'supplements', 'enhances'] as const) {
    const deps = (info as unknown as Record<string, { name: string; flags?: number; version?: string; text?: string }[] | undefined>)[kind];
    if (deps?.length) process.stdout.write(`${kind}:\n${deps.map((d) => `  ${d.text ?? `${d.name}${d.version ? ` ${d.version}` : ''}`}`).join('\n')}\n`);
  }
  if (info.scripts.length) process.stdout.write(`scripts: ${info.scripts.map((s) => s.name).join(' ')}\n`);
  process.stdout.write(`files (${info.files.length}):\n`);
  for (const f of info.files) {
    process.stdout.write(`  ${f.type.padEnd(8)} ${modeString(f.mode)} ${`${f.owner}/${f.group}`.padEnd(12)} ${String(f.size).padStart(9)} ${f.path}${f.linkTarget ? ` -> ${f.linkTarget}` : ''}\n`);
  }
  return 0;
}
