import { licenseRef, spdxException, spdxFromDebianName } from './debian-license-names.js';

/** The longest `License:` synopsis converted; longer text becomes one `LicenseRef-`, which bounds the work on hostile input. */
const MAX_SYNOPSIS_LENGTH = 500;

/**
 * Converts the synopsis of a DEP-5 `License:` field (its first line) into an SPDX expression.
 * `or` and `and` become `OR` and `AND`, and `and` binds tighter, as in SPDX. A comma before an
 * operator lowers its precedence (`A or B, and C` is `(A OR B) AND C`), as the copyright format
 * defines. `with <name> exception` becomes `WITH <exception id>`. A licence or exception without
 * an SPDX id becomes a `LicenseRef-` of its Debian name, so no wrong SPDX id is ever written.
 */
export function dep5LicenseExpression(synopsis: string): string {
  const text = synopsis.trim().replace(/\s+/g, ' ');
  if (text.length > MAX_SYNOPSIS_LENGTH) return licenseRef(text.slice(0, 64));

  // Segments split at `, and` / `, or`, which bind loosest, left to right.
  const parts = text.split(/,\s*(and|or)\s+/i);
  let expression = convertSegment(parts[0]!);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const operator = parts[i]!.toUpperCase();
    const next = convertSegment(parts[i + 1]!);
    expression = `${bracket(expression)} ${operator} ${bracket(next)}`;
  }
  return expression;
}

/** Converts `A or B and C with X exception` (no commas) into an SPDX expression with the same precedence. */
function convertSegment(segment: string): string {
  const words = segment.split(' ').filter((word) => word !== '' && word !== ',');
  const output: string[] = [];
  let term: string[] = [];
  const flush = () => {
    if (term.length > 0) output.push(convertTerm(term));
    term = [];
  };
  for (const word of words) {
    if (/^(and|or)$/i.test(word)) {
      flush();
      output.push(word.toUpperCase());
    } else {
      term.push(word.replace(/,$/, ''));
    }
  }
  flush();
  // A dangling operator (`GPL-2+ and`) is dropped rather than written as an invalid expression.
  while (output.length > 0 && /^(AND|OR)$/.test(output[output.length - 1]!)) output.pop();
  while (output.length > 0 && /^(AND|OR)$/.test(output[0]!)) output.shift();
  return output.join(' ').replace(/ (AND|OR)(?: (?:AND|OR))+ /g, ' $1 ');
}

/** Converts one licence with an optional `with <name> exception` clause. */
function convertTerm(words: string[]): string {
  const withIndex = words.findIndex((word) => word.toLowerCase() === 'with');
  const name = (withIndex < 0 ? words : words.slice(0, withIndex)).join(' ');
  const whole = words.join(' ');
  const id = name.includes(' ') ? undefined : spdxFromDebianName(name);
  if (withIndex < 0) return id === undefined ? licenseRef(name) : bracket(id);

  const exceptionWords = words.slice(withIndex + 1);
  if (exceptionWords.length > 0 && exceptionWords[exceptionWords.length - 1]!.toLowerCase() === 'exception') exceptionWords.pop();
  const exception = id !== undefined && !id.includes(' ') && exceptionWords.length === 1 ? spdxException(exceptionWords[0]!, id) : undefined;
  // An exception without an SPDX id cannot be written as `WITH LicenseRef-…` in SPDX 2.3, so the
  // whole licence becomes one reference.
  return exception === undefined ? licenseRef(whole) : `${id} WITH ${exception}`;
}

function bracket(expression: string): string {
  return / (AND|OR) /.test(expression) ? `(${expression})` : expression;
}
