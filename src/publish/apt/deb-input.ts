/**
 * A .deb to publish: its control area (read with the bounded control reader, the data archive is
 * never decompressed), its digests, and where it goes in the pool. The control text becomes a
 * Packages stanza, so it is checked to be one well-formed stanza first: a blank line or a line that
 * is not a field would smuggle another stanza or field into the index.
 */
import { blockCharProblem } from '../../config/text.js';
import { MkpkgError } from '../../errors.js';
import { readDebControl } from '../../formats/deb/reader.js';
import { parseDebianVersion } from '../../versions/debian.js';
import { digestFile, type Digests } from '../digests.js';
import { stanzaOf, type IndexEntry } from './packages.js';

/** A package ready to be added. */
export interface DebInput {
  /** The file given. */
  path: string;
  name: string;
  version: string;
  arch: string;
  controlText: string;
  digests: Digests;
}

const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
const ARCH = /^[a-z0-9][a-z0-9-]*$/;
const FIELD_LINE = /^[!-9;-~]+:/;

const bad = (path: string, why: string) =>
  new MkpkgError('E_READ_PACKAGE', `${path}: ${why}`, { hint: 'publish packages built by mkpkg or dpkg-deb', details: { file: path } });

/**
 * Check that the control text is one stanza of field lines and continuation lines, each field once
 * (field names are case-insensitive, as dpkg reads them), and no character that another reader
 * could take for a line break (U+2028, U+2029, a lone CR) or that a terminal would act on.
 */
export function checkControlText(path: string, text: string): string {
  const body = text.replace(/\n+$/, '');
  if (body.includes('\r')) throw bad(path, 'its control file contains a carriage return');
  const char = blockCharProblem(body);
  if (char) throw bad(path, `its control file line ${body.slice(0, char.index).split('\n').length} contains ${char.description}`);
  const fields = new Set<string>();
  body.split('\n').forEach((line, i) => {
    if (line === '' || /^[ \t]+$/.test(line)) throw bad(path, `its control file has an empty line (line ${i + 1}), which would end the stanza`);
    if (i === 0 && /^[ \t]/.test(line)) throw bad(path, 'its control file starts with a continuation line');
    if (/^[ \t]/.test(line)) return;
    if (!FIELD_LINE.test(line)) throw bad(path, `its control file line ${i + 1} ${JSON.stringify(line.slice(0, 60))} is not a field`);
    const name = line.slice(0, line.indexOf(':'));
    if (fields.has(name.toLowerCase())) throw bad(path, `its control file gives the field ${name} twice (line ${i + 1}); dpkg refuses such a control file`);
    fields.add(name.toLowerCase());
  });
  return body;
}

/** Read and check one .deb. */
export async function readDebInput(path: string): Promise<DebInput> {
  const info = await readDebControl(path);
  const controlText = checkControlText(path, info.controlText);
  const { Package: name, Version: version, Architecture: arch } = info.control;
  if (!name || !PACKAGE.test(name)) throw bad(path, `Package ${JSON.stringify(name ?? '')} is not a valid package name`);
  if (!arch || !ARCH.test(arch)) throw bad(path, `Architecture ${JSON.stringify(arch ?? '')} is not a valid architecture`);
  try {
    parseDebianVersion(version ?? '', 'Version');
  } catch {
    throw bad(path, `Version ${JSON.stringify(version ?? '')} is not a valid Debian version`);
  }
  return { path, name, version: version!, arch, controlText, digests: await digestFile(path) };
}

/** Debian's pool path: `pool/<component>/<h|libh>/<name>/<name>_<version without epoch>_<arch>.deb`. */
export function poolPath(component: string, d: Pick<DebInput, 'name' | 'version' | 'arch'>): string {
  const prefix = d.name.startsWith('lib') && d.name.length > 3 ? d.name.slice(0, 4) : d.name.slice(0, 1);
  return `pool/${component}/${prefix}/${d.name}/${d.name}_${d.version.replace(/^[0-9]+:/, '')}_${d.arch}.deb`;
}

/** The index entry a package gets at `filename`. */
export function entryFor(d: DebInput, filename: string): IndexEntry {
  return {
    name: d.name, version: d.version, arch: d.arch, filename, sha256: d.digests.sha256, size: d.digests.size,
    text: stanzaOf(d.controlText, filename, d.digests),
  };
}
