/**
 * Every value written into a deb control file or an rpm header, checked as a one-line literal of
 * allowed characters (the long description as lines). The resolvers call these with the config
 * field names, and the writers again with the native names (hooks may edit the metadata between).
 */
import { DEB_RELATION_FIELDS, RPM_RELATION_KINDS, type DebMetadata, type RpmMetadata, type Script } from './resolved.js';
import { invalidValue } from '../errors.js';
import { oneLine, textBlock, type TextRule } from './text.js';

/** The longest package file name accepted: 255 bytes, less room for the writer's temporary name. */
export const MAX_FILE_NAME = 200;

const URL_RULE: TextRule = { pattern: /^\S+$/, rule: 'a URL without spaces' };
const SECTION_RULE: TextRule = { pattern: /^[a-z0-9][a-z0-9+./-]*$/, rule: 'a Debian section such as "net", "utils" or "contrib/web"' };
const PRIORITY_RULE: TextRule = { pattern: /^[a-z]+$/, rule: 'a Debian priority such as "optional"' };

/** Names for messages: the config field a native field came from (the resolvers), or the native one (the writers). */
export type FieldNames = (field: string) => string;

function checkFileName(file: string, where: string): void {
  if (Buffer.byteLength(file) > MAX_FILE_NAME) {
    throw invalidValue('E_METADATA_INVALID', where, file, `as the package file name is ${Buffer.byteLength(file)} bytes, more than the ${MAX_FILE_NAME} mkpkg allows (file systems allow 255, and the writer needs room for a temporary name)`,
      'shorten the package name or the version');
  }
}

/** Check a deb control stanza's values. `names` maps `Package`, `Maintainer`, … to the field to blame. */
export function checkDebMetadata(meta: DebMetadata, names: FieldNames = (f) => `deb control field ${f}`): void {
  oneLine(meta.package, names('Package'));
  oneLine(meta.version, names('Version'));
  oneLine(meta.architecture, names('Architecture'));
  oneLine(meta.maintainer, names('Maintainer'));
  oneLine(meta.synopsis, names('Description'));
  if (meta.description !== undefined) textBlock(meta.description, names('description'));
  oneLine(meta.section, names('Section'), SECTION_RULE);
  oneLine(meta.priority, names('Priority'), PRIORITY_RULE);
  if (meta.homepage !== undefined) oneLine(meta.homepage, names('Homepage'), URL_RULE);
  for (const field of DEB_RELATION_FIELDS) (meta.relations[field] ?? []).forEach((r, i) => oneLine(r, `${names(field)}[${i}]`, { code: 'E_DEPENDENCY_INVALID' }));
  for (const [k, v] of Object.entries(meta.extraFields ?? {})) oneLine(v, names(k));
  checkFileName(`${meta.package}_${meta.version.replace(/^\d+:/, '')}_${meta.architecture}.deb`, `${names('Package')} and ${names('Version')}`);
}

/** Check an rpm header's string values. `names` maps `Name`, `Summary`, … to the field to blame. */
export function checkRpmMetadata(meta: RpmMetadata, names: FieldNames = (f) => `rpm tag ${f.toUpperCase()}`): void {
  for (const [field, value] of [['Name', meta.name], ['Version', meta.version], ['Release', meta.release], ['Arch', meta.arch], ['Summary', meta.summary],
    ['License', meta.license], ['Group', meta.group], ['Vendor', meta.vendor], ['Packager', meta.packager], ['BuildHost', meta.buildHost]] as const) {
    if (value !== undefined) oneLine(value, names(field));
  }
  textBlock(meta.description, names('Description'));
  if (meta.url !== undefined) oneLine(meta.url, names('URL'), URL_RULE);
  for (const kind of RPM_RELATION_KINDS) {
    (meta.relations[kind] ?? []).forEach((d, i) => {
      oneLine(d.name, `${names(kind)}[${i}]`, { code: 'E_DEPENDENCY_INVALID' });
      oneLine(d.version, `${names(kind)}[${i}] version`, { code: 'E_DEPENDENCY_INVALID' });
    });
  }
  checkFileName(`${meta.name}-${meta.version}-${meta.release}.${meta.arch}.rpm`, `${names('Name')} and ${names('Version')}`);
}

/** Maintainer scripts: no NUL in a body (an rpm header string cannot hold one), the interpreter one line. */
export function checkScripts(scripts: Partial<Record<string, Script | undefined>>, format: 'deb' | 'rpm'): void {
  for (const [name, s] of Object.entries(scripts)) {
    if (!s) continue;
    const at = s.body.indexOf('\0');
    if (at >= 0) {
      throw invalidValue('E_SCRIPT_SYNTAX', `the ${format} ${name} script`, `${s.body.slice(Math.max(0, at - 30), at + 1)}…`, `contains a NUL byte at offset ${at}`,
        'remove the NUL byte from the script fragment (scripts.* files, slots and plugin fragments are text)');
    }
    if (s.interpreter !== undefined) oneLine(s.interpreter, `the ${format} ${name} script's interpreter`, { code: 'E_SCRIPT_SYNTAX' });
  }
}
