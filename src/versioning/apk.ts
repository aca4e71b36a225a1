/**
 * Alpine package versions, `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}`, ordered
 * exactly as apk-tools 3 does it (src/version.c, the tokenizer with commit-hash support). The
 * tests use the cases of apk-tools' test/version.data.
 *
 * apk compares any two strings, valid or not: tokens are compared until one side ends or turns
 * invalid, and `apk version -t` prints a result for malformed versions too. Bulwark does the same
 * and rejects only values longer than MAX_VERSION_LENGTH. `isWellFormedApkVersion` is the strict
 * check that `apk version -c` applies.
 */
import { checkVersionLength, MAX_VERSION_LENGTH, sign } from './version-error.js';
import type { Ordering } from './version-error.js';

/** Token kinds in the order that apk-tools' `enum PARTS` gives them; the order matters. */
const enum Token {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  RevisionNumber,
  End,
  Invalid,
}

/** Suffix ranks: pre-release suffixes sort below NONE (no suffix), post-release ones above. */
const SUFFIX_RANKS: ReadonlyMap<string, number> = new Map([
  ['alpha', 1],
  ['beta', 2],
  ['pre', 3],
  ['rc', 4],
  ['cvs', 6],
  ['svn', 7],
  ['git', 8],
  ['hg', 9],
  ['p', 10],
]);
const SUFFIX_NONE = 5;

/** The largest value that apk keeps for a number: apk-tools parses numbers into a uint64_t. */
const UINT64_BITS = 64;

interface TokenState {
  token: Token;
  suffix: number;
  number: bigint;
  /** The token's text, which is compared as bytes for leading-zero numbers and commit hashes. */
  value: string;
}

/** Reads one version string token by token, like apk-tools' token_first()/token_next(). */
class Tokenizer {
  readonly state: TokenState = { token: Token.InitialDigit, suffix: 0, number: 0n, value: '' };
  private position = 0;

  constructor(private readonly text: string) {
    this.parseDigits();
  }

  next(): void {
    const state = this.state;
    const c = this.text[this.position];
    if (c === undefined) {
      state.token = Token.End;
    } else if (c >= 'a' && c <= 'z') {
      if (state.token > Token.Digit) return this.invalid();
      state.value = c;
      state.token = Token.Letter;
      this.position++;
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.') {
        if (state.token > Token.Digit) return this.invalid();
        this.position++;
      }
      if (state.token === Token.InitialDigit || state.token === Token.Digit) state.token = Token.Digit;
      else if (state.token === Token.Suffix) state.token = Token.SuffixNumber;
      else return this.invalid();
      this.parseDigits();
    } else if (c === '_') {
      if (state.token > Token.SuffixNumber) return this.invalid();
      this.position++;
      state.value = this.takeWhile((ch) => ch >= 'a' && ch <= 'z');
      state.suffix = SUFFIX_RANKS.get(state.value) ?? 0;
      if (state.suffix === 0) return this.invalid();
      state.token = Token.Suffix;
    } else if (c === '~') {
      if (state.token >= Token.CommitHash) return this.invalid();
      this.position++;
      state.value = this.takeWhile((ch) => (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
      if (state.value === '') return this.invalid();
      state.token = Token.CommitHash;
    } else if (c === '-') {
      if (state.token >= Token.RevisionNumber) return this.invalid();
      if (this.text[this.position + 1] !== 'r') return this.invalid();
      this.position += 2;
      state.token = Token.RevisionNumber;
      this.parseDigits();
    } else {
      this.invalid();
    }
  }

  private invalid(): void {
    this.state.token = Token.Invalid;
  }

  /** Reads a decimal number; apk keeps it modulo 2^64 and marks an empty number invalid. */
  private parseDigits(): void {
    const digits = this.takeWhile((ch) => ch >= '0' && ch <= '9');
    this.state.value = digits;
    this.state.number = digits === '' ? 0n : BigInt.asUintN(UINT64_BITS, BigInt(digits));
    if (digits === '') this.state.token = Token.Invalid;
  }

  private takeWhile(accept: (c: string) => boolean): string {
    const start = this.position;
    while (this.position < this.text.length && accept(this.text[this.position]!)) this.position++;
    return this.text.slice(start, this.position);
  }
}

/** Compares strings as apk_blob_sort() does: bytewise, then the shorter one first. */
function compareBytes(a: string, b: string): Ordering {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Compares two tokens of the same kind, as apk-tools' token_cmp() does. */
function compareTokens(a: TokenState, b: TokenState): Ordering {
  switch (a.token) {
    case Token.Digit:
      // A number with a leading zero on either side is compared as a string (Gentoo's rule).
      if (a.value[0] === '0' || b.value[0] === '0') return compareBytes(a.value, b.value);
      return compareBigInts(a.number, b.number);
    case Token.InitialDigit:
    case Token.SuffixNumber:
    case Token.RevisionNumber:
      return compareBigInts(a.number, b.number);
    case Token.Letter:
      return compareBytes(a.value, b.value);
    case Token.Suffix:
      return sign(a.suffix - b.suffix);
    default:
      return compareBytes(a.value, b.value);
  }
}

function compareBigInts(a: bigint, b: bigint): Ordering {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Compares two apk versions; malformed versions are compared too, as apk-tools does. */
export function compareApkVersions(a: string, b: string): Ordering {
  checkVersionLength('apk', a);
  checkVersionLength('apk', b);
  const left = new Tokenizer(a);
  const right = new Tokenizer(b);
  const ta = left.state;
  const tb = right.state;
  while (ta.token === tb.token && ta.token < Token.End) {
    const result = compareTokens(ta, tb);
    if (result !== 0) return result;
    left.next();
    right.next();
  }

  if (ta.token === tb.token) return 0;
  // The leading tokens are equal. The longer version is greater, unless it goes on with a
  // pre-release suffix; a version that turns invalid first sorts lower than one that ends.
  if (ta.token === Token.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.token === Token.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  return ta.token > tb.token ? -1 : 1;
}

/** Returns whether the value is a well-formed apk version, as apk_version_validate() decides. */
export function isWellFormedApkVersion(value: string): boolean {
  if (value.length > MAX_VERSION_LENGTH) return false;
  const tokenizer = new Tokenizer(value);
  while (tokenizer.state.token < Token.End) tokenizer.next();
  return tokenizer.state.token === Token.End;
}

/** Returns whether Bulwark compares the value as an apk version: true up to the length cap. */
export function isValidApkVersion(value: string): boolean {
  return value.length <= MAX_VERSION_LENGTH;
}
