/**
 * npm package versions, ordered by node-semver (`semver.compare`, strict parsing), the library
 * that npm itself uses. Build metadata is ignored, as SemVer 2.0.0 requires; surrounding white
 * space and a leading `v` or `=` are accepted, as node-semver accepts them.
 */
import semver from 'semver';

import { invalidVersionError } from './version-error.js';
import type { Ordering } from './version-error.js';

/** Parses an npm version, throwing `VERSION_INVALID` with node-semver's error as the cause. */
export function parseSemver(value: string): semver.SemVer {
  try {
    return new semver.SemVer(value);
  } catch (error) {
    throw invalidVersionError('semver', value, 'not a valid SemVer 2.0.0 version (node-semver rejects it)', error);
  }
}

/** Returns whether node-semver parses the value in strict mode. */
export function isValidSemver(value: string): boolean {
  return semver.valid(value) !== null;
}

/** Compares two npm versions with node-semver. */
export function compareSemver(a: string, b: string): Ordering {
  return semver.compare(parseSemver(a), parseSemver(b));
}
