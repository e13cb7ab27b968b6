/** The control area: control, md5sums, conffiles and maintainer scripts, as a (compressed) control.tar. */
import type { DebMetadata, DebScriptName, DebScripts } from '../../config/resolved.js';
import { MkpkgError } from '../../errors.js';
import { comparePaths, type PlanEntry } from '../../plan/types.js';
import { TarEncoder } from '../../archive/tar.js';
import { BLOCK, padding } from '../../archive/tar-header.js';
import { BufferSink } from '../../archive/collect.js';
import { compressTo } from '../../archive/compress-to.js';
import type { Compression } from '../../archive/compress.js';
import { renderControl } from './control.js';
import { installedSize } from './installed-size.js';
import { md5sumsLineLength, type FileDigests } from './md5sums.js';

/** One file of the control area. */
export interface ControlMember {
  name: string;
  mode: number;
  data: Buffer;
}

const SCRIPT_NAMES: readonly DebScriptName[] = ['postinst', 'postrm', 'preinst', 'prerm'];

/** Absolute paths of every shipped entry flagged as configuration, sorted. Only regular files can be conffiles. */
function conffilePaths(entries: readonly PlanEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (!e.flags.config || e.flags.ghost) continue;
    if (e.kind !== 'file' && e.kind !== 'data') {
      throw new MkpkgError('E_PLAN_INVALID', `plan entry ${e.path} is a ${e.kind} flagged as a config file; dpkg only accepts regular files as conffiles`, {
        hint: 'remove the config type from this entry', details: { path: e.path, kind: e.kind },
      });
    }
    out.push(e.path);
  }
  return out.sort(comparePaths);
}

/** All control-area members, sorted by name (pure). */
export function controlMembers(
  meta: DebMetadata,
  scripts: DebScripts,
  entries: readonly PlanEntry[],
  md5: FileDigests | undefined,
): ControlMember[] {
  const conffiles = conffilePaths(entries);
  const members: ControlMember[] = [{ name: 'control', mode: 0o644, data: Buffer.from(renderControl(meta, installedSize(entries))) }];
  if (conffiles.length > 0) members.push({ name: 'conffiles', mode: 0o644, data: Buffer.from(conffiles.join('\n') + '\n') });
  const sums = md5?.render(new Set(conffiles));
  if (sums && sums.length > 0) members.push({ name: 'md5sums', mode: 0o644, data: sums });
  for (const name of SCRIPT_NAMES) {
    const s = scripts[name];
    if (!s) continue;
    if (!s.body.startsWith('#!')) {
      throw new MkpkgError('E_SCRIPT_SYNTAX', `deb maintainer script ${name} does not start with a #! line`, {
        hint: `start the ${name} template with #!/bin/sh`, details: { script: name },
      });
    }
    members.push({ name, mode: 0o755, data: Buffer.from(s.body) });
  }
  return members.sort((a, b) => comparePaths(a.name, b.name));
}

/** Exact size in bytes of the uncompressed control.tar for `members`. */
export function controlTarSize(members: readonly ControlMember[]): number {
  return BLOCK + members.reduce((n, m) => n + member(m.data.length), 0) + 2 * BLOCK;
}

/** A file of `size` bytes in a tar: header and padded content. */
const member = (size: number) => BLOCK + size + padding(size);

/**
 * Exact size of the uncompressed control.tar once the md5s of `md5Paths` (the plan paths that
 * writeDataTar digests) are known: every digest has the same length, so md5sums need not be rendered.
 */
export function controlTarSizeBefore(meta: DebMetadata, scripts: DebScripts, entries: readonly PlanEntry[], md5Paths: Iterable<string>): number {
  const conffiles = new Set(conffilePaths(entries));
  let sums = 0;
  for (const p of md5Paths) if (!conffiles.has(p)) sums += md5sumsLineLength(p);
  return controlTarSize(controlMembers(meta, scripts, entries, undefined)) + (sums > 0 ? member(sums) : 0);
}

/** Encode and compress control.tar in memory (it is small: metadata only). */
export async function buildControlTar(members: readonly ControlMember[], mtime: number, compression: Compression, level: number): Promise<Buffer> {
  const sink = new BufferSink();
  await compressTo(sink, compression, level, async (raw) => {
    const tar = new TarEncoder(raw);
    const owner = { uname: 'root', gname: 'root', mtime };
    await tar.addDirectory({ path: './', mode: 0o755, ...owner });
    for (const m of members) await tar.addFile({ path: `./${m.name}`, mode: m.mode, ...owner }, m.data.length, m.data);
    await tar.finish();
  });
  return sink.result();
}
