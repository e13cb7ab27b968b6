/** `mkpkg publish apt|yum TARGET PKG…`: flags → the publishers of src/publish → printed report or listing. */
import { MkpkgError } from '../../errors.js';
import { probeDeathSignal } from '../../proc/children.js';
import type { CommandArgs } from '../args/spec.js';
import { printJson } from '../output.js';

/** Flags of `mkpkg publish`. */
export interface PublishFlags {
  family: 'apt' | 'yum';
  target: string;
  packages?: string[];
  suite?: string;
  component?: string;
  codename?: string;
  origin?: string;
  label?: string;
  description?: string;
  'release-version'?: string;
  architectures?: string;
  'remove-arch'?: string;
  'valid-for'?: string;
  'sign-key'?: string;
  unsigned?: boolean;
  'rotate-key'?: boolean;
  keep?: number;
  replace?: boolean;
  refresh?: boolean;
  list?: boolean;
  json?: boolean;
  quiet?: boolean;
  'lock-timeout'?: number;
  endpoint?: string;
}

const APT_ONLY = ['suite', 'component', 'codename', 'origin', 'label', 'description', 'release-version', 'architectures', 'remove-arch', 'valid-for'] as const;

/** The arguments of `mkpkg publish`. */
export const PUBLISH_ARGS: CommandArgs = {
  positionals: [
    { name: 'family', choices: ['apt', 'yum'], required: true, describe: 'repository family' },
    { name: 'target', required: true, describe: 'repository: a directory or s3://BUCKET/PREFIX' },
    { name: 'packages', variadic: true, describe: '.deb (apt) or .rpm (yum) files to add' },
  ],
  options: {
    suite: { type: 'string', describe: 'apt: suite (default stable)' },
    component: { type: 'string', describe: 'apt: component (default main)' },
    codename: { type: 'string', describe: 'apt: Codename (default: the current one, else the suite)' },
    origin: { type: 'string', describe: 'apt: Release Origin' },
    label: { type: 'string', describe: 'apt: Release Label' },
    description: { type: 'string', describe: 'apt: Release Description' },
    'release-version': { type: 'string', describe: 'apt: Release Version field' },
    architectures: { type: 'string', describe: 'apt: comma-separated architectures to add to the suite' },
    'remove-arch': { type: 'string', describe: 'apt: comma-separated architectures to drop from the suite' },
    'valid-for': { type: 'string', describe: 'apt: write Valid-Until this long after Date (3600, 12h, 7d)' },
    'sign-key': { type: 'string', describe: 'armored OpenPGP private key file (passphrase: $MKPKG_SIGN_PASSPHRASE)' },
    unsigned: { type: 'boolean', describe: 'publish without a key even if the repository is signed (removes its signatures)' },
    'rotate-key': { type: 'boolean', describe: 'sign with a key other than the one that signed the repository' },
    keep: { type: 'number', describe: 'keep the newest N versions of each package; remove older ones' },
    replace: { type: 'boolean', describe: 'replace a different file already published under the same name+version+arch' },
    refresh: { type: 'boolean', describe: 'rewrite and re-sign the indexes even when nothing changed' },
    list: { type: 'boolean', describe: 'print what the repository holds; change nothing' },
    json: { type: 'boolean', describe: 'print a machine-readable result' },
    quiet: { alias: 'q', type: 'boolean', describe: 'print only errors' },
    'lock-timeout': { type: 'number', describe: 'seconds to wait for another publisher (default 120)' },
    endpoint: { type: 'string', describe: 'S3-compatible endpoint URL for s3:// targets (or $MKPKG_S3_ENDPOINT)' },
  },
};

const csv = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));

/** Run `mkpkg publish`; returns the exit code. */
export async function runPublish(f: PublishFlags): Promise<number> {
  const packages = f.packages ?? [];
  if (f.family === 'yum') {
    const apt = APT_ONLY.filter((k) => f[k] !== undefined);
    if (apt.length) throw new MkpkgError('E_USAGE', `--${apt.join(', --')} ${apt.length > 1 ? 'are' : 'is'} for apt repositories only`, { hint: 'leave it out for mkpkg publish yum' });
  }
  if (f.list && packages.length) throw new MkpkgError('E_USAGE', '--list takes no packages', { hint: 'run the listing and the publish separately' });
  if (!f.list && !packages.length && !f.refresh) {
    throw new MkpkgError('E_USAGE', `give the ${f.family === 'apt' ? '.deb' : '.rpm'} files to publish (or --list to see what ${f.target} holds, --refresh to re-sign it)`, { hint: `mkpkg publish ${f.family} ${f.target} PKG…` });
  }
  // A .deb's control.tar.xz/.zst is read through xz/zstd: find out now, while the modules load, whether they can be tied to our life with setpriv.
  if (f.family === 'apt' && packages.length) probeDeathSignal();
  // The modules this command needs, not the publish barrel (deploy and notify pull in zod and ssh2).
  const [{ openStore }, { reportLines }, apt, yum] = await Promise.all([
    import('../../publish/store/index.js'), import('../../publish/report.js'),
    f.family === 'apt' ? import('../../publish/apt/index.js') : undefined,
    f.family === 'yum' ? import('../../publish/yum/index.js') : undefined,
  ]);
  const store = openStore(f.target, { endpoint: f.endpoint });
  if (f.list) {
    try {
      const rows = apt ? await apt.listApt(store, f.suite) : await yum!.listYum(store);
      if (f.json) printJson({ location: store.location, packages: rows });
      else {
        for (const r of rows) {
          process.stdout.write('suite' in r
            ? `${r.suite}/${r.component}/${r.index}  ${r.name} ${r.version} ${r.arch}  ${r.filename}\n`
            : `${r.name} ${r.epoch ? `${r.epoch}:` : ''}${r.version}-${r.release} ${r.arch}  ${r.location}\n`);
        }
      }
      return 0;
    } finally {
      store.close?.();
    }
  }
  const common = {
    target: f.target, endpoint: f.endpoint, signKey: f['sign-key'], unsigned: f.unsigned, rotateKey: f['rotate-key'],
    keep: f.keep, replace: f.replace, refresh: f.refresh, lockTimeout: f['lock-timeout'],
  };
  const report = apt
    ? await apt.publishApt(packages, {
      ...common, suite: f.suite, component: f.component, codename: f.codename, origin: f.origin, label: f.label, description: f.description,
      version: f['release-version'], architectures: csv(f.architectures), removeArchitectures: csv(f['remove-arch']), validFor: f['valid-for'],
    }, store)
    : await yum!.publishYum(packages, common, store);
  if (f.json) printJson(report);
  else if (!f.quiet) for (const l of reportLines(report)) process.stdout.write(`${l}\n`);
  return 0;
}
