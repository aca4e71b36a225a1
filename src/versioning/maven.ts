/**
 * Maven artifact versions, ordered exactly as Maven's ComparableVersion does it in apache/maven's
 * current source (compat/maven-artifact, with CombinationItem and a 256-character cap). The
 * maven-artifact 3.9.6 jar has neither and orders some forms differently: it puts
 * `1.0.final-redhat` above `1.0-sp1-redhat`, where the current source puts it below. Versions are split at
 * `.`, `-` and digit/letter transitions into numbers, qualifiers and nested lists. Well-known
 * qualifiers sort `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
 * < sp`, and other qualifiers sort after them, case-insensitively. The tests run the cases of
 * Maven's ComparableVersionTest.
 *
 * ComparableVersion accepts nearly any string. It throws only for strings longer than 256
 * characters and for a few with non-ASCII digits or surrogates (see maven-parse.ts), and Bulwark
 * raises `VERSION_INVALID` for exactly those.
 */
import { sign } from './version-error.js';
import type { Ordering } from './version-error.js';
import { parseMavenItems, QUALIFIERS, RELEASE_QUALIFIERS } from './maven-parse.js';
import type { CombinationItem, Item, ListItem, StringItem } from './maven-parse.js';

const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(''));

/**
 * Returns a string that sorts like the qualifier: the index of a known qualifier, or
 * `7-<qualifier>` for unknown ones, which then sort lexically after all known ones.
 */
function comparableQualifier(qualifier: string): string {
  if (RELEASE_QUALIFIERS.has(qualifier)) return RELEASE_VERSION_INDEX;
  const index = QUALIFIERS.indexOf(qualifier);
  return index === -1 ? `${QUALIFIERS.length}-${qualifier}` : String(index);
}

/** Compares strings by UTF-16 code units, as Java's String.compareTo() does. */
function compareStrings(a: string, b: string): Ordering {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Compares two items, or an item with "nothing" (`other` undefined), as ComparableVersion does. */
function compareItems(item: Item, other: Item | undefined): Ordering {
  switch (item.kind) {
    case 'number':
      if (other === undefined) return item.value === 0n ? 0 : 1;
      if (other.kind !== 'number') return 1;
      return item.width !== other.width ? sign(item.width - other.width) : sign(item.value - other.value);
    case 'string':
      return compareString(item, other);
    case 'combination':
      return compareCombination(item, other);
    case 'list':
      return compareList(item, other);
  }
}

function compareString(item: StringItem, other: Item | undefined): Ordering {
  if (other === undefined) return compareStrings(comparableQualifier(item.value), RELEASE_VERSION_INDEX);
  switch (other.kind) {
    case 'number':
      return -1;
    case 'string':
      return compareStrings(comparableQualifier(item.value), comparableQualifier(other.value));
    case 'combination': {
      const result = compareItems(item, other.stringPart);
      if (result !== 0) return result;
      if (compareItems(item, undefined) === 0) return negate(compareItems(other.digitPart, undefined));
      return -1;
    }
    case 'list':
      return negate(compareList(other, item));
  }
}

function compareCombination(item: CombinationItem, other: Item | undefined): Ordering {
  if (other === undefined) {
    // 1-rc1 < 1. When the string part is a release qualifier the number decides: 1-ga1 > 1.
    const result = compareItems(item.stringPart, undefined);
    return result !== 0 ? result : compareItems(item.digitPart, undefined);
  }
  switch (other.kind) {
    case 'number':
      return -1;
    case 'string': {
      const result = compareItems(item.stringPart, other);
      if (result !== 0) return result;
      if (compareItems(item.stringPart, undefined) === 0) return compareItems(item.digitPart, undefined);
      return 1; // X1 > X
    }
    case 'list':
      return negate(compareList(other, item));
    case 'combination': {
      const result = compareItems(item.stringPart, other.stringPart);
      return result !== 0 ? result : compareItems(item.digitPart, other.digitPart);
    }
  }
}

function compareList(list: ListItem, other: Item | undefined): Ordering {
  const items = list.items;
  if (other === undefined) {
    // The whole list is compared with "nothing", not only its first item.
    for (const item of items) {
      const result = compareItems(item, undefined);
      if (result !== 0) return result;
    }
    return 0;
  }
  switch (other.kind) {
    case 'number':
      return -1; // 1-1 < 1.0.x
    case 'string':
    case 'combination': {
      let result = items.length === 0 ? negate(compareItems(other, undefined)) : compareItems(items[0]!, other);
      for (let i = 1; result === 0 && i < items.length; i++) result = compareItems(items[i]!, undefined);
      return result;
    }
    case 'list': {
      const otherItems = other.items;
      for (let i = 0; i < Math.max(items.length, otherItems.length); i++) {
        const left = items[i];
        const right = otherItems[i];
        let result: Ordering;
        if (left === undefined) result = right === undefined ? 0 : negate(compareItems(right, undefined));
        else result = compareItems(left, right);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

function negate(ordering: Ordering): Ordering {
  return (0 - ordering) as Ordering;
}

/** Compares two Maven versions with ComparableVersion's ordering. */
export function compareMavenVersions(a: string, b: string): Ordering {
  return compareList(parseMavenItems(a), parseMavenItems(b));
}

/** Returns whether ComparableVersion parses the value without throwing. */
export function isValidMavenVersion(value: string): boolean {
  try {
    parseMavenItems(value);
    return true;
  } catch {
    return false;
  }
}
