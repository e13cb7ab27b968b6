/** Version handling: semver → Debian/RPM mapping, parsing, validation and comparison. */
export { mapSemver, parseSemver, isPortableSemver, type MappedVersion } from './semver.js';
export { rpmOrderDiffersFromSemver, debianOrderDiffersFromSemver } from './order.js';
export {
  parseDebianVersion,
  formatDebianVersion,
  compareDebianVersions,
  type DebianVersion,
  type DebianVersionParts,
} from './debian.js';
export { compareRpmVersions, compareEVR, parseEVR, formatEVR, validateRpmVersionPart, type RpmEVR } from './rpm.js';
