/** `mkpkg inspect FILE.deb|FILE.rpm`: metadata and the file list, as text or JSON. */
import { inspectDeb } from '../../formats/deb/reader.js';
import { packageKind } from '../../formats/package-file.js';
import { inspectRpm } from '../../formats/rpm/reader.js';
import { printJson } from '../output.js';
import { safeLine, safeText } from '../../terminal.js';

function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** One line per file; names, owners and link targets come from the package and are escaped. */
function fileLine(f: { type: string; mode: number; owner: string; group: string; size: number; path: string; linkTarget?: string }): string {
  const owners = safeLine(`${f.owner}/${f.group}`);
  return `  ${safeLine(f.type).padEnd(8)} ${modeString(f.mode)} ${owners.padEnd(12)} ${String(f.size).padStart(9)} ${safeLine(f.path)}${f.linkTarget ? ` -> ${safeLine(f.linkTarget)}` : ''}\n`;
}

/** Print `info` of a package, or its JSON. Everything taken from the package is escaped for the terminal; `--json` is exact. */
export async function runInspect(file: string, json: boolean): Promise<number> {
  const kind = await packageKind(file);
  const out: string[] = [];
  if (kind === 'deb') {
    const info = await inspectDeb(file);
    if (json) { printJson({ ...info, format: 'deb' }); return 0; }
    const control = safeText(info.controlText);
    out.push(control.endsWith('\n') ? control : `${control}\n`);
    if (info.conffiles.length) out.push(`\nconffiles:\n${info.conffiles.map((c) => `  ${safeLine(c)}`).join('\n')}\n`);
    if (info.scripts.length) out.push(`\nscripts: ${info.scripts.map(safeLine).join(' ')}\n`);
    out.push(`\nfiles (${info.files.length}):\n`, ...info.files.map(fileLine));
  } else {
    const info = await inspectRpm(file);
    if (json) { printJson({ ...info, format: 'rpm' }); return 0; }
    for (const [k, v] of Object.entries(info.tags)) out.push(`${safeLine(k)}: ${safeText(Array.isArray(v) ? v.join(', ') : String(v))}\n`);
    for (const rel of ['requires', 'provides', 'conflicts', 'obsoletes', 'recommends', 'suggests', 'supplements', 'enhances'] as const) {
      const deps = (info as unknown as Record<string, { name: string; flags?: number; version?: string; text?: string }[] | undefined>)[rel];
      if (deps?.length) out.push(`${rel}:\n${deps.map((d) => `  ${safeLine(d.text ?? `${d.name}${d.version ? ` ${d.version}` : ''}`)}`).join('\n')}\n`);
    }
    if (info.scripts.length) out.push(`scripts: ${info.scripts.map((sc) => safeLine(sc.name)).join(' ')}\n`);
    out.push(`files (${info.files.length}):\n`, ...info.files.map(fileLine));
  }
  process.stdout.write(out.join(''));
  return 0;
}
