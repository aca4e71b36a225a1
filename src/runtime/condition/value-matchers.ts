import { BlockList, isIP } from 'node:net';

import type { BinaryOperator } from './ast.js';

/** Tests one scalar event value, already converted to the comparison type. */
export type ScalarMatcher = (value: string | number | boolean) => boolean;

/** A right-hand side value that does not fit the field type or operator. */
export class OperandError extends Error {}

/**
 * The maximum length of an event value given to a `regex` check. JavaScript regular expressions
 * can backtrack, unlike RE2, so longer values are cut to bound the time one check takes.
 */
const MAX_REGEX_SUBJECT = 4096;

/** Compiles an fnmatch-style glob (`*`, `?`, `[...]`, `[!...]`) into an anchored regular expression. */
export function globToRegExp(glob: string, flags: string): RegExp {
  let source = '^';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = glob.indexOf(']', index + 1);
      if (close < 0) source += '\\[';
      else {
        const body = glob.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = close;
      }
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`${source}$`, `s${flags}`);
}

function parseHex(text: string): Buffer {
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(text)) throw new OperandError(`'${text}' is not a hexadecimal byte string`);
  return Buffer.from(text, 'hex');
}

function toNumber(value: string | number | boolean): number {
  return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** Parses a number literal; rejects anything that is not one. */
export function parseNumberLiteral(text: string): number {
  const parsed = /^-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?)$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(parsed)) throw new OperandError(`'${text}' is not a number`);
  return parsed;
}

/** Builds the matcher of a numeric comparison with one literal. */
export function numberMatcher(operator: BinaryOperator, literal: number): ScalarMatcher {
  switch (operator) {
    case '=':
    case '==':
      return (value) => toNumber(value) === literal;
    case '!=':
      return (value) => toNumber(value) !== literal;
    case '<':
      return (value) => toNumber(value) < literal;
    case '<=':
      return (value) => toNumber(value) <= literal;
    case '>':
      return (value) => toNumber(value) > literal;
    case '>=':
      return (value) => toNumber(value) >= literal;
    default:
      throw new OperandError(`operator '${operator}' does not apply to a number field`);
  }
}

/** Builds the matcher of a string comparison with one literal. */
export function stringMatcher(operator: BinaryOperator, literal: string): ScalarMatcher {
  switch (operator) {
    case '=':
    case '==':
      return (value) => String(value) === literal;
    case '!=':
      return (value) => String(value) !== literal;
    case 'contains':
      return (value) => String(value).includes(literal);
    case 'icontains': {
      // A case-insensitive regular expression avoids building a lowercased copy of each value.
      const pattern = new RegExp(literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'i');
      return (value) => pattern.test(String(value));
    }
    case 'startswith':
      return (value) => String(value).startsWith(literal);
    case 'endswith':
      return (value) => String(value).endsWith(literal);
    case 'glob':
    case 'iglob': {
      const pattern = globToRegExp(literal, operator === 'iglob' ? 'i' : '');
      return (value) => pattern.test(String(value));
    }
    case 'bcontains': {
      const bytes = parseHex(literal);
      return (value) => Buffer.from(String(value), 'utf8').includes(bytes);
    }
    case 'bstartswith': {
      const bytes = parseHex(literal);
      return (value) => Buffer.from(String(value), 'utf8').subarray(0, bytes.length).equals(bytes);
    }
    case 'regex': {
      // libsinsp matches with RE2 anchored at both ends.
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${literal})$`, 's');
      } catch (error) {
        throw new OperandError(`invalid regular expression '${literal}': ${(error as Error).message}`);
      }
      return (value) => pattern.test(String(value).slice(0, MAX_REGEX_SUBJECT));
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      throw new OperandError(`operator '${operator}' needs a number field`);
    default:
      throw new OperandError(`operator '${operator}' needs a list in parentheses`);
  }
}

/** Builds the matcher of `in` and `intersects` against a set of literals. */
export function setMatcher(literals: readonly string[], options: { numeric: boolean }): ScalarMatcher {
  if (options.numeric) {
    const numbers = new Set(literals.map(parseNumberLiteral));
    return (value) => numbers.has(toNumber(value));
  }
  const strings = new Set(literals);
  return (value) => strings.has(String(value));
}

/** Builds the matcher of `pmatch`: the value is one of the paths or lies below one. */
export function pathPrefixMatcher(paths: readonly string[]): ScalarMatcher {
  const prefixes = paths.map((path) => (path.endsWith('/') ? path : `${path}/`));
  const exact = new Set(paths.map((path) => (path.length > 1 ? path.replace(/\/+$/, '') : path)));
  return (value) => {
    const text = String(value);
    return exact.has(text) || prefixes.some((prefix) => text.startsWith(prefix));
  };
}

/** Builds the matcher of an `ipnet` field against addresses and CIDR networks. */
export function networkMatcher(operator: BinaryOperator, literals: readonly string[]): ScalarMatcher {
  const networks = new BlockList();
  for (const literal of literals) {
    const [address, prefix] = literal.split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new OperandError(`'${literal}' is not an IP address or network`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) networks.addAddress(address as string, type);
    else networks.addSubnet(address as string, Number(prefix), type);
  }
  const positive = operator !== '!=';
  return (value) => {
    const text = String(value);
    const family = isIP(text);
    if (family === 0) return false;
    return networks.check(text, family === 4 ? 'ipv4' : 'ipv6') === positive;
  };
}
