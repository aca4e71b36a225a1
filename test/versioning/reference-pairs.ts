/**
 * Helpers for the differential tests: a seeded generator of version strings and a function that
 * reports the first pairs on which Bulwark and a reference tool disagree.
 */

/** Returns a deterministic pseudo-random generator (mulberry32) for reproducible test inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns one element of a list, chosen by the generator. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Returns a string of `min` to `max` tokens from the list, joined without separator. */
export function tokens(random: () => number, items: readonly string[], min: number, max: number): string {
  const count = min + Math.floor(random() * (max - min + 1));
  let text = '';
  for (let i = 0; i < count; i++) text += pick(random, items);
  return text;
}

/**
 * Builds pairs from a pool of versions: each version against a random other one or against
 * itself, so that equal versions are common.
 */
export function pairsFrom(random: () => number, pool: readonly string[], count: number): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; pairs.length < count; i++) {
    const a = pool[i % pool.length]!;
    pairs.push([a, random() < 0.5 ? pick(random, pool) : a]);
  }
  return pairs;
}

/** A comparison result, or `E` when the tool rejects one of the versions. */
export type Outcome = -1 | 0 | 1 | 'E';

/** Runs Bulwark's comparison and turns a thrown `VERSION_INVALID` into `E`. */
export function outcomeOf(compare: (a: string, b: string) => -1 | 0 | 1, a: string, b: string): Outcome {
  try {
    return compare(a, b);
  } catch (error) {
    if ((error as { code?: string }).code === 'VERSION_INVALID') return 'E';
    throw error;
  }
}

/** Lists up to `limit` pairs whose outcomes differ, one line each, for an assertion message. */
export function describeMismatches(
  pairs: ReadonlyArray<readonly [string, string]>,
  ours: readonly Outcome[],
  theirs: readonly Outcome[],
  limit = 10,
): string[] {
  const lines: string[] = [];
  for (let i = 0; i < pairs.length && lines.length < limit; i++) {
    if (ours[i] !== theirs[i]) {
      lines.push(`${JSON.stringify(pairs[i]![0])} vs ${JSON.stringify(pairs[i]![1])}: bulwark ${ours[i]}, reference ${theirs[i]}`);
    }
  }
  return lines;
}
