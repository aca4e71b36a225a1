/**
 * Path globs for ignore-rule scopes, with the semantics of Go's doublestar library, which Trivy's
 * `.trivyignore.yaml` uses. `*` matches any run of characters within one path segment and `?`
 * one character. `[abc]`, `[a-z]` and `[!a]` (or `[^a]`) match one character of a set, `{a,b}`
 * either alternative, and `**` as a whole segment zero or more segments. A backslash escapes the
 * next character.
 *
 * Matching runs in time proportional to pattern length times path length, with no regular
 * expressions, so a hostile pattern such as `*a*a*a*a*b` cannot cause catastrophic backtracking.
 */

/** The maximum number of alternatives that `{…}` expansion may produce for one pattern. */
export const MAX_BRACE_EXPANSIONS = 256;

/** The number of path results each compiled glob caches. Filtering checks the same paths often. */
const MATCH_CACHE_SIZE = 1024;

type SegmentToken =
  | { kind: 'literal'; char: string }
  | { kind: 'any-char' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> };

type Segment = { kind: 'globstar' } | { kind: 'tokens'; tokens: SegmentToken[] };

/** A compiled glob. */
export interface Glob {
  /** The pattern as written. */
  readonly pattern: string;
  matches(path: string): boolean;
}

/** Returns the path with `\` turned into `/` and any leading `/` or `./` removed. */
export function normalizeGlobPath(path: string): string {
  return stripLeadingRoot(path.replaceAll('\\', '/'));
}

/** Removes leading `./` and `/`, so that `/usr/lib/*` and `usr/lib/*` mean the same. */
function stripLeadingRoot(text: string): string {
  let stripped = text;
  while (stripped.startsWith('./') || stripped.startsWith('/')) stripped = stripped.slice(stripped.startsWith('/') ? 1 : 2);
  return stripped;
}

/**
 * Compiles a glob. Throws a plain `Error` naming the problem for an unclosed `[` or `{`, or when
 * brace expansion exceeds MAX_BRACE_EXPANSIONS. The ignore-file parsers turn it into a diagnostic.
 */
export function compileGlob(pattern: string): Glob {
  // Backslashes stay as written because they escape the next character in a pattern.
  const alternatives = expandBraces(stripLeadingRoot(pattern)).map(compileAlternative);
  const cache = new Map<string, boolean>();
  return {
    pattern,
    matches(path: string): boolean {
      const cached = cache.get(path);
      if (cached !== undefined) return cached;

      const segments = normalizeGlobPath(path).split('/');
      const result = alternatives.some((compiled) => matchSegments(compiled, segments));
      if (cache.size >= MATCH_CACHE_SIZE) cache.clear();
      cache.set(path, result);
      return result;
    },
  };
}

function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{', 0);
  if (open < 0) return [pattern];

  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length && close < 0; i += 1) {
    const char = pattern[i];
    if (char === '\\') {
      i += 1;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      depth -= 1;
      if (depth === 0) close = i;
    } else if (char === ',' && depth === 1) {
      commas.push(i);
    }
  }
  if (close < 0) throw new Error(`unclosed "{" at offset ${open}`);

  const prefix = pattern.slice(0, open);
  const suffix = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const results: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const option = pattern.slice(bounds[i]! + 1, bounds[i + 1]);
    for (const expanded of expandBraces(prefix + option + suffix)) {
      results.push(expanded);
      if (results.length > MAX_BRACE_EXPANSIONS) {
        throw new Error(`"{…}" expands to more than ${MAX_BRACE_EXPANSIONS} patterns`);
      }
    }
  }
  return results;
}

function findUnescaped(text: string, expected: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === expected) return i;
  }
  return -1;
}

function compileAlternative(pattern: string): Segment[] {
  return pattern.split('/').map((part): Segment => (part === '**' ? { kind: 'globstar' } : { kind: 'tokens', tokens: tokenize(part) }));
}

function tokenize(segment: string): SegmentToken[] {
  const chars = Array.from(segment);
  const tokens: SegmentToken[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i]!;
    if (char === '\\' && i + 1 < chars.length) {
      i += 1;
      tokens.push({ kind: 'literal', char: chars[i]! });
    } else if (char === '*') {
      // `a**b` is not a whole-segment globstar, so it behaves like a single `*`.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') {
      tokens.push({ kind: 'any-char' });
    } else if (char === '[') {
      const { token, end } = parseClass(chars, i);
      tokens.push(token);
      i = end;
    } else {
      tokens.push({ kind: 'literal', char });
    }
  }
  return tokens;
}

function parseClass(chars: string[], start: number): { token: SegmentToken; end: number } {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i += 1;

  const ranges: Array<[string, string]> = [];
  // A `]` right after the opening bracket is a member, as in POSIX bracket expressions.
  let first = true;
  for (; i < chars.length; i += 1) {
    let char = chars[i]!;
    if (char === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i };
    first = false;
    if (char === '\\' && i + 1 < chars.length) char = chars[++i]!;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let high = chars[i + 2]!;
      i += 2;
      if (high === '\\' && i + 1 < chars.length) high = chars[++i]!;
      ranges.push([char, high]);
    } else {
      ranges.push([char, char]);
    }
  }
  throw new Error(`unclosed "[" at offset ${start}`);
}

function matchSegments(pattern: Segment[], path: string[]): boolean {
  // memo[p * (path.length + 1) + s] caches whether pattern[p..] matches path[s..].
  const memo = new Map<number, boolean>();
  const match = (p: number, s: number): boolean => {
    const key = p * (path.length + 1) + s;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;

    let result: boolean;
    if (p === pattern.length) {
      result = s === path.length;
    } else {
      const segment = pattern[p]!;
      if (segment.kind === 'globstar') {
        // Zero segments, or consume one path segment and stay on the globstar.
        result = match(p + 1, s) || (s < path.length && match(p, s + 1));
      } else {
        result = s < path.length && matchSegment(segment.tokens, Array.from(path[s]!)) && match(p + 1, s + 1);
      }
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

function matchSegment(tokens: SegmentToken[], chars: string[]): boolean {
  // Dynamic programming over (token, character): row[c] is true when tokens[..t] match chars[..c].
  let row = new Array<boolean>(chars.length + 1).fill(false);
  row[0] = true;
  for (const token of tokens) {
    const next = new Array<boolean>(chars.length + 1).fill(false);
    if (token.kind === 'star') {
      next[0] = row[0]!;
      for (let c = 1; c <= chars.length; c += 1) next[c] = row[c]! || next[c - 1]!;
    } else {
      for (let c = 1; c <= chars.length; c += 1) next[c] = row[c - 1]! && matchChar(token, chars[c - 1]!);
    }
    row = next;
  }
  return row[chars.length]!;
}

function matchChar(token: Exclude<SegmentToken, { kind: 'star' }>, char: string): boolean {
  switch (token.kind) {
    case 'literal':
      return token.char === char;
    case 'any-char':
      return true;
    case 'class': {
      const inSet = token.ranges.some(([low, high]) => char >= low && char <= high);
      return inSet !== token.negated;
    }
  }
}
