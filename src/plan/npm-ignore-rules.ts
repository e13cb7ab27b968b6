/**
 * npm's ignore rules as compiled patterns: the default and always-kept/never-kept rule lists of
 * npm-packlist, minimatch under the options npm gives it, and a literal-run prefilter so that most
 * paths are rejected by a substring test before minimatch runs.
 */
import { readFileSync } from 'node:fs';
import { Minimatch } from 'minimatch';

const DEFAULT_RULES = [
  '.npmignore', '.gitignore', '**/.git', '**/.svn', '**/.hg', '**/CVS', '**/.git/**', '**/.svn/**', '**/.hg/**', '**/CVS/**',
  '/.lock-wscript', '/.wafpickle-*', '/build/config.gypi', 'npm-debug.log', '**/.npmrc', '.*.swp', '.DS_Store', '**/.DS_Store/**',
  '._*', '**/._*/**', '*.orig', '/archived-packages/**',
];
export const STRICT_DEFAULTS = ['/.git'];
/** Kept or dropped at the package root whatever `files` and the ignore files say. */
export const ROOT_STRICT = [
  '!/package.json', '!/readme{,.*[^~$]}', '!/copying{,.*[^~$]}', '!/license{,.*[^~$]}', '!/licence{,.*[^~$]}',
  '/.git', '/node_modules', '.npmrc', '/package-lock.json', '/yarn.lock', '/pnpm-lock.yaml', '/bun.lockb',
];

/**
 * A compiled rule. `literals` holds, per brace alternative, the lower-cased path parts without glob
 * characters: a full match needs all of one alternative's parts in the path, so most paths are
 * rejected by a substring test before minimatch runs (the walk is dominated by non-matching rules).
 */
export interface Rule {
  mm: Minimatch;
  negate: boolean;
  relative: boolean;
  literals: string[][];
}
export type RuleSet = readonly Rule[];
const compiled = new Map<string, Rule>();
function rule(pattern: string): Rule {
  let r = compiled.get(pattern);
  if (!r) {
    const mm = new Minimatch(pattern, { matchBase: true, dot: true, flipNegate: true, nocase: true });
    r = {
      mm,
      negate: mm.negate,
      // npm's "relative rule": one whose pattern has a single part (a leading slash counts as none)
      relative: mm.globParts.some((part) => part.length <= (part[part.length - 1] ? 1 : 2)),
      literals: mm.globParts.map((part) => part.flatMap(fixedRuns)),
    };
    compiled.set(pattern, r);
  }
  return r;
}

/** The runs of plain characters a path part must contain to match (none when the part is too clever to tell). */
function fixedRuns(part: string): string[] {
  if (part === '**' || /[()\\]/.test(part)) return [];
  return part.replace(/\[[^\]]*\]/g, '*').split(/[*?]+/).filter((x) => x !== '').map((x) => x.toLowerCase());
}

/** minimatch's full match of `path`, after the literal-part test. */
export function full(r: Rule, path: string): boolean {
  const lower = path.toLowerCase();
  if (!r.literals.some((alt) => alt.every((l) => lower.includes(l)))) return false;
  return r.mm.match(path);
}
export function ruleSet(lines: readonly string[]): RuleSet {
  return lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map(rule);
}


/** The rules written in an ignore file. */
export function readRules(path: string): RuleSet {
  return ruleSet(readFileSync(path, 'utf8').split(/\r?\n/));
}


/** npm's default rules, applied in every directory of a package. */
export const DEFAULTS = ruleSet(DEFAULT_RULES);
