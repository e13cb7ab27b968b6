/**
 * Package relationships. Input may be Debian syntax (`name`, `name (>= 1.2)`, `a | b`,
 * `name:any`) or RPM syntax (`name >= 1.2`, rich `(a or b)`); the result renders to either format.
 */
import { MkpkgError, type Warning } from '../errors.js';
import { RPMSENSE, type RpmDependency } from './resolved.js';
import { DEB_NAME_RE } from './names.js';
import { oneLineProblem } from './text.js';

/** A version constraint operator: `<` and `>` are strict. */
export type RelationOp = '<' | '<=' | '=' | '>=' | '>';

/** One package in a relationship. */
export interface Relation {
  name: string;
  /** Debian architecture qualifier (`any`, `amd64`, …). */
  arch?: string;
  op?: RelationOp;
  version?: string;
}

/** One relationship entry: alternatives (`a | b`), or an RPM rich (boolean) dependency kept verbatim. */
export type ParsedRelation = { kind: 'alternatives'; alternatives: Relation[] } | { kind: 'rich'; expression: string };

const DEB_OPS: Record<string, RelationOp> = { '<<': '<', '<=': '<=', '=': '=', '>=': '>=', '>>': '>' };
const RPM_OPS: Record<string, RelationOp> = { '<': '<', '<=': '<=', '=': '=', '>=': '>=', '>': '>' };
const TO_DEB: Record<RelationOp, string> = { '<': '<<', '<=': '<=', '=': '=', '>=': '>=', '>': '>>' };
const TO_RPM_FLAGS: Record<RelationOp, number> = {
  '<': RPMSENSE.LESS,
  '<=': RPMSENSE.LESS | RPMSENSE.EQUAL,
  '=': RPMSENSE.EQUAL,
  '>=': RPMSENSE.GREATER | RPMSENSE.EQUAL,
  '>': RPMSENSE.GREATER,
};

const NAME = String.raw`([^\s()<>=|,:!]+(?:\([^()<>=!][^()]*\))?)`;
const ARCHQ = String.raw`(?::([a-z0-9-]+))?`;
const OP = String.raw`(<<|<=|>=|>>|==|=|<|>|!=|=<|=>)`;
const VERSION_RE = /^[A-Za-z0-9.+~:^_-]+$/;
const DEB_FORM = new RegExp(String.raw`^${NAME}${ARCHQ}\s*\(\s*${OP}\s*([^\s()<>=!]+)\s*\)$`);
const RPM_FORM = new RegExp(String.raw`^${NAME}${ARCHQ}\s*${OP}\s*([^\s<>=!]\S*)$`);
/** An operator with nothing after it: `nodejs >=`, `nodejs (>= )`. */
const NO_VERSION = new RegExp(String.raw`^${NAME}${ARCHQ}\s*(\(\s*)?${OP}\s*\)?$`);
const BARE = new RegExp(String.raw`^${NAME}${ARCHQ}$`);

function bad(field: string, value: string, problem: string, hint: string): MkpkgError {
  return new MkpkgError('E_DEPENDENCY_INVALID', `${field}: ${JSON.stringify(value)}: ${problem}`, { hint, details: { field, value } });
}

const SYNTAX_HINT = 'write "name", "name (>= 1.2)" or "a | b" (Debian syntax) or "name >= 1.2" (RPM syntax)';

function parseOne(part: string, field: string, whole: string): Relation {
  let m = DEB_FORM.exec(part);
  if (m) {
    const op = DEB_OPS[m[3]!];
    if (!op) {
      const fix = m[3] === '<' ? '"<<" for strictly less or "<="' : m[3] === '>' ? '">>" for strictly greater or ">="' : 'one of << <= = >= >>';
      throw bad(field, whole, `operator "${m[3]}" is not valid in Debian syntax`, `use ${fix} inside the parentheses (Debian's "<" and ">" are deprecated and mean "<=" and ">=")`);
    }
    return relation(m[1]!, m[2], op, m[4]!, field, whole);
  }
  m = RPM_FORM.exec(part);
  if (m) {
    const op = RPM_OPS[m[3]!];
    if (!op) {
      const fix = m[3] === '<<' ? '"<"' : m[3] === '>>' ? '">"' : 'one of < <= = >= >';
      throw bad(field, whole, `operator "${m[3]}" is not valid in RPM syntax`, `use ${fix}, or Debian syntax with parentheses: "name (${m[3]} ${m[4]})"`);
    }
    return relation(m[1]!, m[2], op, m[4]!, field, whole);
  }
  m = BARE.exec(part);
  if (m) return { name: m[1]!, ...(m[2] ? { arch: m[2] } : {}) };
  m = NO_VERSION.exec(part);
  if (m) throw bad(field, whole, `the operator "${m[4]}" of ${m[1]} has no version after it`, `add the version, e.g. "${m[1]} ${m[3] ? `(${m[4]} 1.0)` : `${m[4]} 1.0`}", or drop the operator to accept any version`);
  throw bad(field, whole, 'not a valid relationship', SYNTAX_HINT);
}

function relation(name: string, arch: string | undefined, op: RelationOp, version: string, field: string, whole: string): Relation {
  if (!VERSION_RE.test(version)) throw bad(field, whole, `version ${JSON.stringify(version)} contains characters no package version allows`, 'use letters, digits and . + ~ - : only');
  return { name, ...(arch ? { arch } : {}), op, version };
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** Parse one relationship entry; `field` names it in errors, e.g. `depends[2]`. Bad syntax → `E_DEPENDENCY_INVALID`. */
export function parseRelation(input: string, field: string): ParsedRelation {
  const control = oneLineProblem(input, field, { code: 'E_DEPENDENCY_INVALID', hint: 'write each relationship as one line of text, e.g. "nodejs (>= 18)"' });
  if (control) throw control;
  const s = input.trim();
  if (s === '') throw bad(field, input, 'empty relationship', SYNTAX_HINT);
  const foreign = /[^\x20-\x7e]/.exec(s);
  if (foreign) throw bad(field, input, `contains ${JSON.stringify(foreign[0])}, which no package name, operator or version uses`, 'package relationships are written in ASCII letters, digits and punctuation');
  if (s.startsWith('(')) {
    if (!s.endsWith(')') || !balanced(s)) throw bad(field, input, 'unbalanced parentheses in a rich dependency', 'write e.g. "(a >= 1 or b)"');
    return { kind: 'rich', expression: s };
  }
  if (s.includes(',')) throw bad(field, input, 'a comma joins several relationships', 'give each relationship as its own array element');
  const parts = s.split('|').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw bad(field, input, 'empty alternative around "|"', 'write alternatives as "a | b"');
  return { kind: 'alternatives', alternatives: parts.map((p) => parseOne(p, field, input)) };
}

/** Render in Debian syntax, e.g. `nodejs (>= 18)`; checks Debian's name and version rules. */
export function renderDebRelation(rel: ParsedRelation, field: string): string {
  if (rel.kind === 'rich') {
    throw bad(field, rel.expression, 'RPM rich dependencies cannot be expressed in a .deb', 'put it under overrides.rpm, and give overrides.deb an equivalent list using "a | b"');
  }
  const shown = rel.alternatives.map(rpmAtom).join(' | ');
  return rel.alternatives
    .map((r) => {
      if (!DEB_NAME_RE.test(r.name)) throw bad(field, shown, `"${r.name}" is not a valid Debian package name`, 'Debian names are lowercase letters, digits, "+", "-", "."; use overrides.deb for a Debian-specific list');
      if (r.version && !/^[A-Za-z0-9.+~:-]+$/.test(r.version)) throw bad(field, shown, `version "${r.version}" is not a Debian version`, 'Debian versions use letters, digits and . + ~ - : only');
      const base = r.arch ? `${r.name}:${r.arch}` : r.name;
      return r.op ? `${base} (${TO_DEB[r.op]} ${r.version})` : base;
    })
    .join(' | ');
}

function rpmAtom(r: Relation): string {
  return r.op ? `${r.name} ${r.op} ${r.version}` : r.name;
}

/**
 * Convert to an RPM dependency. Alternatives become a rich dependency `(a or b)`, which needs
 * rpm ≥ 4.13 (the writer adds `rpmlib(RichDependencies)`). Debian arch qualifiers are dropped.
 */
export function toRpmDependency(rel: ParsedRelation, field: string): { dep: RpmDependency; warnings: Warning[] } {
  if (rel.kind === 'rich') return { dep: { name: rel.expression, flags: RPMSENSE.ANY, version: '' }, warnings: [] };
  const warnings: Warning[] = [];
  for (const r of rel.alternatives) {
    if (r.arch && r.arch !== 'any') warnings.push({ code: 'W_RELATION_ARCH_DROPPED', message: `${field}: architecture qualifier ":${r.arch}" of ${r.name} has no RPM equivalent; dropped` });
  }
  if (rel.alternatives.length === 1) {
    const r = rel.alternatives[0]!;
    return { dep: { name: r.name, flags: r.op ? TO_RPM_FLAGS[r.op] : RPMSENSE.ANY, version: r.version ?? '' }, warnings };
  }
  return { dep: { name: `(${rel.alternatives.map(rpmAtom).join(' or ')})`, flags: RPMSENSE.ANY, version: '' }, warnings };
}

/** What rpm dependency names (and rich expressions) are made of: no quotes, commas, `|`, `$` or `;`. */
const RPM_DEP_NAME = /^[A-Za-z0-9_.+/(][A-Za-z0-9_.+~^:/()@%-]*$/;
const RPM_RICH = /^\([A-Za-z0-9_.+~^:/()<>= @%-]+\)$/;
const RPM_EVR = /^(\d+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$/;

/**
 * The rpm side's rules for one dependency, as strict as Debian's: the name (or rich expression) of
 * rpm's characters with balanced parentheses, the version an `[E:]V[-R]`.
 */
export function checkRpmDependency(dep: RpmDependency, field: string): void {
  const rich = dep.name.startsWith('(');
  if (rich ? !RPM_RICH.test(dep.name) || !balanced(dep.name) : !RPM_DEP_NAME.test(dep.name) || !balanced(dep.name)) {
    throw bad(field, dep.name, rich ? 'is not a valid rpm rich dependency' : `"${dep.name}" is not a valid rpm dependency name`,
      rich ? 'write e.g. "(a >= 1 or b)": names, operators, "and"/"or"/"if"/"with"/"unless" and balanced parentheses' : 'rpm names use letters, digits and . _ + - / ( ) ; use overrides.rpm for an rpm-specific list');
  }
  if (dep.version !== '' && !RPM_EVR.test(dep.version)) {
    throw bad(field, dep.version, `version "${dep.version}" is not an rpm [epoch:]version[-release]`, 'rpm versions use letters, digits and . _ + ~ ^, with an optional "N:" epoch and "-release"');
  }
}

/** True for a rich (boolean) RPM dependency name such as `(a or b)`. */
export function isRichDependency(dep: RpmDependency): boolean {
  return dep.name.startsWith('(');
}
