/** Render the `control` file (one deb822 stanza) from resolved metadata. Pure. */
import { DEB_RELATION_FIELDS, type DebMetadata } from '../../config/resolved.js';
import { MkpkgError } from '../../errors.js';
import { oneLine } from '../../config/text.js';

const FIELD_NAME = /^[A-Za-z0-9][!-9;-~]*$/;

function singleLine(field: string, value: string): string {
  return oneLine(value.trim(), `deb control field ${field}`);
}

function required(field: string, value: string | undefined): string {
  const v = singleLine(field, value ?? '');
  if (v === '') {
    throw new MkpkgError('E_METADATA_MISSING', `deb control field ${field} is empty`, { hint: `set ${field} in the config or package.json`, details: { field } });
  }
  return v;
}

/** Format a long description as deb822 continuation lines: ` text`, ` .` for a blank line. */
function formatLongDescription(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l === '' || l === '.' ? ' .' : ` ${l}`));
}

/** The complete `control` text, ending with a newline. `installedSize` is in KiB. */
export function renderControl(meta: DebMetadata, installedSize: number): string {
  const out: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out.push(`${name}: ${singleLine(name, value)}`);
  };
  out.push(`Package: ${required('Package', meta.package)}`);
  out.push(`Version: ${required('Version', meta.version)}`);
  out.push(`Architecture: ${required('Architecture', meta.architecture)}`);
  out.push(`Maintainer: ${required('Maintainer', meta.maintainer)}`);
  out.push(`Installed-Size: ${installedSize}`);
  for (const field of DEB_RELATION_FIELDS) {
    const items = (meta.relations[field] ?? []).map((r) => singleLine(field, r)).filter((r) => r !== '');
    if (items.length > 0) out.push(`${field}: ${items.join(', ')}`);
  }
  add('Section', meta.section);
  add('Priority', meta.priority);
  add('Homepage', meta.homepage);
  out.push(`Description: ${required('Description', meta.synopsis)}`, ...formatLongDescription(meta.description ?? ''));
  for (const name of Object.keys(meta.extraFields ?? {}).sort()) {
    if (!FIELD_NAME.test(name)) {
      throw new MkpkgError('E_METADATA_INVALID', `deb control field name ${JSON.stringify(name)} is not valid`, {
        hint: 'field names use printable ASCII without spaces or colons and must not start with - or #',
        details: { field: name },
      });
    }
    add(name, meta.extraFields![name]);
  }
  return out.join('\n') + '\n';
}
