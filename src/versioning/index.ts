/**
 * Version schemes: one comparison per package ecosystem, each exact to its reference tool. The
 * vulnerability matcher compares installed versions with OSV `introduced`, `fixed` and
 * `last_affected` values through `compareVersions`. The matcher handles the OSV sentinel
 * `introduced: "0"` itself, because `0` is not a valid version in every scheme.
 */
import { compareApkVersions, isValidApkVersion } from './apk.js';
import { compareComposerVersions, isValidComposerVersion } from './composer.js';
import { compareDpkgVersions, isValidDpkgVersion } from './dpkg.js';
import { compareGoVersions, isValidGoVersion } from './go.js';
import { compareMavenVersions, isValidMavenVersion } from './maven.js';
import { comparePep440, isValidPep440 } from './pep440.js';
import { compareRpmVersions, isValidRpmVersion } from './rpm.js';
import { compareRubyGemsVersions, isValidRubyGemsVersion } from './rubygems.js';
import { compareSemver, isValidSemver } from './semver.js';
import type { Ordering } from './version-error.js';

/**
 * A version scheme: `dpkg` (Debian, Ubuntu), `apk` (Alpine), `rpm` (Red Hat, SUSE and others),
 * `semver` (npm), `pep440` (PyPI), `go` (Go modules), `maven` (Java archives), `rubygems`
 * (RubyGems) and `composer` (Packagist).
 */
export type VersionScheme = 'dpkg' | 'apk' | 'rpm' | 'semver' | 'pep440' | 'go' | 'maven' | 'rubygems' | 'composer';

/** Every version scheme, in a fixed order. */
export const VERSION_SCHEMES: readonly VersionScheme[] = ['dpkg', 'apk', 'rpm', 'semver', 'pep440', 'go', 'maven', 'rubygems', 'composer'];

interface SchemeFunctions {
  compare(a: string, b: string): Ordering;
  isValid(value: string): boolean;
}

const SCHEMES: Readonly<Record<VersionScheme, SchemeFunctions>> = {
  dpkg: { compare: compareDpkgVersions, isValid: isValidDpkgVersion },
  apk: { compare: compareApkVersions, isValid: isValidApkVersion },
  rpm: { compare: compareRpmVersions, isValid: isValidRpmVersion },
  semver: { compare: compareSemver, isValid: isValidSemver },
  pep440: { compare: comparePep440, isValid: isValidPep440 },
  go: { compare: compareGoVersions, isValid: isValidGoVersion },
  maven: { compare: compareMavenVersions, isValid: isValidMavenVersion },
  rubygems: { compare: compareRubyGemsVersions, isValid: isValidRubyGemsVersion },
  composer: { compare: compareComposerVersions, isValid: isValidComposerVersion },
};

/**
 * Compares two versions of one scheme: -1 when `a` sorts before `b`, 0 when they are equal in
 * that scheme (such as `1.0` and `1.0-0` in dpkg), 1 when `a` sorts after `b`.
 *
 * Throws a BulwarkError with code `VERSION_INVALID`, naming the scheme and the value, when either
 * version is one that the scheme's reference tool rejects. apk and Maven compare nearly any
 * string, as apk-tools and ComparableVersion do, so they reject only over-long values. Composer
 * also rejects branches such as `dev-main`, which have no order.
 */
export function compareVersions(scheme: VersionScheme, a: string, b: string): Ordering {
  return SCHEMES[scheme].compare(a, b);
}

/** Returns whether `compareVersions(scheme, …)` accepts the value. */
export function isValidVersion(scheme: VersionScheme, value: string): boolean {
  return SCHEMES[scheme].isValid(value);
}

export type { Ordering } from './version-error.js';
export { MAX_VERSION_LENGTH } from './version-error.js';
export { parseDpkgVersion } from './dpkg.js';
export type { DpkgVersion } from './dpkg.js';
export { isWellFormedApkVersion } from './apk.js';
export { parseRpmVersion, rpmvercmp } from './rpm.js';
export type { RpmVersion } from './rpm.js';
export { parsePep440, normalizePep440 } from './pep440.js';
export type { Pep440Version, Pep440Segment } from './pep440.js';
export { parseGoVersion } from './go.js';
export { normalizeComposerVersion } from './composer.js';
export type { GoVersion } from './go.js';
