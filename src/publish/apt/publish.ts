/**
 * `mkpkg publish apt`: add .deb files to one suite and component of an apt repository in a
 * directory or an S3 bucket — incrementally (the packages given and the suite's indexes are read,
 * never the pool), under the repository lock, in the write order of ./write.ts.
 */
import { MkpkgError } from '../../errors.js';
import { loadKeyOption } from '../../sign/index.js';
import { openStore } from '../store/index.js';
import type { RepoStore } from '../store/types.js';
import { deletablePackageFiles } from '../keep.js';
import { newReport, putPackages, withRepoLock } from '../pool.js';
import type { PublishReport } from '../report.js';
import { checkSigning } from '../signing.js';
import { eachLimited, extendsInPlace } from '../writes.js';
import { applyChanges } from './changes.js';
import { entryFor, poolPath, readDebInput, type DebInput } from './deb-input.js';
import { checkAptOptions, type AptPublishOptions, type CheckedAptOptions } from './options.js';
import { releaseBody, renderRelease, type ReleaseFile } from './release.js';
import { INDEX_PATH, listSuites, readIndexFiles, readSuite, type SuiteState } from './suite.js';
import { extendIndexFiles, pruneByHash, renderIndexFiles, writeIndexes, writeRelease, type IndexFile } from './write.js';

const DEFAULT_ARCHES = ['amd64', 'arm64'];
const PINNED = [['origin', 'Origin'], ['label', 'Label'], ['codename', 'Codename']] as const;

/** Architectures after this run: they only grow, unless removed explicitly. */
function architecturesOf(o: CheckedAptOptions, state: SuiteState, packageArches: string[]): string[] {
  const listed = new Set([...(state.release?.architectures ?? []), ...(o.architectures ?? [])]);
  listed.delete('all');
  if (!state.release && !o.architectures?.length) {
    for (const a of packageArches) if (a !== 'all') listed.add(a);
    if (!listed.size) for (const a of DEFAULT_ARCHES) listed.add(a);
  }
  for (const a of o.removeArchitectures ?? []) listed.delete(a);
  if (!listed.size) {
    throw new MkpkgError('E_REPO_INVALID', `suite ${o.suite} would list no architecture`, { hint: 'keep at least one architecture (removeArchitectures / --remove-arch)' });
  }
  return [...listed].sort();
}

/** Release fields that apt pins (Origin, Label, Codename) may not change under its clients. */
function pinnedFields(o: CheckedAptOptions, state: SuiteState): { origin?: string; label?: string; codename: string } {
  const out: Record<string, string | undefined> = {};
  for (const [opt, field] of PINNED) {
    const now = state.release?.fields[field];
    const wanted = o[opt];
    if (now !== undefined && wanted !== undefined && now !== wanted) {
      throw new MkpkgError('E_REPO_INVALID', `suite ${o.suite} has ${field} ${JSON.stringify(now)}; changing it to ${JSON.stringify(wanted)} makes every client's apt-get update fail until it passes --allow-releaseinfo-change`, {
        hint: `leave ${opt} out (the current value is kept) or set it to ${JSON.stringify(now)}`,
      });
    }
    out[opt] = wanted ?? now;
  }
  return { origin: out.origin, label: out.label, codename: out.codename ?? o.suite };
}

/** Pool files that other suites (or other indexes of this suite) still list. */
async function stillListed(store: RepoStore, suite: string, files: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(files);
  const found = new Set<string>();
  if (!wanted.size) return found;
  for (const other of await listSuites(store)) {
    if (other === suite) continue;
    for (const list of (await readSuite(store, other)).indexes.values()) for (const e of list) if (wanted.has(e.filename)) found.add(e.filename);
  }
  return found;
}

/** Add `debs` to the repository `opts.target` (see {@link AptPublishOptions}). */
export async function publishApt(debs: readonly string[], opts: AptPublishOptions, store: RepoStore = openStore(opts.target, { endpoint: opts.endpoint })): Promise<PublishReport> {
  const o = checkAptOptions(opts);
  const dist = `dists/${o.suite}`;
  // Everything that can be refused without the repository is checked before taking its lock.
  const key = o.signKey ? await loadKeyOption(o.signKey, o.passphrase) : undefined;
  const inputs: DebInput[] = [];
  for (const d of debs) inputs.push(await readDebInput(d));
  const report: PublishReport = { ...newReport('apt', store), suite: o.suite, component: o.component };
  return withRepoLock(store, o.lockTimeout, report, async () => {
    await store.sweep?.([dist, ...new Set(inputs.map((d) => poolPath(o.component, d).replace(/\/[^/]+$/, '')))]);
    const state = await readSuite(store, o.suite);
    report.notes.push(...state.notes);
    await checkSigning({ what: `${store.location}/${dist}`, existingSignature: state.signature, key, unsigned: o.unsigned, rotateKey: o.rotateKey });
    const architectures = architecturesOf(o, state, inputs.map((d) => d.arch));
    for (const d of inputs) {
      if (d.arch !== 'all' && !architectures.includes(d.arch)) {
        throw new MkpkgError('E_PUBLISH_ARCH', `${d.path} is for ${d.arch}, which suite ${o.suite} does not list (${architectures.join(' ')})`, {
          hint: `add the architecture on purpose: --architectures ${[...architectures, d.arch].join(',')} (architectures: [...])`,
        });
      }
    }
    const components = [...new Set([...(state.release?.components ?? []), o.component])].sort();
    const changes = applyChanges({
      indexes: state.indexes, components, architectures, component: o.component, replace: o.replace, keep: o.keep,
      additions: inputs.map((d) => ({ entry: entryFor(d, poolPath(o.component, d)), source: d.path })),
    });
    if (state.release && state.release.fields['Acquire-By-Hash'] !== 'yes') {
      // A suite written without by-hash copies (older mkpkg, other tools): rewrite every index once.
      for (const k of changes.indexes.keys()) changes.dirty.add(k);
      changes.appendOnly.clear();
    }
    const pinned = pinnedFields(o, state);
    const old = state.release;
    const indexFiles: IndexFile[] = [];
    for (const k of [...changes.dirty].sort()) {
      const [c, a] = k.split('/') as [string, string];
      const dir = `${c}/binary-${a}`;
      const before = state.indexes.get(k)?.length ?? 0;
      const now = changes.indexes.get(k)!;
      const old = changes.appendOnly.has(k) && extendsInPlace(before, now.length) && state.release
        ? await readIndexFiles(store, dist, dir, { ...state, release: state.release }) : undefined;
      indexFiles.push(...(old && extendIndexFiles(dir, old, now.slice(before))) || await renderIndexFiles(dir, now));
    }
    const files = new Map<string, ReleaseFile>();
    const live = new Set([...changes.indexes.keys()].map((k) => k.replace('/', '/binary-')));
    for (const [path, f] of old?.files ?? []) {
      const m = INDEX_PATH.exec(path);
      // Files of other tools (Contents, Translation, …) stay listed; indexes of dropped architectures go.
      if (!m || live.has(`${m[1]}/binary-${m[2]}`)) files.set(path, f);
    }
    for (const f of indexFiles) files.set(f.path, f.release);
    const oldValidFor = old?.fields['Valid-Until'] && old.fields.Date ? (Date.parse(old.fields['Valid-Until']) - Date.parse(old.fields.Date)) / 1000 : undefined;
    const validFor = o.validFor ?? (oldValidFor && oldValidFor > 0 ? oldValidFor : undefined);
    const info = {
      ...pinned, suite: o.suite, version: o.version ?? old?.fields.Version, description: o.description ?? old?.fields.Description,
      architectures, components, files: [...files.values()],
    };
    const release = renderRelease({ ...info, date: o.date, validUntil: validFor ? new Date(o.date.getTime() + validFor * 1000) : undefined });
    const signingChanges = key ? !state.signature : Boolean(state.signature);
    report.architectures = architectures;
    report.components = components;
    report.packages = new Set([...changes.indexes.values()].flatMap((l) => l.map((e) => e.filename))).size;
    report.added = changes.added.map((e) => e.filename);
    report.unchanged = changes.unchanged.map((e) => e.filename);
    report.replaced = changes.replaced.map((e) => e.filename);
    report.removed = changes.removed.map((e) => e.filename).sort();
    report.signed = Boolean(key) || (!o.unsigned && Boolean(state.signature));
    if (!o.refresh && !signingChanges && state.releaseText && releaseBody(release) === releaseBody(state.releaseText)) return report;

    // 1. Pool files.
    const source = new Map(inputs.map((d) => [d.digests.sha256, d.path]));
    await putPackages(store, [...changes.added, ...changes.replaced].map((e) => ({ key: e.filename, sha256: e.sha256, source: source.get(e.sha256)! })), Boolean(o.replace));
    // 2.-4. by-hash, plain indexes, Release and signatures.
    await writeIndexes(store, dist, indexFiles);
    await writeRelease(store, dist, release, o.unsigned ? undefined : key);
    report.changed = true;
    // 5. What nothing lists any more.
    const elsewhere = await stillListed(store, o.suite, report.removed);
    await eachLimited(deletablePackageFiles('apt', report.removed.filter((f) => !elsewhere.has(f)), report.notes), (f) => store.delete(f));
    for (const [path] of old?.files ?? []) if (!files.has(path) && INDEX_PATH.test(path)) await store.delete(`${dist}/${path}`);
    const hashes = new Set([...files.values(), ...(old?.files.values() ?? [])].flatMap((f) => [f.sha256, f.sha512]).filter((h): h is string => Boolean(h)));
    const dirs = new Set([...(old?.files.keys() ?? []), ...files.keys()].map((p) => INDEX_PATH.exec(p)).filter(Boolean).map((m) => `${m![1]}/binary-${m![2]}`));
    await pruneByHash(store, dist, dirs, hashes);
    return report;
  });
}
