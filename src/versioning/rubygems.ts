/**
 * RubyGems versions, ordered exactly as Gem::Version#<=> does it (RubyGems 3.3). A version is a
 * run of segments: numbers, and letter strings that make it a pre-release. A string segment sorts
 * before any number, so `1.0.a` < `1.0`. Trailing zero segments do not count (`1.0` == `1.0.0`),
 * and neither do zeros just before the first string segment (`1.0.a` == `1.a`). A `-` means
 * `.pre.`, so `1.0-rc1` == `1.0.pre.rc1`.
 */
import { checkVersionLength, invalidVersionError, MAX_VERSION_LENGTH } from './version-error.js';
import type { Ordering } from './version-error.js';

/** A segment: a number as a decimal string without leading zeros, or a letter string. */
type Segment = { kind: 'number'; digits: string } | { kind: 'string'; text: string };

// Gem::Version::ANCHORED_VERSION_PATTERN without its surrounding whitespace, which stripValid()
// removes first.
// The dot-led and dash-led groups cannot overlap, so matching takes linear time.
const VERSION_PATTERN = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

// Ruby's `\s`: space, tab, line feed, vertical tab, form feed and carriage return.
const RUBY_WHITESPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/** Returns the version without surrounding whitespace, or undefined when Gem::Version rejects it. */
function stripValid(value: string): string | undefined {
  const stripped = value.replace(RUBY_WHITESPACE, '');
  if (stripped === '') return '0';
  return VERSION_PATTERN.test(stripped) ? stripped : undefined;
}

/** Returns whether Gem::Version.correct? accepts the value. Empty and blank values mean `0`. */
export function isValidRubyGemsVersion(value: string): boolean {
  return value.length <= MAX_VERSION_LENGTH && stripValid(value) !== undefined;
}

/**
 * Splits a version into Gem::Version#canonical_segments: the segments before the first string
 * and the segments from it on, each without trailing zeros, joined.
 */
function canonicalSegments(version: string): Segment[] {
  const segments: Segment[] = [];
  for (const run of version.replaceAll('-', '.pre.').match(/[0-9]+|[a-zA-Z]+/g) ?? []) {
    const numeric = run[0]! >= '0' && run[0]! <= '9';
    segments.push(numeric ? { kind: 'number', digits: run.replace(/^0+(?=.)/, '') } : { kind: 'string', text: run });
  }
  const stringStart = segments.findIndex((segment) => segment.kind === 'string');
  const split = stringStart < 0 ? segments.length : stringStart;
  return [...withoutTrailingZeros(segments.slice(0, split)), ...withoutTrailingZeros(segments.slice(split))];
}

function withoutTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1]!)) end--;
  return segments.slice(0, end);
}

const isZero = (segment: Segment): boolean => segment.kind === 'number' && segment.digits === '0';

const ZERO: Segment = { kind: 'number', digits: '0' };

/**
 * Compares two RubyGems versions as `Gem::Version.new(a) <=> Gem::Version.new(b)` does. Throws
 * `VERSION_INVALID` for a value that Gem::Version.new rejects or that is longer than
 * MAX_VERSION_LENGTH.
 */
export function compareRubyGemsVersions(a: string, b: string): Ordering {
  const left = canonicalSegments(parseStrict(a));
  const right = canonicalSegments(parseStrict(b));
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const order = compareSegments(left[i] ?? ZERO, right[i] ?? ZERO);
    if (order !== 0) return order;
  }
  return 0;
}

function parseStrict(value: string): string {
  checkVersionLength('rubygems', value);
  const stripped = stripValid(value);
  if (stripped === undefined) {
    throw invalidVersionError('rubygems', value, 'not a valid Gem::Version (digits, then segments of letters and digits separated by . or -)');
  }
  return stripped;
}

/** Compares segments: a string sorts before a number, strings compare bytewise, numbers by value. */
function compareSegments(x: Segment, y: Segment): Ordering {
  if (x.kind === 'string' && y.kind === 'string') {
    if (x.text === y.text) return 0;
    return x.text < y.text ? -1 : 1;
  }
  if (x.kind === 'string') return -1;
  if (y.kind === 'string') return 1;
  if (x.digits === y.digits) return 0;
  if (x.digits.length !== y.digits.length) return x.digits.length < y.digits.length ? -1 : 1;
  return x.digits < y.digits ? -1 : 1;
}
