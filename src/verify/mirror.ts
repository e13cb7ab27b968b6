/** The Debian mirror this host's apt uses, so the rootfs is fetched from a reachable archive. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's default mirror, used when the host's apt configuration names none. */
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** One `deb` source: a URI and the suites it serves. */
interface Source { uri: string; suites: string[]; components: string[] }

function parseOneLine(text: string): Source[] {
  const out: Source[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (m) out.push({ uri: m[1]!, suites: [m[2]!], components: m[3]!.split(/\s+/).filter(Boolean) });
  }
  return out;
}

function parseDeb822(text: string): Source[] {
  const out: Source[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let key = '';
    for (const raw of para.split('\n')) {
      if (raw.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (m) { key = m[1]!.toLowerCase(); fields.set(key, m[2]!); } else if (/^\s/.test(raw) && key) fields.set(key, `${fields.get(key)} ${raw.trim()}`);
    }
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    if ((fields.get('enabled') ?? 'yes').trim() === 'no') continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    const components = (fields.get('components') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) out.push({ uri, suites, components });
  }
  return out;
}

/**
 * Pick the mirror serving `suite` (main) from apt source files, given as `{ name, content }`
 * (`*.list` one-line style or `*.sources` deb822). Security and third-party archives are skipped.
 */
export function pickDebianMirror(files: ReadonlyArray<{ name: string; content: string }>, suite = 'bookworm'): string | undefined {
  const sources = files.flatMap((f) =>
    f.name.endsWith('.sources') ? parseDeb822(f.content) : f.name.endsWith('.list') ? parseOneLine(f.content) : []);
  const hit = sources.find((s) => s.suites.includes(suite) && s.components.includes('main') && /^https?:\/\//.test(s.uri));
  return hit?.uri.replace(/\/+$/, '');
}

/** The Debian mirror of this host's apt configuration (`/etc/apt/sources.list{,.d}`), or Debian's default. */
export function hostDebianMirror(suite = 'bookworm', etcApt = '/etc/apt'): string {
  const files: Array<{ name: string; content: string }> = [];
  const read = (name: string, path: string) => { try { files.push({ name, content: readFileSync(path, 'utf8') }); } catch { /* absent */ } };
  read('sources.list', join(etcApt, 'sources.list'));
  let parts: string[] = [];
  try { parts = readdirSync(join(etcApt, 'sources.list.d')).sort(); } catch { /* absent */ }
  for (const p of parts) read(p, join(etcApt, 'sources.list.d', p));
  return pickDebianMirror(files, suite) ?? DEFAULT_DEBIAN_MIRROR;
}
