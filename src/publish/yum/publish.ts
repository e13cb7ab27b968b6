/**
 * `mkpkg publish yum`: add .rpm files to a yum/dnf repository in a directory or an S3 bucket —
 * incrementally (the packages given and the existing repodata are read, never the other packages),
 * under the repository lock. Write order: packages, then the content-named data files, then
 * repomd.xml.asc and repomd.xml last; data files the previous repomd.xml named stay for clients
 * mid-update, older ones go after a grace period.
 */
import { compareEVR } from '../../versions/rpm.js';
import { detachedSignature, loadKeyOption } from '../../sign/index.js';
import { sha256Hex } from '../digests.js';
import { beyondNewest, deletablePackageFiles } from '../keep.js';
import { checkRunOptions, conflictError, newReport, putPackages, withRepoLock } from '../pool.js';
import type { PublishReport } from '../report.js';
import { checkSigning } from '../signing.js';
import { openStore } from '../store/index.js';
import type { RepoStore } from '../store/types.js';
import { eachLimited, extendsInPlace, SUPERSEDED_GRACE_MS } from '../writes.js';
import { packageChunks, type PackageChunks } from './chunks.js';
import { extendDocuments, renderDocuments } from './documents.js';
import { renderRepomd, type DataFile } from './repodata.js';
import { readRpmInput, type RpmInput } from './rpm-input.js';
import { loadSideChunks, readYum, REPOMD } from './state.js';

/** Options of {@link publishYum}. */
export interface YumPublishOptions {
  /** A directory (relative: to the current directory) or `s3://BUCKET/PREFIX`. */
  target: string;
  endpoint?: string;
  signKey?: string;
  passphrase?: string;
  unsigned?: boolean;
  rotateKey?: boolean;
  /** Keep the newest N versions of each package name and arch (by rpm order). */
  keep?: number;
  replace?: boolean;
  /** Rewrite (and re-sign) repomd.xml even when nothing else changed. */
  refresh?: boolean;
  /** Seconds to wait for another publisher's lock (default 120). */
  lockTimeout?: number;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const evr = (p: PackageChunks) => ({ epoch: p.epoch, version: p.version, release: p.release });
const nevra = (p: PackageChunks) => `${p.name}-${p.epoch ? `${p.epoch}:` : ''}${p.version}-${p.release}.${p.arch}`;
const order = (a: PackageChunks, b: PackageChunks) => byteOrder(a.name, b.name) || compareEVR(evr(a), evr(b)) || byteOrder(a.arch, b.arch) || byteOrder(a.location, b.location);


/** Add `rpms` to the repository `opts.target`. */
export async function publishYum(rpms: readonly string[], opts: YumPublishOptions, store: RepoStore = openStore(opts.target, { endpoint: opts.endpoint })): Promise<PublishReport> {
  checkRunOptions(opts);
  const key = opts.signKey ? await loadKeyOption(opts.signKey, opts.passphrase) : undefined;
  const inputs: RpmInput[] = [];
  for (const r of rpms) inputs.push(await readRpmInput(r));
  const report = newReport('yum', store);
  return withRepoLock(store, opts.lockTimeout, report, async () => {
    await store.sweep?.(['repodata', ...new Set(inputs.map((i) => i.location.replace(/\/[^/]+$/, '')))]);
    const state = await readYum(store);
    report.notes.push(...state.notes);
    await checkSigning({ what: store.location, existingSignature: state.signature, key, unsigned: opts.unsigned, rotateKey: opts.rotateKey });
    const now = Math.floor(Date.now() / 1000);
    const packages = new Map(state.packages);
    const byNevra = new Map([...packages.values()].map((p) => [nevra(p), p]));
    const sources = new Map<string, string>();
    const uploads: PackageChunks[] = [];
    for (const input of inputs) {
      const chunks = packageChunks(input, now);
      const existing = byNevra.get(nevra(chunks));
      if (existing?.pkgid === chunks.pkgid) { if (!report.unchanged.includes(existing.location)) report.unchanged.push(existing.location); continue; }
      if (existing && !opts.replace) throw conflictError(`the repository already has ${nevra(chunks)} (${existing.location}) with different content than ${input.path}`, existing.location);
      if (existing) packages.delete(existing.pkgid);
      packages.set(chunks.pkgid, chunks);
      byNevra.set(nevra(chunks), chunks);
      sources.set(chunks.pkgid, input.path);
      uploads.push(chunks);
      (existing ? report.replaced : report.added).push(chunks.location);
    }
    const dropped = opts.keep === undefined ? [] : beyondNewest([...packages.values()], opts.keep, (p) => `${p.name} ${p.arch}`, (a, b) => compareEVR(evr(a), evr(b)));
    for (const p of dropped) packages.delete(p.pkgid);
    const listed = new Set([...packages.values()].map((p) => p.location));
    report.removed = dropped.filter((p) => !sources.has(p.pkgid) && !listed.has(p.location)).map((p) => p.location).sort();
    report.added = report.added.filter((l) => listed.has(l));
    report.replaced = report.replaced.filter((l) => listed.has(l));
    report.packages = packages.size;
    report.signed = Boolean(key) || (!opts.unsigned && Boolean(state.signature));
    const signingChanges = key ? !state.signature : Boolean(state.signature);
    if (!opts.refresh && !signingChanges && state.repomdText && !report.added.length && !report.replaced.length && !dropped.length) return report;

    // 1. Packages.
    const added = uploads.filter((p) => packages.has(p.pkgid));
    await putPackages(store, added.map((p) => ({ key: p.location, sha256: p.pkgid, source: sources.get(p.pkgid)! })), Boolean(opts.replace));
    // 2. Data files, named by their checksum (never overwritten).
    // Added packages only, and the count within the same multiple of REWRITE_EVERY: the documents are extended.
    const appendOnly = report.added.length > 0 && !report.replaced.length && !dropped.length && extendsInPlace(state.packages.size, packages.size);
    added.sort(order);
    let docs = appendOnly ? extendDocuments(state.docs, state.packages.size, added) : undefined;
    if (!docs) {
      loadSideChunks(state);
      docs = await renderDocuments([...packages.values()].sort(order));
    }
    const written = docs.map((d) => {
      const sha256 = sha256Hex(d.gz);
      const file: DataFile = { type: d.kind, href: `repodata/${sha256}-${d.kind}.xml.gz`, sha256, openSha256: d.openSha256, size: d.gz.length, openSize: d.openSize, timestamp: now };
      return { file, gz: d.gz };
    });
    await eachLimited(written, async ({ file, gz }) => { if (!(await store.stat(file.href))) await store.put(file.href, gz); });
    const files = written.map((w) => w.file);
    // 3. repomd.xml.asc, then repomd.xml.
    const kept = state.data.filter((d) => !/^(primary|filelists|other)(_db|_zck)?$/.test(d.type)).map((d) => d.raw);
    const repomd = renderRepomd(Math.max(now, (state.revision ?? 0) + 1), files, kept);
    if (key && !opts.unsigned) await store.put(`${REPOMD}.asc`, await detachedSignature(key, repomd, REPOMD));
    await store.put(REPOMD, repomd);
    if (!key || opts.unsigned) await store.delete(`${REPOMD}.asc`);
    report.changed = true;
    // 4. What nothing lists any more.
    await eachLimited(deletablePackageFiles('yum', report.removed, report.notes), (l) => store.delete(l));
    const named = new Set([...files, ...state.data].map((d) => d.href));
    const stale = (await store.list('repodata/')).filter((o) => /^repodata\/[0-9a-f]{40,128}-[a-z_]+\.(xml|sqlite)(\.(gz|zst|xz|bz2))?$/.test(o.key)
      && !named.has(o.key) && Date.now() - o.modified.getTime() > SUPERSEDED_GRACE_MS);
    await eachLimited(stale, (o) => store.delete(o.key));
    return report;
  });
}
