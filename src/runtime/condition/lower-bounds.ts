import type { BinaryOperator } from './ast.js';
import { OperandError, parseNumberLiteral } from './value-matchers.js';

/** A lower bound of a numeric field: the value is above `value`, or equal to it when `inclusive`. */
export interface LowerBound {
  value: number;
  inclusive: boolean;
}

/**
 * Lower bounds that a condition implies for numeric fields: when the condition is true, each field
 * in the map is a number above its bound (for a list value, at least one element is). Event sources use them to drop, before any rule runs,
 * events that no rule can match (a failed open has `fd.num` -1, and `fd.num >= 0` rejects it).
 * An empty map means the condition implies no bound.
 */
export type LowerBounds = ReadonlyMap<string, LowerBound>;

export const NO_BOUNDS: LowerBounds = new Map();

/**
 * Returns the lower bound that one comparison of a numeric field implies, or `undefined` when it
 * implies none. `values` are the literal operands, already expanded from lists.
 */
export function comparisonLowerBound(operator: BinaryOperator, values: readonly string[]): LowerBound | undefined {
  let numbers: number[];
  try {
    numbers = values.map(parseNumberLiteral);
  } catch (error) {
    // A literal that is not a number implies no bound; the matcher reports it if it is invalid.
    if (error instanceof OperandError) return undefined;
    throw error;
  }
  if (numbers.length === 0 || numbers.some((value) => !Number.isFinite(value))) return undefined;
  switch (operator) {
    case '=':
    case '==':
    case '>=':
      return numbers.length === 1 ? { value: numbers[0] as number, inclusive: true } : undefined;
    case '>':
      return numbers.length === 1 ? { value: numbers[0] as number, inclusive: false } : undefined;
    case 'in':
      return { value: Math.min(...numbers), inclusive: true };
    default:
      return undefined;
  }
}

/** Checks whether bound `a` admits fewer values than bound `b`. */
function isTighter(a: LowerBound, b: LowerBound): boolean {
  return a.value > b.value || (a.value === b.value && !a.inclusive && b.inclusive);
}

/** Combines the bounds of the parts of an `and`: each part holds, so the tightest bound of each field wins. */
export function boundsOfAll(parts: readonly LowerBounds[]): LowerBounds {
  const result = new Map<string, LowerBound>();
  for (const part of parts) {
    for (const [field, bound] of part) {
      const current = result.get(field);
      if (current === undefined || isTighter(bound, current)) result.set(field, bound);
    }
  }
  return result;
}

/** Combines the bounds of the parts of an `or`: only a field bounded in every part stays bounded, by its loosest bound. */
export function boundsOfAny(parts: readonly LowerBounds[]): LowerBounds {
  const [first, ...rest] = parts;
  if (first === undefined) return NO_BOUNDS;
  const result = new Map<string, LowerBound>();
  for (const [field, bound] of first) {
    let loosest: LowerBound | undefined = bound;
    for (const part of rest) {
      const other = part.get(field);
      if (other === undefined) {
        loosest = undefined;
        break;
      }
      if (isTighter(loosest, other)) loosest = other;
    }
    if (loosest !== undefined) result.set(field, loosest);
  }
  return result;
}

/** Checks whether a bound excludes every negative value of an integer field, as `>= 0`, `> -1` and `>= -0.5` do. */
export function excludesNegativeIntegers(bound: LowerBound | undefined): boolean {
  if (bound === undefined) return false;
  return bound.inclusive ? bound.value > -1 : bound.value >= -1;
}
