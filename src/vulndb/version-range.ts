import type { RangeEvent } from './advisory-writer.js';

/** A version comparison of one scheme: negative, zero or positive like `Array.sort` comparators. */
export type CompareFunction = (a: string, b: string) => number;

/** Whether a version is affected and, when it is, the fixes above it. */
export interface RangeVerdict {
  affected: boolean;
  /** The `fixed` versions above the installed version, in ascending order. */
  fixedAbove: string[];
}

/**
 * Evaluates one OSV range for a version with the OSV schema's algorithm, which walks the events in
 * version order. An `introduced` at or below the version starts an affected span. A `fixed` or
 * `limit` at or below it ends the span, and so does a `last_affected` below it. `introduced: "0"`
 * is below every version. Throws whatever `compare` throws for an unparsable version.
 */
export function evaluateRange(events: RangeEvent[], version: string, compare: CompareFunction): RangeVerdict {
  const sorted = [...events].sort((a, b) => compareEvents(a, b, compare));
  let affected = false;
  for (const event of sorted) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || compare(version, event.introduced) >= 0) affected = true;
      else break;
    } else if (event.fixed !== undefined) {
      if (compare(version, event.fixed) >= 0) affected = false;
      else break;
    } else if (event.limit !== undefined) {
      if (compare(version, event.limit) >= 0) affected = false;
      else break;
    } else if (event.last_affected !== undefined) {
      // `last_affected` is inclusive, so a version equal to it is still affected.
      if (compare(version, event.last_affected) > 0) affected = false;
      else break;
    }
  }

  const fixedAbove = affected
    ? sorted.flatMap((event) => (event.fixed !== undefined && compare(event.fixed, version) > 0 ? [event.fixed] : []))
    : [];
  return { affected, fixedAbove };
}

function eventVersion(event: RangeEvent): string {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
}

function compareEvents(a: RangeEvent, b: RangeEvent, compare: CompareFunction): number {
  if (a.introduced === '0') return b.introduced === '0' ? 0 : -1;
  if (b.introduced === '0') return 1;
  const order = compare(eventVersion(a), eventVersion(b));
  if (order !== 0) return order;
  // At equal versions an `introduced` comes after the event that closes the previous span.
  return (a.introduced !== undefined ? 1 : 0) - (b.introduced !== undefined ? 1 : 0);
}
