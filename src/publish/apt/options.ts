/** Options of the apt publisher (the `mkpkg publish apt` flags and `aptRepository()`), checked before anything is read or written. */
import { checkRunOptions } from '../pool.js';
import { archLiteral, dateLiteral, durationLiteral, literal, nameLiteral, RELEASE_VERSION, textLiteral } from '../literal.js';

/** Options of {@link publishApt}. */
export interface AptPublishOptions {
  /** A directory (relative: to the current directory) or `s3://BUCKET/PREFIX`. */
  target: string;
  /** S3-compatible endpoint for s3:// targets (default: env MKPKG_S3_ENDPOINT, else AWS). */
  endpoint?: string;
  /** Default `stable`. One repository holds any number of suites (`dists/<suite>`, one shared `pool/`). */
  suite?: string;
  /** Default: the suite's current Codename, else the suite. Never change it (nor Origin/Label) once clients use the repository. */
  codename?: string;
  /** Default `main`. */
  component?: string;
  origin?: string;
  label?: string;
  description?: string;
  /** The Release `Version` field. */
  version?: string;
  /**
   * Architectures the suite lists, added to those it lists already (they only grow). A new suite
   * without this lists the architectures of its packages (`amd64 arm64` when all are arch `all`).
   */
  architectures?: string[];
  /** Architectures to drop from the suite on purpose (their indexes are removed). */
  removeArchitectures?: string[];
  /** An armored OpenPGP private key, or the path of a file holding one. */
  signKey?: string;
  /** The key's passphrase (default: env MKPKG_SIGN_PASSPHRASE). */
  passphrase?: string;
  /** Publish without a key even though the suite is signed (its signatures are removed). */
  unsigned?: boolean;
  /** Sign with another key than the one that signed the suite. */
  rotateKey?: boolean;
  /** The Release `Date` (default: now). */
  date?: Date | string;
  /** Write `Valid-Until` this long after Date (seconds, or `12h`, `7d`); default: the suite's current interval, if any. */
  validFor?: number | string;
  /** Keep the newest N versions of each package (by dpkg order) in the component; older ones leave the indexes and the pool. */
  keep?: number;
  /** Replace a different file already published under the same name+version+arch. */
  replace?: boolean;
  /** Rewrite and re-sign Release even when nothing else changed (new Date and Valid-Until). */
  refresh?: boolean;
  /** Seconds to wait for another publisher's lock (default 120). */
  lockTimeout?: number;
}

/** The options after checking, with defaults. */
export interface CheckedAptOptions extends AptPublishOptions {
  suite: string;
  component: string;
  date: Date;
  validFor?: number;
}

export function checkAptOptions(o: AptPublishOptions): CheckedAptOptions {
  const suite = nameLiteral('suite', o.suite ?? 'stable');
  const component = nameLiteral('component', o.component ?? 'main');
  if (o.codename !== undefined) nameLiteral('codename', o.codename);
  for (const [k, v] of [['origin', o.origin], ['label', o.label], ['description', o.description]] as const) if (v !== undefined) textLiteral(k, v);
  if (o.version !== undefined) literal('version', o.version, RELEASE_VERSION, 'letters, digits, ".", "+", "~" and "-"');
  for (const a of o.architectures ?? []) archLiteral('architectures', a);
  for (const a of o.removeArchitectures ?? []) archLiteral('removeArchitectures', a);
  checkRunOptions(o);
  return {
    ...o, suite, component,
    date: o.date === undefined ? new Date() : dateLiteral('date', o.date),
    validFor: o.validFor === undefined ? undefined : durationLiteral('validFor', o.validFor),
  };
}
