/** The semver versions the order tests run over, every pair against dpkg and rpm. */

const CORES = ['0.0.1', '0.1.0', '0.10.0', '1.0.0', '1.0.1', '1.1.0', '1.10.0', '2.0.0', '10.0.0'];

/** Prereleases of 1.0.0: numeric, alphabetic, dotted, mixed, hyphenated. */
const PRERELEASES_1 = [
  '0', '1', '2', '10', '0.0.1', '1.alpha', '2.alpha',
  'alpha', 'alpha.0', 'alpha.1', 'alpha.2', 'alpha.10', 'alpha.1.2', 'alpha.beta', 'alpha.beta.1', 'alphabeta', 'alphab',
  'beta', 'beta.2', 'beta.11', 'beta.alpha', 'RC', 'RC.1', 'rc', 'rc.1', 'rc.2', 'rc.10', 'rc.rc', 'a.b.c', 'a', 'b',
  'x', 'x.y', 'x-y', 'x-y.1', 'x-z', 'rc-1', 'rc1', 'rc2', 'rc10', 'beta2', 'beta10', '0a', '1a', '--', 'a-', 'alpha.1-a',
];

/** Prereleases of other cores. */
const PRERELEASES_OTHER: Record<string, string[]> = {
  '0.0.1': ['alpha', '1'],
  '1.1.0': ['rc.1', 'beta'],
  '2.0.0': ['alpha', 'alpha.1', 'beta.1', 'rc.1', 'rc.10', '0'],
};

/** Versions with build metadata: semver ignores it, the mapping drops it. */
const WITH_BUILD = ['1.0.0+build.1', '1.0.0-rc.1+exp.sha.5114f85', '2.0.0+20240101'];

/** At least 60 semver versions, deduplicated, in a fixed order. */
export function semverCorpus(): string[] {
  const all = [
    ...CORES,
    ...PRERELEASES_1.map((p) => `1.0.0-${p}`),
    ...Object.entries(PRERELEASES_OTHER).flatMap(([core, ps]) => ps.map((p) => `${core}-${p}`)),
    ...WITH_BUILD,
  ];
  return [...new Set(all)];
}

/** Versions that also get a Debian/RPM epoch in the order tests. */
export const EPOCH_VERSIONS: ReadonlyArray<readonly [number, string]> = [
  [1, '0.0.1'],
  [1, '1.0.0-rc.1'],
  [1, '1.0.0'],
  [1, '1.0.0-alpha.beta'],
  [2, '0.1.0'],
  [2, '1.0.0-1'],
  [10, '0.0.1-alpha'],
];
