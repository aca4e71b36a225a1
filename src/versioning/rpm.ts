/**
 * RPM versions, `[epoch:]version[-release]`, parsed and ordered as rpm 4.18 does it. parseEVR()
 * splits the string, rpmvercmp() compares each part, and a missing epoch counts as 0. The tests
 * compare the results with the rpm library's own `rpm.ver` objects from Debian's python3-rpm.
 */
import { checkVersionLength, invalidVersionError, MAX_VERSION_LENGTH } from './version-error.js';
import type { Ordering } from './version-error.js';

/** An RPM version split into epoch, version and release, as parseEVR() splits it. */
export interface RpmVersion {
  /** The epoch digits, `'0'` for an empty epoch (`:1.0`), or undefined when there is no colon. */
  epoch: string | undefined;
  version: string;
  /** The text after the last hyphen, or undefined when there is none. */
  release: string | undefined;
}

/**
 * Splits an RPM version. The epoch is a run of digits before a colon at the start; the release
 * is whatever follows the last hyphen. Throws `VERSION_INVALID` for an empty string (which rpm
 * rejects too) and for a NUL character, which rpm's C strings cannot contain.
 */
export function parseRpmVersion(value: string): RpmVersion {
  checkVersionLength('rpm', value);
  if (value === '') throw invalidVersionError('rpm', value, 'the version is empty');
  if (value.includes('\0')) throw invalidVersionError('rpm', value, 'contains a NUL character');

  let digitsEnd = 0;
  while (digitsEnd < value.length && isDigit(value[digitsEnd]!)) digitsEnd++;
  let epoch: string | undefined;
  let rest = value;
  if (value[digitsEnd] === ':') {
    epoch = digitsEnd === 0 ? '0' : value.slice(0, digitsEnd);
    rest = value.slice(digitsEnd + 1);
  }

  const hyphen = rest.lastIndexOf('-');
  if (hyphen === -1) return { epoch, version: rest, release: undefined };
  return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}

/** Returns whether rpm accepts the value as a version: any non-empty string without NUL. */
export function isValidRpmVersion(value: string): boolean {
  return value !== '' && !value.includes('\0') && value.length <= MAX_VERSION_LENGTH;
}

/**
 * Compares two RPM versions by epoch, version and release. When only one side has a release,
 * that side is greater (`1.0-1` > `1.0`), as rpm's `rpm.ver` comparison and labelCompare() do.
 */
export function compareRpmVersions(a: string, b: string): Ordering {
  const left = parseRpmVersion(a);
  const right = parseRpmVersion(b);
  const epoch = rpmvercmp(left.epoch ?? '0', right.epoch ?? '0');
  if (epoch !== 0) return epoch;
  const version = rpmvercmp(left.version, right.version);
  if (version !== 0) return version;
  if (left.release === undefined || right.release === undefined) {
    if (left.release === right.release) return 0;
    return left.release === undefined ? -1 : 1;
  }
  return rpmvercmp(left.release, right.release);
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSeparator = (c: string | undefined): boolean => c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';

/**
 * Compares two version or release strings as rpm's rpmvercmp() does. Each side is split into
 * runs of ASCII digits and ASCII letters; every other character only separates runs. `~` sorts
 * before anything, even the end of the string; `^` sorts after the end but before anything else.
 * A number beats letters, numbers compare by value, letters compare bytewise.
 */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;

    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a[i]);
    const accept = numeric ? isDigit : isAlpha;
    const aEnd = runEnd(a, i, accept);
    const bEnd = runEnd(b, j, accept);
    // The run on the right side is empty when the two runs are of different types: a number
    // is newer than letters.
    if (bEnd === j) return numeric ? 1 : -1;

    let aRun = a.slice(i, aEnd);
    let bRun = b.slice(j, bEnd);
    if (numeric) {
      aRun = aRun.replace(/^0+/, '');
      bRun = bRun.replace(/^0+/, '');
      if (aRun.length !== bRun.length) return aRun.length > bRun.length ? 1 : -1;
    }
    if (aRun !== bRun) return aRun < bRun ? -1 : 1;
    i = aEnd;
    j = bEnd;
  }

  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function runEnd(text: string, start: number, accept: (c: string | undefined) => boolean): number {
  let end = start;
  while (end < text.length && accept(text[end])) end++;
  return end;
}
