/** The package formats by name. */
import { debFormat } from './deb/index.js';
import type { Format } from './format.js';
import { rpmFormat } from './rpm/index.js';
import type { FormatName, PackageTarget, Target } from './types.js';

const FORMATS: { readonly [K in FormatName]: Format<K> } = { deb: debFormat, rpm: rpmFormat };

/** The format named `name`. */
export function formatOf<K extends FormatName>(name: K): Format<K> {
  return FORMATS[name];
}

/** The format of `target`, typed for it (a Target's `format` always names the format its meta and scripts belong to). */
export function targetFormat<K extends FormatName>(target: PackageTarget<K>): Format<K> {
  return FORMATS[target.format];
}

/** A target built by generic code for one format, seen as the union the pipeline carries. */
export function asTarget<K extends FormatName>(target: PackageTarget<K>): Target {
  return target as unknown as Target;
}
