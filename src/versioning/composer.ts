/**
 * Composer (Packagist) versions, ordered as composer/semver 3.x does it: VersionParser::normalize()
 * turns `v1.2`, `1.2-beta.1` or `1.0.0RC1dev` into a four-part form such as `1.2.0.0-beta1`, and
 * PHP's version_compare() orders the normalized forms. Stabilities sort dev < alpha < beta < RC <
 * stable < patch, and a `-dev` suffix sorts before the version it is attached to.
 *
 * Branches (`dev-main`, `dev-feature/x`) have no order, so comparing one throws `VERSION_INVALID`.
 * Numeric branches such as `1.x-dev` normalize to `1.9999999.9999999.9999999-dev` and compare.
 */
import { checkVersionLength, invalidVersionError, MAX_VERSION_LENGTH, sign } from './version-error.js';
import type { Ordering } from './version-error.js';

// PHP's trim() removes space, tab, line feed, carriage return, NUL and vertical tab.
const PHP_TRIM = /^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g;

// The patterns of VersionParser::normalize(), with PCRE's meaning kept: `\s` is ASCII white
// space only, and `$` also matches before a final line feed. JavaScript has no possessive
// quantifiers, so the stability number `((?:[.-]?\d+)*+)` becomes an atomic group
// `(?=(...))\k<...>`, which keeps matching linear. The other possessive parts cannot backtrack
// into their neighbours anyway.
const SPACE = String.raw`\t\n\v\f\r `;
const END = String.raw`(?=\n?$)`;
const ALIAS = new RegExp(String.raw`^([^,${SPACE}]+) +as +[^,${SPACE}]+${END}`);
const STABILITY_FLAG = new RegExp(String.raw`@(?:stable|RC|beta|alpha|dev)${END}`, 'i');
const BUILD_METADATA = new RegExp(String.raw`^([^,${SPACE}+]+)\+[^${SPACE}]+${END}`);
const MODIFIER = String.raw`[._-]?(?:(?<stability>stable|beta|b|RC|alpha|a|patch|pl|p)(?=(?<numberAhead>(?:[.-]?\d+)*))\k<numberAhead>)?(?<dev>[.-]?dev)?${END}`;
const CLASSICAL = new RegExp(String.raw`^v?(?<major>\d{1,5})(?<minor>\.\d+)?(?<patch>\.\d+)?(?<fourth>\.\d+)?` + MODIFIER, 'i');
const DATE = new RegExp(String.raw`^v?(?<date>\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})` + MODIFIER, 'i');
const NUMERIC_BRANCH = new RegExp(String.raw`^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?${END}`, 'i');

/** The result of normalize(): a version that version_compare() can order, or a branch. */
type Normalized = { kind: 'version'; text: string } | { kind: 'branch'; text: string };

/**
 * Normalizes a Composer version as VersionParser::normalize() does. Returns undefined where
 * normalize() throws UnexpectedValueException.
 */
export function normalizeComposerVersion(value: string): string | undefined {
  return normalize(value)?.text;
}

function normalize(value: string): Normalized | undefined {
  let version = value.replace(PHP_TRIM, '');

  const alias = ALIAS.exec(version);
  if (alias) version = alias[1]!;
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (/^dev-/i.test(version)) return { kind: 'branch', text: `dev-${version.slice(4)}` };
  const metadata = BUILD_METADATA.exec(version);
  if (metadata) version = metadata[1]!;

  const classical = CLASSICAL.exec(version);
  if (classical) {
    const { major, minor, patch, fourth } = classical.groups!;
    return withModifiers(`${major}${minor ?? '.0'}${patch ?? '.0'}${fourth ?? '.0'}`, classical.groups!);
  }
  const date = DATE.exec(version);
  if (date) return withModifiers(date.groups!['date']!.replace(/\D/g, '.'), date.groups!);

  return normalizeDevSuffix(version);
}

/** Appends the stability and the `-dev` suffix that the classical and date patterns matched. */
function withModifiers(base: string, groups: Record<string, string | undefined>): Normalized {
  let text = base;
  const stability = groups['stability'];
  if (stability !== undefined) {
    // normalize() compares with 'stable' case-sensitively, so `STABLE` keeps a `-stable` suffix.
    if (stability === 'stable') return { kind: 'version', text };
    text += `-${expandStability(stability)}${(groups['numberAhead'] ?? '').replace(/^[.-]+/, '')}`;
  }
  if (groups['dev'] !== undefined) text += '-dev';
  return { kind: 'version', text };
}

function expandStability(stability: string): string {
  const lower = stability.toLowerCase();
  switch (lower) {
    case 'a':
      return 'alpha';
    case 'b':
      return 'beta';
    case 'p':
    case 'pl':
      return 'patch';
    case 'rc':
      return 'RC';
    default:
      return lower;
  }
}

/**
 * Normalizes a numeric branch with a dev suffix (`1.x-dev`, `2.1.dev`) as normalize() does through
 * normalizeBranch(). Returns undefined for any other value, which normalize() rejects.
 */
function normalizeDevSuffix(version: string): Normalized | undefined {
  const text = version.endsWith('\n') ? version.slice(0, -1) : version;
  if (!/dev$/i.test(text)) return undefined;
  let end = text.length - 3;
  if (end > 0 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
  // normalize() matches `(.*?)[.-]?dev$` without `^`, and `.` stops at a line feed, so the branch
  // name starts after the last line feed.
  const name = text.slice(text.lastIndexOf('\n', end - 1) + 1, end).replace(PHP_TRIM, '');
  const match = NUMERIC_BRANCH.exec(name);
  if (!match) return undefined;
  let branch = '';
  for (let i = 1; i < 5; i++) branch += match[i] === undefined ? '.x' : match[i]!.replace(/[*X]/g, 'x');
  return { kind: 'version', text: `${branch.replaceAll('x', '9999999')}-dev` };
}

/** Returns whether the value normalizes to a version that Bulwark can compare, not a branch. */
export function isValidComposerVersion(value: string): boolean {
  return value.length <= MAX_VERSION_LENGTH && normalize(value)?.kind === 'version';
}

/**
 * Compares two Composer versions: version_compare() on their normalized forms. Throws
 * `VERSION_INVALID` for a value that normalize() rejects, for a branch and for a value longer
 * than MAX_VERSION_LENGTH.
 */
export function compareComposerVersions(a: string, b: string): Ordering {
  return phpVersionCompare(normalizeStrict(a), normalizeStrict(b));
}

function normalizeStrict(value: string): string {
  checkVersionLength('composer', value);
  const normalized = normalize(value);
  if (normalized === undefined) {
    throw invalidVersionError('composer', value, 'not a valid Composer version (such as 1.2.3, v1.2.3, 1.2.3-beta1 or 1.2.x-dev)');
  }
  if (normalized.kind === 'branch') {
    throw invalidVersionError('composer', value, `the branch ${normalized.text} has no version order`);
  }
  return normalized.text;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlphanumeric = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/**
 * Rewrites a version as php_canonicalize_version() in PHP's ext/standard/versioning.c does:
 * `-`, `_` and `+` become one `.`, a `.` goes between a digit and a non-digit, and other
 * non-alphanumeric characters become one `.` unless they follow a digit.
 */
function canonicalize(version: string): string {
  if (version === '') return '';
  let output = version[0]!;
  let previous = version[0]!;
  for (const c of version.slice(1)) {
    const last = output[output.length - 1];
    const digitChange = previous !== '.' && c !== '.' && isDigit(previous) !== isDigit(c);
    if (c === '-' || c === '_' || c === '+') {
      if (last !== '.') output += '.';
    } else if (digitChange) {
      // PHP checks this before it drops other non-alphanumeric characters, so `1#` keeps the `#`.
      if (last !== '.') output += '.';
      output += c;
    } else if (!isAlphanumeric(c)) {
      if (last !== '.') output += '.';
    } else {
      output += c;
    }
    previous = c;
  }
  return output;
}

// The order of version_compare()'s special forms. A form matches when the part starts with it,
// so `patch` is `p`. A part that matches none sorts before all of them.
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialFormOrder(part: string): number {
  for (const [name, order] of SPECIAL_FORMS) {
    if (part.startsWith(name)) return order;
  }
  return -1;
}

const NUMBER_FORM = '#N#';
const LONG_MAX = 2n ** 63n - 1n;

/** Parses the leading digits of a part as strtol() does on 64-bit Linux, saturating at LONG_MAX. */
function strtol(part: string): bigint {
  const digits = /^\d*/.exec(part)![0];
  const value = digits === '' ? 0n : BigInt(digits);
  return value > LONG_MAX ? LONG_MAX : value;
}

/** Compares two versions exactly as PHP 8's version_compare($a, $b) does. */
export function phpVersionCompare(a: string, b: string): Ordering {
  if (a === '' || b === '') {
    if (a === b) return 0;
    return a === '' ? -1 : 1;
  }
  const left = a[0] === '#' ? a : canonicalize(a);
  const right = b[0] === '#' ? b : canonicalize(b);

  // Mirrors the C loop: p1/p2 are the start of the current part and n1/n2 the index of the `.`
  // after it, or -1 when the current part is the last.
  let p1 = 0;
  let p2 = 0;
  let n1 = 0;
  let n2 = 0;
  let compare: Ordering = 0;
  while (p1 < left.length && p2 < right.length && n1 >= 0 && n2 >= 0) {
    n1 = left.indexOf('.', p1);
    n2 = right.indexOf('.', p2);
    const part1 = left.slice(p1, n1 < 0 ? undefined : n1);
    const part2 = right.slice(p2, n2 < 0 ? undefined : n2);
    compare = comparePart(part1, part2);
    if (compare !== 0) break;
    if (n1 >= 0) p1 = n1 + 1;
    if (n2 >= 0) p2 = n2 + 1;
  }
  if (compare !== 0) return compare;
  if (n1 >= 0) return isDigit(left[p1]) ? 1 : phpVersionCompare(left.slice(p1), NUMBER_FORM);
  if (n2 >= 0) return isDigit(right[p2]) ? -1 : phpVersionCompare(NUMBER_FORM, right.slice(p2));
  return 0;
}

function comparePart(part1: string, part2: string): Ordering {
  const digit1 = isDigit(part1[0]);
  const digit2 = isDigit(part2[0]);
  if (digit1 && digit2) return sign(strtol(part1) - strtol(part2));
  return sign(specialFormOrder(digit1 ? NUMBER_FORM : part1) - specialFormOrder(digit2 ? NUMBER_FORM : part2));
}
