/**
 * Python package versions, parsed, normalized and ordered exactly as PEP 440 and the
 * `packaging` library (packaging.version.Version, 23.0) do it. The grammar is packaging's
 * VERSION_PATTERN, the same one that @renovatebot/pep440 uses.
 *
 * The ordering is implemented here because @renovatebot/pep440 4.2.4 disagrees with packaging on
 * valid input. Its compare() reads numbers with Number(), which loses precision above 2^53, and
 * it treats local segments such as `1e5` or `0x10` as numbers. Its valid() also rejects the
 * surrounding white space that packaging accepts. The tests compare every result with packaging.
 */
import { checkVersionLength, invalidVersionError, MAX_VERSION_LENGTH, sign } from './version-error.js';
import type { Ordering } from './version-error.js';

/** A letter-and-number segment such as `rc1`, `post2` or `dev0`, after normalization. */
export interface Pep440Segment {
  letter: string;
  number: bigint;
}

/** A parsed PEP 440 version. */
export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre: Pep440Segment | undefined;
  post: Pep440Segment | undefined;
  dev: Pep440Segment | undefined;
  /** Local segments: numbers for all-digit parts, lowercase strings for the others. */
  local: Array<bigint | string> | undefined;
}

/**
 * Python compiles packaging's pattern with re.IGNORECASE, and in Unicode mode that also matches
 * `İ` and `ı` for `i`, `ſ` for `s` and the Kelvin sign for `k`. These classes spell that out.
 */
const FOLDED_LETTERS: Readonly<Record<string, string>> = { i: 'iIİı', s: 'sSſ', k: 'kKK' };

function caseless(word: string): string {
  return [...word].map((c) => `[${FOLDED_LETTERS[c] ?? c + c.toUpperCase()}]`).join('');
}

const LETTER = '[a-zA-ZİıſK]';
const SEPARATOR = '[-_.]?';
const NUMBER = '[0-9]';
/** The characters that Python's `\s` matches in a str pattern. */
const SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const alternatives = (words: string[]): string => words.map(caseless).join('|');

const VERSION_PATTERN = new RegExp(
  [
    `^${SPACE}*`,
    `${caseless('v')}?`,
    `(?:(?<epoch>${NUMBER}+)!)?`,
    `(?<release>${NUMBER}+(?:\\.${NUMBER}+)*)`,
    `(?<pre>${SEPARATOR}(?<preLetter>${alternatives(['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview'])})${SEPARATOR}(?<preNumber>${NUMBER}+)?)?`,
    `(?<post>(?:-(?<postNumberOnly>${NUMBER}+))|(?:${SEPARATOR}(?<postLetter>${alternatives(['post', 'rev', 'r'])})${SEPARATOR}(?<postNumber>${NUMBER}+)?))?`,
    `(?<dev>${SEPARATOR}(?<devLetter>${caseless('dev')})${SEPARATOR}(?<devNumber>${NUMBER}+)?)?`,
    `(?:\\+(?<local>(?:${LETTER}|${NUMBER})+(?:[-_.](?:${LETTER}|${NUMBER})+)*))?`,
    `${SPACE}*$`,
  ].join(''),
);

/** Spellings that packaging normalizes, keyed by the lowercase form. */
const LETTER_ALIASES: Readonly<Record<string, string>> = {
  alpha: 'a',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rev: 'post',
  r: 'post',
};

function segment(letter: string | undefined, number: string | undefined): Pep440Segment | undefined {
  if (letter !== undefined) {
    const lower = letter.toLowerCase();
    return { letter: LETTER_ALIASES[lower] ?? lower, number: BigInt(number ?? 0) };
  }
  // A bare number after a hyphen is an implicit post release: 1.0-1 is 1.0.post1.
  if (number !== undefined) return { letter: 'post', number: BigInt(number) };
  return undefined;
}

/** Parses a PEP 440 version, throwing `VERSION_INVALID` where packaging raises InvalidVersion. */
export function parsePep440(value: string): Pep440Version {
  checkVersionLength('pep440', value);
  const groups = VERSION_PATTERN.exec(value)?.groups;
  if (groups === undefined) throw invalidVersionError('pep440', value, 'not a valid PEP 440 version');
  return {
    epoch: BigInt(groups.epoch ?? 0),
    release: groups.release!.split('.').map((part) => BigInt(part)),
    pre: segment(groups.preLetter, groups.preNumber),
    post: segment(groups.postLetter, groups.postNumberOnly ?? groups.postNumber),
    dev: segment(groups.devLetter, groups.devNumber),
    local: groups.local?.split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part.toLowerCase())),
  };
}

/** Returns whether packaging accepts the value as a version. */
export function isValidPep440(value: string): boolean {
  return value.length <= MAX_VERSION_LENGTH && VERSION_PATTERN.test(value);
}

/** Returns the normalized form of a version, the string that packaging's str(Version) returns. */
export function normalizePep440(value: string): string {
  const version = parsePep440(value);
  let text = version.epoch === 0n ? '' : `${version.epoch}!`;
  text += version.release.join('.');
  if (version.pre !== undefined) text += `${version.pre.letter}${version.pre.number}`;
  if (version.post !== undefined) text += `.post${version.post.number}`;
  if (version.dev !== undefined) text += `.dev${version.dev.number}`;
  if (version.local !== undefined) text += `+${version.local.join('.')}`;
  return text;
}

/** Compares two PEP 440 versions with packaging's sort key. */
export function comparePep440(a: string, b: string): Ordering {
  return compareKeys(sortKey(parsePep440(a)), sortKey(parsePep440(b)));
}

/** Sentinels that sort below and above every other value, like packaging's Infinity types. */
const LOWEST = Symbol('lowest');
const HIGHEST = Symbol('highest');
type KeyPart = bigint | string | typeof LOWEST | typeof HIGHEST | KeyPart[];

/** Builds packaging's _cmpkey() tuple for a version. */
function sortKey(version: Pep440Version): KeyPart[] {
  const release = [...version.release];
  while (release.length > 0 && release[release.length - 1] === 0n) release.pop();

  const tuple = (s: Pep440Segment): KeyPart[] => [s.letter, s.number];
  let pre: KeyPart;
  // 1.0.dev0 sorts before 1.0a0, so a dev release without pre or post gets the lowest pre key.
  if (version.pre === undefined && version.post === undefined && version.dev !== undefined) pre = LOWEST;
  else pre = version.pre === undefined ? HIGHEST : tuple(version.pre);
  const post = version.post === undefined ? LOWEST : tuple(version.post);
  const dev = version.dev === undefined ? HIGHEST : tuple(version.dev);
  // Within a local version, strings sort before numbers.
  const local =
    version.local === undefined
      ? LOWEST
      : version.local.map((part): KeyPart => (typeof part === 'bigint' ? [part, ''] : [LOWEST, part]));
  return [version.epoch, release, pre, post, dev, local];
}

/** Compares key parts with Python's tuple, int and str semantics. */
function compareKeys(a: KeyPart, b: KeyPart): Ordering {
  if (a === b) return 0;
  if (a === LOWEST || b === HIGHEST) return -1;
  if (a === HIGHEST || b === LOWEST) return 1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const result = compareKeys(a[i]!, b[i]!);
      if (result !== 0) return result;
    }
    return sign(a.length - b.length);
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  // packaging never puts different types at the same position of two keys.
  throw new TypeError(`cannot compare PEP 440 key parts ${String(a)} and ${String(b)}`);
}

/** Compares strings by Unicode code points, as Python does. */
function compareCodePoints(a: string, b: string): Ordering {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]!.codePointAt(0)! < right[i]!.codePointAt(0)! ? -1 : 1;
  }
  return sign(left.length - right.length);
}
