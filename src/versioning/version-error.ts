import { BulwarkError } from '../errors.js';

/** The result of a version comparison: negative, equal or positive, as a sign. */
export type Ordering = -1 | 0 | 1;

/**
 * The maximum length in UTF-16 code units that Bulwark accepts for a dpkg, apk, rpm, PEP 440,
 * Go, RubyGems or Composer version. Real versions stay far below it. The cap bounds the work done
 * on hostile input; node-semver and Maven's ComparableVersion enforce their own 256-character caps.
 * NOTE: dpkg, apk-tools, rpm, packaging, x/mod/semver, Gem::Version and composer/semver have no
 * cap, so they accept longer versions that Bulwark rejects.
 */
export const MAX_VERSION_LENGTH = 1024;

/** Maximum number of characters of an invalid value that an error message quotes. */
const MAX_QUOTED_LENGTH = 120;

/**
 * Returns the `VERSION_INVALID` error for a value that a scheme rejects. The message names the
 * scheme, quotes the value (shortened when long) and gives the reason.
 */
export function invalidVersionError(scheme: string, value: string, reason: string, cause?: unknown): BulwarkError {
  const quoted = value.length > MAX_QUOTED_LENGTH ? `${JSON.stringify(value.slice(0, MAX_QUOTED_LENGTH))}...` : JSON.stringify(value);
  const message = `invalid ${scheme} version ${quoted}: ${reason}`;
  return new BulwarkError('VERSION_INVALID', message, cause === undefined ? {} : { cause });
}

/** Throws `VERSION_INVALID` when the value is longer than `maxLength`. */
export function checkVersionLength(scheme: string, value: string, maxLength: number = MAX_VERSION_LENGTH): void {
  if (value.length > maxLength) {
    throw invalidVersionError(scheme, value, `longer than the maximum of ${maxLength} characters`);
  }
}

/** Returns the sign of a number or bigint as an `Ordering`. */
export function sign(value: number | bigint): Ordering {
  if (value > 0) return 1;
  if (value < 0) return -1;
  return 0;
}
