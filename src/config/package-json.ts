/**
 * Reading package.json: a typed view of the fields mkpkg uses. Values are untrusted input, so a
 * field of the wrong type is dropped with a warning instead of flowing further.
 */
import { readFile } from 'node:fs/promises';
import { MkpkgError, type Warning } from '../errors.js';
import { MAX_NESTING, parseJsonText } from './json-text.js';
import { formatPerson, parsePerson, type PackageJsonPerson } from './person.js';

export type { PackageJsonPerson };

/** The package.json fields mkpkg reads. */
export interface PackageJson {
  /** Absolute path of the file. */
  path: string;
  name?: string;
  version?: string;
  description?: string;
  author?: PackageJsonPerson;
  maintainers?: PackageJsonPerson[];
  contributors?: PackageJsonPerson[];
  license?: string;
  homepage?: string;
  main?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
  engines?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  /** Installed like npm does: only the entries whose `os`/`cpu` fit the target. */
  optionalDependencies?: Record<string, string>;
  /** Man pages, installed as npm installs them (see distro/npm-man.ts). */
  man?: string | string[];
  /** `directories.man` stands for the pages below it when `man` is absent. */
  directories?: Record<string, string>;
  /** The `mkpkg` key: a config layer, validated later like a config file. */
  mkpkg?: unknown;
}

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isStringRecord: Check = (v) => isPlainObject(v) && Object.values(v).every(isString);
const isPerson: Check = (v) =>
  typeof v === 'string' || (isPlainObject(v) && ['name', 'email', 'url'].every((k) => v[k] === undefined || typeof v[k] === 'string'));
const isPersonList: Check = (v) => Array.isArray(v) && v.every(isPerson);

const FIELDS: Record<Exclude<keyof PackageJson, 'path' | 'mkpkg'>, [Check, string]> = {
  name: [isString, 'a string'],
  version: [isString, 'a string'],
  description: [isString, 'a string'],
  author: [isPerson, 'a string or {name, email, url}'],
  maintainers: [isPersonList, 'an array of people'],
  contributors: [isPersonList, 'an array of people'],
  license: [isString, 'a string'],
  homepage: [isString, 'a string'],
  main: [isString, 'a string'],
  bin: [(v) => isString(v) || isStringRecord(v), 'a string or an object of strings'],
  scripts: [isStringRecord, 'an object of strings'],
  engines: [isStringRecord, 'an object of strings'],
  files: [(v) => Array.isArray(v) && v.every(isString), 'an array of strings'],
  dependencies: [isStringRecord, 'an object of strings'],
  optionalDependencies: [isStringRecord, 'an object of strings'],
  man: [(v) => isString(v) || (Array.isArray(v) && v.every(isString)), 'a string or an array of strings'],
  directories: [isStringRecord, 'an object of strings'],
};

/** True for a non-null, non-array object. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parse package.json text. Malformed JSON → `E_CONFIG_PARSE` with line and column;
 * a top level that is not an object → `E_CONFIG_INVALID`.
 */
export function parsePackageJson(text: string, path: string): { packageJson: PackageJson; warnings: Warning[] } {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.error;
    throw new MkpkgError('E_CONFIG_PARSE', `${path}:${line}:${column}: invalid JSON: ${reason}`, {
      hint: parsed.error.tooDeep
        ? `flatten the structure at line ${line}, column ${column} of ${path}: mkpkg reads at most ${MAX_NESTING} levels of nesting`
        : `fix the JSON syntax at line ${line}, column ${column} of ${path} (a trailing comma or a missing quote is the usual cause)`,
      details: { file: path, line, column, offset: parsed.error.offset },
    });
  }
  const raw = parsed.value;
  if (!isPlainObject(raw)) {
    throw new MkpkgError('E_CONFIG_INVALID', `${path}: the top level must be a JSON object`, {
      hint: 'package.json must contain an object such as {"name": "my-app", "version": "1.0.0"}',
      details: { file: path },
    });
  }
  const warnings: Warning[] = [];
  const out: PackageJson = { path };
  const target = out as unknown as Record<string, unknown>;
  for (const [key, [check, expected]] of Object.entries(FIELDS)) {
    const v = raw[key];
    if (v === undefined) continue;
    if (check(v)) target[key] = v;
    else warnings.push({ code: 'W_PACKAGE_JSON_FIELD', message: `${path}: "${key}" ignored: expected ${expected}, got ${JSON.stringify(v)}` });
  }
  if (raw.mkpkg !== undefined) out.mkpkg = raw.mkpkg;
  return { packageJson: out, warnings };
}

/** Read and parse package.json at `path`; `undefined` when the file does not exist. */
export async function readPackageJson(path: string): Promise<{ packageJson: PackageJson; warnings: Warning[] } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MkpkgError('E_CONFIG_PARSE', `${path}: cannot be read: ${(e as Error).message}`, {
      hint: 'check the file permissions',
      details: { file: path },
      cause: e,
    });
  }
  return parsePackageJson(text, path);
}

/** Like {@link readPackageJson}, but a missing file is `E_CONFIG_NOT_FOUND`. */
export async function requirePackageJson(path: string): Promise<{ packageJson: PackageJson; warnings: Warning[] }> {
  const r = await readPackageJson(path);
  if (!r) {
    throw new MkpkgError('E_CONFIG_NOT_FOUND', `${path} does not exist`, {
      hint: 'run mkpkg in the project directory, or create package.json with "name" and "version"',
      details: { file: path },
    });
  }
  return r;
}

/** The maintainer taken from package.json people, and where it came from. */
export interface PackageJsonMaintainer {
  maintainer?: string;
  /** `author`, `contributors[2]`, `maintainers[0]`. */
  field?: string;
  /** People skipped on the way because they have neither a name nor an email. */
  unusable: { field: string; person: PackageJsonPerson }[];
}

/**
 * The maintainer from package.json: `author`, else the first of `contributors`, else the first of
 * `maintainers` (a person with an email preferred within each list, as Debian needs `Name <email>`).
 */
export function packageJsonMaintainer(pkg: Pick<PackageJson, 'author' | 'contributors' | 'maintainers'>): PackageJsonMaintainer {
  const unusable: PackageJsonMaintainer['unusable'] = [];
  const lists: [string, PackageJsonPerson[]][] = [
    ['author', pkg.author === undefined ? [] : [pkg.author]],
    ['contributors', pkg.contributors ?? []],
    ['maintainers', pkg.maintainers ?? []],
  ];
  for (const [key, people] of lists) {
    const found = people.map((p, i) => ({ field: key === 'author' ? key : `${key}[${i}]`, person: p, parsed: parsePerson(p) }));
    for (const f of found) if (!formatPerson(f.parsed)) unusable.push({ field: f.field, person: f.person });
    const pick = found.find((f) => f.parsed.email && formatPerson(f.parsed)) ?? found.find((f) => formatPerson(f.parsed));
    if (pick) return { maintainer: formatPerson(pick.parsed), field: pick.field, unusable };
  }
  return { unusable };
}

/** `Name <email>` from `author`, else `contributors`, else `maintainers` (see {@link packageJsonMaintainer}). */
export function maintainerFromPackageJson(pkg: PackageJson): string | undefined {
  return packageJsonMaintainer(pkg).maintainer;
}
