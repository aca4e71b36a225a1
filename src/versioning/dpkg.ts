/**
 * Debian package versions, `[epoch:]upstream_version[-debian_revision]`, parsed and ordered
 * exactly as dpkg 1.21 does it (`parseversion` in lib/dpkg/parsehelp.c and `verrevcmp` in
 * lib/dpkg/version.c). The tests compare the results with the real `dpkg --compare-versions`.
 */
import { checkVersionLength, invalidVersionError, sign } from './version-error.js';
import type { Ordering } from './version-error.js';

/** A parsed Debian version. */
export interface DpkgVersion {
  epoch: number;
  upstream: string;
  /** The Debian revision, or `''` when the version has none (which sorts like `0`). */
  revision: string;
  /**
   * The syntax problem that dpkg reports only as a warning, such as a version that does not start
   * with a digit. `dpkg --compare-versions` still compares such versions, and so does Bulwark.
   */
  warning: string | undefined;
}

/** The largest epoch that dpkg accepts (INT_MAX). */
const MAX_EPOCH = 2147483647;

const isBlank = (c: string): boolean => c === ' ' || c === '\t';
const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/**
 * Parses a Debian version. Throws `VERSION_INVALID` where dpkg reports an error, such as an empty
 * or non-numeric epoch, an empty revision or embedded spaces. Syntax that dpkg only warns about
 * is returned in `warning`. Leading and trailing blanks are ignored, as dpkg ignores them.
 */
export function parseDpkgVersion(value: string): DpkgVersion {
  checkVersionLength('dpkg', value);
  const fail = (reason: string): never => {
    throw invalidVersionError('dpkg', value, reason);
  };
  if (value.includes('\0')) fail('contains a NUL character');

  let start = 0;
  while (start < value.length && isBlank(value[start]!)) start++;
  if (start === value.length) fail('version string is empty');
  let end = start;
  while (end < value.length && !isBlank(value[end]!)) end++;
  for (let i = end; i < value.length; i++) {
    if (!isBlank(value[i]!)) fail('version string has embedded spaces');
  }

  // The epoch is read with strtol(), which also skips leading white space and takes a sign.
  let epoch = 0;
  const colon = value.indexOf(':', start);
  if (colon !== -1 && colon < end) {
    let i = start;
    while (i < end && isSpace(value[i]!)) i++;
    const negative = value[i] === '-';
    if (value[i] === '+' || value[i] === '-') i++;
    const digitsStart = i;
    while (i < end && isDigit(value[i]!)) i++;
    if (i === digitsStart) fail('epoch in version is empty');
    if (i !== colon) fail('epoch in version is not number');
    const magnitude = BigInt(value.slice(digitsStart, i));
    if (negative && magnitude !== 0n) fail('epoch in version is negative');
    if (magnitude > BigInt(MAX_EPOCH)) fail('epoch in version is too big');
    if (colon + 1 === end) fail('nothing after colon in version number');
    epoch = Number(magnitude);
    start = colon + 1;
  }

  let upstream = value.slice(start, end);
  let revision = '';
  const hyphen = upstream.lastIndexOf('-');
  if (hyphen !== -1) {
    revision = upstream.slice(hyphen + 1);
    upstream = upstream.slice(0, hyphen);
    if (revision === '') fail('revision number is empty');
  }
  if (upstream === '') fail('upstream version is empty');

  return { epoch, upstream, revision, warning: findWarning(upstream, revision) };
}

/** Returns dpkg's first warning-level syntax problem, or undefined. */
function findWarning(upstream: string, revision: string): string | undefined {
  if (!isDigit(upstream[0]!)) return 'version number does not start with digit';
  for (const c of upstream.slice(1)) {
    if (!isDigit(c) && !isAlpha(c) && !'.-+~:'.includes(c)) return 'invalid character in version number';
  }
  for (const c of revision) {
    if (!isDigit(c) && !isAlpha(c) && !'.+~'.includes(c)) return 'invalid character in revision number';
  }
  return undefined;
}

/** Returns whether `dpkg --compare-versions` accepts the value (possibly with a warning). */
export function isValidDpkgVersion(value: string): boolean {
  try {
    parseDpkgVersion(value);
    return true;
  } catch {
    return false;
  }
}

/** Compares two Debian versions by epoch, upstream version and revision. */
export function compareDpkgVersions(a: string, b: string): Ordering {
  const left = parseDpkgVersion(a);
  const right = parseDpkgVersion(b);
  if (left.epoch !== right.epoch) return left.epoch < right.epoch ? -1 : 1;
  const upstream = compareVersionPart(left.upstream, right.upstream);
  if (upstream !== 0) return upstream;
  return compareVersionPart(left.revision, right.revision);
}

const encoder = new TextEncoder();

/**
 * Returns the sort weight of one byte in a non-digit run. `~` sorts before everything, even the
 * end of the string, then come letters, then every other byte. dpkg reads bytes as signed chars,
 * so bytes 0x80-0xFF weigh 128-255, between letters and ASCII punctuation (256 + code).
 */
function order(byte: number | undefined): number {
  if (byte === undefined) return 0;
  if (byte >= 0x30 && byte <= 0x39) return 0;
  if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) return byte;
  if (byte === 0x7e) return -1;
  return byte >= 0x80 ? byte : byte + 256;
}

const isDigitByte = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/**
 * Compares an upstream version or a revision: alternating runs of non-digits (by `order`) and
 * digits (numerically, ignoring leading zeros), as dpkg's verrevcmp() does on the UTF-8 bytes.
 */
function compareVersionPart(aText: string, bText: string): Ordering {
  const a = encoder.encode(aText);
  const b = encoder.encode(bText);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigitByte(a[i])) || (j < b.length && !isDigitByte(b[j]))) {
      const difference = order(a[i]) - order(b[j]);
      if (difference !== 0) return sign(difference);
      i++;
      j++;
    }

    while (a[i] === 0x30) i++;
    while (b[j] === 0x30) j++;
    let firstDifference = 0;
    while (isDigitByte(a[i]) && isDigitByte(b[j])) {
      if (firstDifference === 0) firstDifference = a[i]! - b[j]!;
      i++;
      j++;
    }
    if (isDigitByte(a[i])) return 1;
    if (isDigitByte(b[j])) return -1;
    if (firstDifference !== 0) return sign(firstDifference);
  }
  return 0;
}
