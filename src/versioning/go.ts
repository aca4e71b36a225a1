/**
 * Go module versions, ordered exactly as golang.org/x/mod/semver does it. OSV advisories write
 * Go versions without the `v` prefix, so the prefix is optional here and added before parsing.
 * The shorthands `v1` and `v1.2` mean `v1.0.0` and `v1.2.0`. Pseudo-versions such as
 * `v0.0.0-20191109021931-daa7c04131f5` are ordinary pre-releases, and `+incompatible` is build
 * metadata, which the comparison ignores.
 */
import { checkVersionLength, invalidVersionError, MAX_VERSION_LENGTH } from './version-error.js';
import type { Ordering } from './version-error.js';

/** A Go module version split as x/mod/semver splits it. */
export interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** The pre-release with its leading `-`, or `''`. */
  prerelease: string;
  /** The build metadata with its leading `+`, or `''`. */
  build: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentifierChar = (c: string): boolean =>
  (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '-';

/** Returns the value with a `v` prefix, the form that x/mod/semver requires. */
function withPrefix(value: string): string {
  return value.startsWith('v') ? value : `v${value}`;
}

/**
 * Parses a Go module version, with or without the `v` prefix. Returns undefined where
 * x/mod/semver's IsValid() returns false.
 */
export function parseGoVersion(value: string): GoVersion | undefined {
  if (value.length > MAX_VERSION_LENGTH) return undefined;
  const text = withPrefix(value);
  let position = 1;

  const readNumber = (): string | undefined => {
    const start = position;
    while (isDigit(text[position])) position++;
    const digits = text.slice(start, position);
    if (digits === '' || (digits.length > 1 && digits[0] === '0')) return undefined;
    return digits;
  };

  const major = readNumber();
  if (major === undefined) return undefined;
  if (position === text.length) return { major, minor: '0', patch: '0', prerelease: '', build: '' };
  if (text[position++] !== '.') return undefined;
  const minor = readNumber();
  if (minor === undefined) return undefined;
  if (position === text.length) return { major, minor, patch: '0', prerelease: '', build: '' };
  if (text[position++] !== '.') return undefined;
  const patch = readNumber();
  if (patch === undefined) return undefined;

  let prerelease = '';
  let build = '';
  if (text[position] === '-') {
    const end = text.indexOf('+', position);
    prerelease = text.slice(position, end === -1 ? text.length : end);
    if (!isValidIdentifierList(prerelease.slice(1), { rejectLeadingZeros: true })) return undefined;
    position += prerelease.length;
  }
  if (text[position] === '+') {
    build = text.slice(position);
    if (!isValidIdentifierList(build.slice(1), { rejectLeadingZeros: false })) return undefined;
    position += build.length;
  }
  if (position !== text.length) return undefined;
  return { major, minor, patch, prerelease, build };
}

/**
 * Checks dot-separated identifiers of `[0-9A-Za-z-]`, none empty. In a pre-release, a numeric
 * identifier must not have a leading zero.
 */
function isValidIdentifierList(text: string, options: { rejectLeadingZeros: boolean }): boolean {
  for (const identifier of text.split('.')) {
    if (identifier === '') return false;
    for (const c of identifier) {
      if (!isIdentifierChar(c)) return false;
    }
    if (options.rejectLeadingZeros && /^0[0-9]+$/.test(identifier)) return false;
  }
  return true;
}

/** Returns whether the value is a valid Go module version, with or without the `v` prefix. */
export function isValidGoVersion(value: string): boolean {
  return parseGoVersion(value) !== undefined;
}

/**
 * Compares two Go module versions as semver.Compare() does. Throws `VERSION_INVALID` for an
 * invalid version, where x/mod/semver would silently sort it below every valid one.
 */
export function compareGoVersions(a: string, b: string): Ordering {
  const left = parseStrict(a);
  const right = parseStrict(b);
  return (
    compareNumbers(left.major, right.major) ||
    compareNumbers(left.minor, right.minor) ||
    compareNumbers(left.patch, right.patch) ||
    comparePrereleases(left.prerelease, right.prerelease)
  );
}

function parseStrict(value: string): GoVersion {
  checkVersionLength('go', value);
  const parsed = parseGoVersion(value);
  if (parsed === undefined) {
    throw invalidVersionError('go', value, 'not a valid Go module version (vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]])');
  }
  return parsed;
}

/** Compares decimal strings without leading zeros: the longer one is greater. */
function compareNumbers(x: string, y: string): Ordering {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

/** Compares pre-releases by SemVer precedence; no pre-release sorts above any pre-release. */
function comparePrereleases(x: string, y: string): Ordering {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const dx = xs[i]!;
    const dy = ys[i]!;
    if (dx === dy) continue;
    const xNumeric = /^[0-9]+$/.test(dx);
    const yNumeric = /^[0-9]+$/.test(dy);
    if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
    if (xNumeric) return compareNumbers(dx, dy);
    return dx < dy ? -1 : 1;
  }
  return xs.length < ys.length ? -1 : 1;
}
