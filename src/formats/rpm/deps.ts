/**
 * RPM dependencies: validation of user relations, self-provides, rpmlib() feature requirements
 * and scriptlet interpreter requirements, sorted and de-duplicated, as header triplets.
 */
import { MkpkgError } from '../../errors.js';
import type { Compression } from '../../archive/compress.js';
import { RPMSENSE, RPM_RELATION_KINDS, type RpmDependency, type RpmMetadata, type RpmRelationKind, type RpmScriptName, type RpmScripts } from '../../config/resolved.js';
import { int32, strArray, type HeaderEntry } from './header.js';
import { TAG } from './tags.js';

/** What the package uses, for the rpmlib() requirements. */
export interface RpmFeatures {
  compression: Compression;
  /** LONGFILESIZES and the stripped payload are used. */
  largeFiles: boolean;
  /** The package has a file list (and therefore SHA256 file digests). */
  hasFiles: boolean;
}

const RPMLIB_FLAGS = RPMSENSE.RPMLIB | RPMSENSE.LESS | RPMSENSE.EQUAL;
const SENSE_CMP = RPMSENSE.LESS | RPMSENSE.GREATER | RPMSENSE.EQUAL;
const RPMSENSE_POSTTRANS = 1 << 5;
const RPMSENSE_PRETRANS = 1 << 7;
const RPMSENSE_MISSINGOK = 1 << 19;
/** Flags a user relation may carry: comparison, Requires(pre/post/…), pretrans/posttrans, missingok. */
const USER_FLAGS = SENSE_CMP | RPMSENSE.PREREQ | RPMSENSE_POSTTRANS | RPMSENSE_PRETRANS | RPMSENSE.SCRIPT_PRE
  | RPMSENSE.SCRIPT_POST | RPMSENSE.SCRIPT_PREUN | RPMSENSE.SCRIPT_POSTUN | RPMSENSE_MISSINGOK;

/** Scriptlet → the sense bits rpmbuild gives its interpreter requirement. */
const SCRIPT_SENSE: Record<RpmScriptName, number> = {
  pretrans: RPMSENSE_PRETRANS, pre: RPMSENSE.SCRIPT_PRE, post: RPMSENSE.SCRIPT_POST,
  preun: RPMSENSE.SCRIPT_PREUN, postun: RPMSENSE.SCRIPT_POSTUN, posttrans: RPMSENSE_POSTTRANS,
};

/** rpm's `%_isa` suffix per architecture (arch-specific packages provide `name(isa)`). */
const ISA: Record<string, string> = {
  x86_64: 'x86-64', i686: 'x86-32', i586: 'x86-32', aarch64: 'aarch-64', armv7hl: 'arm-32',
  ppc64le: 'ppc-64', ppc64: 'ppc-64', s390x: 's390-64', riscv64: 'riscv-64',
};

const VERSION_RE = /^[A-Za-z0-9._+~^]+$/;
const EVR_RE = /^(\d+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$/;
const NAME_RE = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/** Validate name, epoch, version, release and arch (E_VERSION_INVALID / E_METADATA_INVALID). */
export function validateRpmIdentity(meta: RpmMetadata): void {
  if (!NAME_RE.test(meta.name)) {
    throw new MkpkgError('E_METADATA_INVALID', `rpm name ${JSON.stringify(meta.name)} is not a valid package name`, { hint: 'use letters, digits and . _ + - (starting with a letter or digit)', details: { field: 'name', value: meta.name } });
  }
  for (const field of ['version', 'release'] as const) {
    const v = meta[field];
    if (!VERSION_RE.test(v)) {
      throw new MkpkgError('E_VERSION_INVALID', `rpm ${field} ${JSON.stringify(v)} is not valid${v.includes('-') ? ': it contains "-", which separates version and release in rpm' : ''}`, {
        hint: `an rpm ${field} may only use letters, digits and . _ + ~ ^ (write a prerelease as 1.2.0~rc.1)`, details: { field, value: v },
      });
    }
  }
  if (meta.epoch !== undefined && (!Number.isInteger(meta.epoch) || meta.epoch < 0 || meta.epoch > 0x7fffffff)) {
    throw new MkpkgError('E_VERSION_INVALID', `rpm epoch ${meta.epoch} is not a non-negative integer`, { hint: 'omit the epoch or give a whole number ≥ 0', details: { field: 'epoch', value: meta.epoch } });
  }
  if (!/^[A-Za-z0-9_]+$/.test(meta.arch)) {
    throw new MkpkgError('E_ARCH_UNKNOWN', `rpm arch ${JSON.stringify(meta.arch)} is not a valid architecture name`, { hint: 'use an rpm arch name such as x86_64, aarch64 or noarch' });
  }
}

/** Validate one user relation (E_DEPENDENCY_INVALID naming the relation kind and entry). */
export function validateDependency(kind: RpmRelationKind, d: RpmDependency): void {
  const bad = (why: string): never => {
    throw new MkpkgError('E_DEPENDENCY_INVALID', `rpm ${kind} entry ${JSON.stringify(d)} is invalid: ${why}`, {
      hint: 'write a relation as { name, flags, version } with flags from RPMSENSE (LESS/GREATER/EQUAL) and version [E:]V[-R], e.g. nodejs >= 18',
      details: { kind, dependency: d },
    });
  };
  const rich = d.name.startsWith('(');
  if (!d.name || (!rich && /[\s,]/.test(d.name))) bad('the name is empty or contains whitespace or a comma');
  if (rich && (!d.name.endsWith(')') || d.flags !== 0 || d.version !== '')) bad('a rich dependency must be "(…)" with no flags and no version');
  if (!Number.isInteger(d.flags) || (d.flags & ~USER_FLAGS) !== 0) bad(`flags ${d.flags} contain bits that are not a comparison or scriptlet sense`);
  const cmp = d.flags & SENSE_CMP;
  if ((cmp & RPMSENSE.LESS) && (cmp & RPMSENSE.GREATER)) bad('flags combine LESS and GREATER');
  if (cmp && !d.version) bad('a comparison needs a version');
  if (!cmp && d.version) bad('a version needs a comparison (LESS, GREATER and/or EQUAL)');
  if (d.version && !EVR_RE.test(d.version)) bad(`version ${JSON.stringify(d.version)} is not [E:]V[-R]`);
}

/** `[E:]V-R` of the package. */
export function packageEvr(meta: RpmMetadata): string {
  return `${meta.epoch !== undefined ? `${meta.epoch}:` : ''}${meta.version}-${meta.release}`;
}

/** A dependency as rpm prints it: `nodejs >= 18`, or the bare name. */
export function dependencyText(d: RpmDependency): string {
  const op = `${d.flags & RPMSENSE.LESS ? '<' : ''}${d.flags & RPMSENSE.GREATER ? '>' : ''}${d.flags & RPMSENSE.EQUAL ? '=' : ''}`;
  return op && d.version ? `${d.name} ${op} ${d.version}` : d.name;
}

const cmpBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Sort by name, version, flags (byte order) and drop exact duplicates. */
function sortDeps(deps: readonly RpmDependency[]): RpmDependency[] {
  const sorted = [...deps].sort((a, b) => cmpBytes(a.name, b.name) || cmpBytes(a.version, b.version) || a.flags - b.flags);
  return sorted.filter((d, i) => i === 0 || d.name !== sorted[i - 1].name || d.version !== sorted[i - 1].version || d.flags !== sorted[i - 1].flags);
}

function rpmlib(feature: string, version: string): RpmDependency {
  return { name: `rpmlib(${feature})`, flags: RPMLIB_FLAGS, version };
}

/** Interpreter argv of a scriptlet (default /bin/sh). */
export function scriptProg(interpreter: string | undefined): string[] {
  const argv = (interpreter ?? '/bin/sh').trim().split(/\s+/).filter(Boolean);
  return argv.length ? argv : ['/bin/sh'];
}

/** All relations of the package: user relations plus self-provides, rpmlib() and interpreter requirements. */
export function buildRelations(meta: RpmMetadata, scripts: RpmScripts, features: RpmFeatures): Record<RpmRelationKind, RpmDependency[]> {
  const out = {} as Record<RpmRelationKind, RpmDependency[]>;
  for (const kind of RPM_RELATION_KINDS) {
    const list = meta.relations[kind] ?? [];
    list.forEach((d) => validateDependency(kind, d));
    out[kind] = [...list];
  }
  const evr = packageEvr(meta);
  out.provides.push({ name: meta.name, flags: RPMSENSE.EQUAL, version: evr });
  const isa = ISA[meta.arch];
  if (isa) out.provides.push({ name: `${meta.name}(${isa})`, flags: RPMSENSE.EQUAL, version: evr });

  const req = out.requires;
  for (const [name, script] of Object.entries(scripts) as [RpmScriptName, RpmScripts[RpmScriptName]][]) {
    if (!script) continue;
    const prog = scriptProg(script.interpreter)[0];
    if (prog.startsWith('/')) req.push({ name: prog, flags: RPMSENSE.INTERP | SCRIPT_SENSE[name], version: '' });
  }
  req.push(rpmlib('CompressedFileNames', '3.0.4-1'), rpmlib('PayloadFilesHavePrefix', '4.0-1'));
  if (features.hasFiles) req.push(rpmlib('FileDigests', '4.6.0-1'));
  if (features.compression === 'xz') req.push(rpmlib('PayloadIsXz', '5.2-1'));
  if (features.compression === 'zstd') req.push(rpmlib('PayloadIsZstd', '5.4.18-1'));
  if (features.largeFiles) req.push(rpmlib('LargeFiles', '4.12.0-1'));
  const all = [meta.version, meta.release, ...RPM_RELATION_KINDS.flatMap((k) => out[k].map((d) => d.version))];
  if (all.some((v) => v.includes('~'))) req.push(rpmlib('TildeInVersions', '4.10.0-1'));
  if (all.some((v) => v.includes('^'))) req.push(rpmlib('CaretInVersions', '4.15.0-1'));
  if (RPM_RELATION_KINDS.some((k) => out[k].some((d) => d.name.startsWith('(')))) req.push(rpmlib('RichDependencies', '4.12.0-1'));

  for (const kind of RPM_RELATION_KINDS) out[kind] = sortDeps(out[kind]);
  return out;
}

const TRIPLETS: Record<RpmRelationKind, [name: number, flags: number, version: number]> = {
  provides: [TAG.PROVIDENAME, TAG.PROVIDEFLAGS, TAG.PROVIDEVERSION],
  requires: [TAG.REQUIRENAME, TAG.REQUIREFLAGS, TAG.REQUIREVERSION],
  conflicts: [TAG.CONFLICTNAME, TAG.CONFLICTFLAGS, TAG.CONFLICTVERSION],
  obsoletes: [TAG.OBSOLETENAME, TAG.OBSOLETEFLAGS, TAG.OBSOLETEVERSION],
  recommends: [TAG.RECOMMENDNAME, TAG.RECOMMENDFLAGS, TAG.RECOMMENDVERSION],
  suggests: [TAG.SUGGESTNAME, TAG.SUGGESTFLAGS, TAG.SUGGESTVERSION],
  supplements: [TAG.SUPPLEMENTNAME, TAG.SUPPLEMENTFLAGS, TAG.SUPPLEMENTVERSION],
  enhances: [TAG.ENHANCENAME, TAG.ENHANCEFLAGS, TAG.ENHANCEVERSION],
};

/** Tag numbers of each relation kind's NAME/FLAGS/VERSION triplet. */
export const RELATION_TAGS: Readonly<Record<RpmRelationKind, readonly [number, number, number]>> = TRIPLETS;

/** Header entries for every non-empty relation kind. */
export function relationTags(rel: Record<RpmRelationKind, RpmDependency[]>): HeaderEntry[] {
  return RPM_RELATION_KINDS.flatMap((kind) => {
    const list = rel[kind];
    if (!list.length) return [];
    const [n, f, v] = TRIPLETS[kind];
    return [strArray(n, list.map((d) => d.name)), int32(f, list.map((d) => d.flags)), strArray(v, list.map((d) => d.version))];
  });
}
