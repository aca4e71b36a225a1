import { parse as parseToml, TomlError } from 'smol-toml';
import { parseDocument } from 'yaml';
import { errorMessage } from '../../errors.js';

/** A parsed document, or the reason it could not be parsed and whether a cap caused it. */
export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string; limitExceeded: boolean };

/** True for a plain object parsed from JSON, YAML or TOML (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the value when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Returns the own entries of a record, or none when the value is not a record. */
export function recordEntries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/**
 * Parses JSON after checking that objects and arrays nest at most `maxDepth` deep. V8's
 * `JSON.parse` itself copes with deep nesting, but the parsers that walk the result recurse.
 */
export function parseJsonText(text: string, options: { maxDepth: number }): ParseResult {
  const depth = maxJsonNesting(text);
  if (depth > options.maxDepth) {
    return {
      ok: false,
      message: `JSON nests ${depth} levels deep, above the maxJsonDepth limit of ${options.maxDepth}`,
      limitExceeded: true,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `invalid JSON: ${errorMessage(error)}`, limitExceeded: false };
  }
}

/** Returns the deepest bracket nesting of JSON text, skipping brackets inside strings. */
function maxJsonNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      if (depth > max) max = depth;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    }
  }
  return max;
}

/**
 * Parses one YAML document with the failsafe schema, so every scalar stays a string: a version
 * such as `1.10` or a key such as `1` keeps its exact text. Callers compare booleans as `'true'`.
 */
export function parseYamlText(text: string, options: { maxAliasCount: number }): ParseResult {
  const document = parseDocument(text, { schema: 'failsafe', prettyErrors: true, uniqueKeys: false });
  const [firstError] = document.errors;
  if (firstError !== undefined) {
    return { ok: false, message: `invalid YAML: ${firstLine(firstError.message)}`, limitExceeded: false };
  }
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: options.maxAliasCount }) };
  } catch (error) {
    // yaml 2.x throws a ReferenceError ("Excessive alias count …") when expansion passes maxAliasCount.
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return {
        ok: false,
        message: `YAML aliases expand beyond the maxYamlAliases limit of ${options.maxAliasCount}`,
        limitExceeded: true,
      };
    }
    return { ok: false, message: `invalid YAML: ${errorMessage(error)}`, limitExceeded: false };
  }
}

/** Parses TOML 1.0. Keys such as `__proto__` are dropped, so they cannot reach object prototypes. */
export function parseTomlText(text: string, options: { maxDepth: number }): ParseResult {
  try {
    return { ok: true, value: parseToml(text, { maxDepth: options.maxDepth, unsafeKeyBehaviour: 'drop' }) };
  } catch (error) {
    if (error instanceof TomlError) {
      return { ok: false, message: `invalid TOML at line ${error.line}, column ${error.column}: ${firstLine(error.message)}`, limitExceeded: false };
    }
    return { ok: false, message: `invalid TOML: ${errorMessage(error)}`, limitExceeded: false };
  }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
