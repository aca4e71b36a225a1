import parseSpdxExpression from 'spdx-expression-parse';
import correctSpdxLicense from 'spdx-correct';

/** A licence in SPDX terms: a valid SPDX expression, or the original text when none fits. */
export type NormalizedLicense = { expression: string } | { name: string };

/** The longest licence string parsed; longer text is kept as a name, which bounds the work on hostile input. */
const MAX_LICENSE_LENGTH = 500;

/**
 * Turns a licence string from package metadata into an SPDX expression: valid expressions stay as
 * they are, lower-case `and`/`or`, `&` and `|` become operators, and each licence is corrected with
 * spdx-correct (`Apache 2.0` → `Apache-2.0`, `GPL-2+` → `GPL-2.0-or-later`). Text that is still no
 * valid expression is returned as a name, so no licence is dropped.
 */
export function normalizeLicense(raw: string): NormalizedLicense {
  const text = raw.trim();
  if (text === '' || text.length > MAX_LICENSE_LENGTH) return { name: text };
  // spdx-expression-parse accepts lower-case operators, but SPDX writes them in upper case.
  const spaced = text
    .replace(/\s+(and|AND|&)\s+/g, ' AND ')
    .replace(/\s+(or|OR|\|)\s+/g, ' OR ')
    .replace(/\s+(with|WITH)\s+/g, ' WITH ');
  if (isValidExpression(spaced)) return { expression: spaced };

  const tokens = spaced
    .split(/(\(|\)| AND | OR | WITH )/)
    .filter((token) => token.trim() !== '');
  const corrected = tokens.map((token) => (/^(\(|\)| AND | OR | WITH )$/.test(token) ? token : correctLicenseId(token.trim())));
  if (corrected.every((token) => token !== undefined)) {
    const expression = corrected.join('');
    if (isValidExpression(expression)) return { expression };
  }
  return { name: text };
}

/** Normalizes a package's licences, without duplicates and sorted. */
export function licenseExpressionOf(licenses: readonly string[] | undefined): NormalizedLicense[] {
  return [...new Set(licenses ?? [])].sort().map(normalizeLicense);
}

function isValidExpression(text: string): boolean {
  try {
    parseSpdxExpression(text);
    return true;
  } catch {
    return false;
  }
}

function correctLicenseId(token: string): string | undefined {
  if (isValidExpression(token)) return token;
  // spdx-correct drops a trailing `+` ("or any later version"), so it is handled here.
  const orLater = token.endsWith('+');
  const base = orLater ? token.slice(0, -1) : token;
  const id = correctSpdxLicense(base, { upgrade: true });
  if (id === null) return undefined;
  if (!orLater) return id;
  if (id.endsWith('-only')) return `${id.slice(0, -'-only'.length)}-or-later`;
  if (id.endsWith('-or-later')) return id;
  return `${id}+`;
}

/**
 * Returns one SPDX expression for all of a package's licences (joined with AND, each operand in
 * brackets when compound), or undefined when some licence has no SPDX form.
 */
export function combinedExpression(licenses: readonly string[] | undefined): string | undefined {
  const normalized = licenseExpressionOf(licenses);
  if (normalized.length === 0) return undefined;
  const expressions: string[] = [];
  for (const license of normalized) {
    if (!('expression' in license)) return undefined;
    expressions.push(license.expression);
  }
  if (expressions.length === 1) return expressions[0];
  return expressions.map((expression) => (/\s/.test(expression) ? `(${expression})` : expression)).join(' AND ');
}
