/**
 * The parser half of Maven's ComparableVersion: it turns a version string into the nested item
 * list that maven.ts compares. The steps follow parseVersion(), ListItem.normalize() and the item
 * constructors of apache/maven's compat/maven-artifact source one to one, including their
 * handling of non-ASCII digits and surrogate pairs, so that the same strings are rejected.
 */
import { checkVersionLength, invalidVersionError } from './version-error.js';

export interface NumberItem {
  kind: 'number';
  /**
   * Java's type for the number: int up to 9 digits, long up to 18, BigInteger beyond. A shorter
   * type always sorts lower, which matters only when non-ASCII zeros pad a number.
   */
  width: 0 | 1 | 2;
  value: bigint;
}
export interface StringItem {
  kind: 'string';
  value: string;
}
/** A qualifier directly followed by a number, such as `rc1` or `sp-2`. */
export interface CombinationItem {
  kind: 'combination';
  stringPart: StringItem;
  digitPart: NumberItem;
}
/** A sub-list, which starts at a `-` or at a digit/letter transition. */
export interface ListItem {
  kind: 'list';
  items: Item[];
}
export type Item = NumberItem | StringItem | CombinationItem | ListItem;

/** Well-known qualifiers from lowest to highest; `''` is the release itself. */
export const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
/** Qualifiers that sort like a release without qualifier. */
export const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);

/** ComparableVersion's own cap; it throws IllegalArgumentException for longer versions. */
const MAX_MAVEN_VERSION_LENGTH = 256;

const ZERO: NumberItem = { kind: 'number', width: 0, value: 0n };
const isAsciiDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
/** Java's Character.isDigit(char): a BMP character of category Nd. */
const isJavaDigit = (c: string | undefined): boolean => c !== undefined && /^\p{Nd}$/u.test(c);
const isHighSurrogate = (c: string): boolean => c >= '\ud800' && c <= '\udbff';

export function isNullItem(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return item.value === 0n;
    case 'string':
      return item.value === '';
    case 'combination':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

/** Parses a Maven version into ComparableVersion's item list; throws `VERSION_INVALID` where it throws. */
export function parseMavenItems(original: string): ListItem {
  checkVersionLength('maven', original, MAX_MAVEN_VERSION_LENGTH);
  const version = original.toLowerCase();
  const root: ListItem = { kind: 'list', items: [] };
  let list = root;
  const stack: ListItem[] = [root];
  const startSubList = (): void => {
    const sub: ListItem = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  const item = (isCombination: boolean, isDigit: boolean, text: string): Item =>
    parseItem({ original, isCombination, isDigit, text });

  let isDigit = false;
  let isCombination = false;
  let startIndex = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (isHighSurrogate(c) && i + 1 < version.length) {
      // Java reads the pair as one code point, which then counts as neither digit nor separator.
      i++;
    } else if (c === '.') {
      list.items.push(i === startIndex ? ZERO : item(isCombination, isDigit, version.slice(startIndex, i)));
      isCombination = false;
      startIndex = i + 1;
      continue;
    } else if (c === '-') {
      if (i === startIndex) {
        list.items.push(ZERO);
      } else {
        // X-1 is read as X1.
        if (!isDigit && i !== version.length - 1 && isJavaDigit(version[i + 1])) {
          isCombination = true;
          continue;
        }
        list.items.push(item(isCombination, isDigit, version.slice(startIndex, i)));
      }
      startIndex = i + 1;
      if (list.items.length > 0) startSubList();
      isCombination = false;
      continue;
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > startIndex) {
        isCombination = true;
        if (list.items.length > 0) startSubList();
      }
      isDigit = true;
      continue;
    }

    // Any other character, including the code point of a surrogate pair.
    if (isDigit && i > startIndex) {
      list.items.push(item(isCombination, true, version.slice(startIndex, i)));
      startIndex = i;
      startSubList();
      isCombination = false;
    }
    isDigit = false;
  }

  if (version.length > startIndex) {
    // 1.0.0.X1 < 1.0.0-X2: a trailing .X is read as -X.
    if (!isDigit && list.items.length > 0) startSubList();
    list.items.push(item(isCombination, isDigit, version.slice(startIndex)));
  }

  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

/** Removes null items that sit before a qualifier or at the end, as ListItem.normalize() does. */
function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isNullItem(items[i]!)) continue;
    const next = items[i + 1];
    if (next === undefined || next.kind === 'string') {
      items.splice(i, 1);
    } else if (next.kind === 'list') {
      const first = next.items[0];
      if (first !== undefined && (first.kind === 'combination' || first.kind === 'string')) items.splice(i, 1);
    }
  }
  // Removing a zero prefix must not leave an extra level of nesting.
  if (items.length === 1 && items[0]!.kind === 'list') list.items = items[0]!.items;
}

interface ItemSource {
  original: string;
  isCombination: boolean;
  isDigit: boolean;
  text: string;
}

function parseItem(source: ItemSource): Item {
  if (source.isCombination) return combinationItem(source.original, source.text.replaceAll('-', ''));
  if (source.isDigit) return numberItem(source.original, source.text);
  return stringItem(source.text, false);
}

function stringItem(value: string, followedByDigit: boolean): StringItem {
  let text = value;
  if (followedByDigit && text.length === 1) {
    // a1 = alpha-1, b1 = beta-1, m1 = milestone-1
    text = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[text] ?? text;
  }
  return { kind: 'string', value: text === 'cr' ? 'rc' : text };
}

function combinationItem(original: string, text: string): CombinationItem {
  let index = 0;
  for (let i = 0; i < text.length; i++) {
    if (isJavaDigit(text[i])) {
      index = i;
      break;
    }
  }
  return {
    kind: 'combination',
    stringPart: stringItem(text.slice(0, index), true),
    digitPart: numberItem(original, text.slice(index)),
  };
}

/**
 * Reads a number as Integer.parseInt(), Long.parseLong() or new BigInteger() do, which accept
 * any Unicode decimal digit. A non-digit makes them throw NumberFormatException, and so the
 * version is invalid.
 */
function numberItem(original: string, text: string): NumberItem {
  const digits = text.replace(/^0+/, '');
  let value = 0n;
  for (const c of text) {
    const digit = javaDigitValue(c);
    if (digit === undefined) {
      throw invalidVersionError('maven', original, `ComparableVersion cannot read ${JSON.stringify(text)} as a number`);
    }
    value = value * 10n + BigInt(digit);
  }
  if (digits === '') return ZERO;
  let width: NumberItem['width'] = 2;
  if (digits.length <= 9) width = 0;
  else if (digits.length <= 18) width = 1;
  return { kind: 'number', width, value };
}

/** Returns the value of a Unicode decimal digit: its offset in its run of ten Nd characters. */
function javaDigitValue(c: string): number | undefined {
  if (c.length !== 1 || !isJavaDigit(c)) return undefined;
  let code = c.charCodeAt(0);
  let offset = 0;
  while (isJavaDigit(String.fromCharCode(code - 1))) {
    code--;
    offset++;
  }
  return offset % 10;
}
