/**
 * Debian's shared-library dependency information, as dpkg-shlibdeps reads it: `symbols` files
 * (deb-symbols(5): per soname a dependency template and the minimal version of each symbol) and
 * `shlibs` files (deb-shlibs(5): one dependency per library name and version). Pure parsers.
 */

/** One symbol of a symbols file. */
export interface SymbolEntry {
  minver: string;
  /** Index into {@link SymbolsObject.deps} (0: the main template). */
  depId: number;
  /** Listed as `#MISSING: v#` / `#DEPRECATED: v#`: counted for the smallest version, never matched. */
  deprecated: boolean;
}

/** The symbols of one library (soname) in a symbols file. */
export interface SymbolsObject {
  soname: string;
  /** Dependency templates: `libc6 #MINVER#`, then the `|` alternatives. */
  deps: string[];
  /** By `name@VERSION` (or `name@Base`). Pattern entries (tagged `c++`, `symver`, `regex`) are not kept: dpkg-shlibdeps only looks symbols up by name. */
  symbols: Map<string, SymbolEntry>;
}

const SYMBOL_LINE = /^(?:\s+|#(?:DEPRECATED|MISSING): ([^#]+)#\s*)(.*)$/;

function parseSymbolSpec(spec: string): { name: string; minver: string; depId: number; pattern: boolean } | undefined {
  let rest = spec;
  let tags = '';
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')');
    if (close < 0) return undefined;
    tags = rest.slice(1, close);
    rest = rest.slice(close + 1);
  }
  let name: string;
  const quoted = /^"([^"]*)"(.*)$/.exec(rest);
  if (quoted) {
    name = quoted[1];
    rest = quoted[2];
  } else {
    const m = /^(\S+)(.*)$/.exec(rest);
    if (!m) return undefined;
    name = m[1];
    rest = m[2];
  }
  const v = /^\s+(\S+)(?:\s+(\d+))?/.exec(rest);
  if (!v) return undefined;
  const pattern = tags.split('|').some((t) => ['c++', 'symver', 'regex'].includes(t.split('=')[0].trim()));
  return { name, minver: v[1], depId: v[2] === undefined ? 0 : Number(v[2]), pattern };
}

/** Parse a symbols file into its objects by soname (later headers for the same soname replace its templates). */
export function parseSymbolsFile(text: string): Map<string, SymbolsObject> {
  const out = new Map<string, SymbolsObject>();
  let current: SymbolsObject | undefined;
  for (const line of text.split('\n')) {
    const sym = SYMBOL_LINE.exec(line);
    if (sym && current && line.trim() !== '') {
      const spec = parseSymbolSpec(sym[2]);
      if (spec && !spec.pattern) current.symbols.set(spec.name, { minver: spec.minver, depId: spec.depId, deprecated: sym[1] !== undefined });
      continue;
    }
    if (/^#|^\s*$/.test(line)) continue;
    const alt = /^\|\s*(.*)$/.exec(line);
    if (alt) {
      current?.deps.push(alt[1]);
      continue;
    }
    if (/^\*\s*[^:]+:/.test(line)) continue;
    const head = /^(\S+)\s+(.*)$/.exec(line);
    if (!head) continue;
    const existing = out.get(head[1]);
    if (existing) existing.deps = [head[2]];
    else out.set(head[1], { soname: head[1], deps: [head[2]], symbols: new Map() });
    current = out.get(head[1]);
  }
  return out;
}

/** `libfoo.so.1` → [`libfoo`, `1`]; `libfoo-1.2.so` → [`libfoo`, `1.2`]; otherwise undefined. */
export function splitSoname(soname: string): [string, string] | undefined {
  let m = /^(.+)\.so\.(.+)$/.exec(soname);
  if (m) return [m[1], m[2]];
  m = /^(.+)-(\d.*)\.so$/.exec(soname);
  return m ? [m[1], m[2]] : undefined;
}

const SHLIBS_LINE = /^\s*(?:(\S+):\s+)?(\S+)\s+(\S+)(?:\s+(\S.*\S))?\s*$/;

/** The dependency a shlibs file gives `soname` (a `deb:` line wins over an untyped one), or undefined. */
export function shlibsDependency(text: string, soname: string): string | undefined {
  const split = splitSoname(soname);
  if (!split) return undefined;
  let dep: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.startsWith('#')) continue;
    const m = SHLIBS_LINE.exec(line);
    if (!m || m[2] !== split[0] || m[3] !== split[1]) continue;
    if (m[1] === undefined) dep ??= m[4] ?? '';
    else if (m[1] === 'deb') return m[4] ?? '';
  }
  return dep;
}
