import assert from 'node:assert/strict';
import { test } from 'node:test';

import { combinedExpression, normalizeLicense } from '../../src/sbom/licenses.js';

// Licence strings as package metadata writes them (npm `license`, Python `License:`, apk `L:`,
// DEP-5 `License:`), and the SPDX form expected for each.
const CASES: Array<[string, { expression: string } | { name: string }]> = [
  ['MIT', { expression: 'MIT' }],
  ['Apache-2.0 WITH LLVM-exception', { expression: 'Apache-2.0 WITH LLVM-exception' }],
  ['(MIT OR Apache-2.0)', { expression: '(MIT OR Apache-2.0)' }],
  ['Apache 2.0', { expression: 'Apache-2.0' }],
  ['GPL-2+', { expression: 'GPL-2.0-or-later' }],
  ['GPL-2.0-or-later or BSD-3-clause', { expression: 'GPL-2.0-or-later OR BSD-3-Clause' }],
  ['Artistic or GPL-1+', { expression: 'Artistic-2.0 OR GPL-1.0-or-later' }],
  ['MIT and ISC', { expression: 'MIT AND ISC' }],
  ['public-domain', { name: 'public-domain' }],
  ['', { name: '' }],
];

test('normalizeLicense table', () => {
  for (const [raw, expected] of CASES) assert.deepEqual(normalizeLicense(raw), expected, raw);
});

test('combinedExpression joins with AND', () => {
  assert.equal(combinedExpression(['MIT', 'Apache 2.0']), 'Apache-2.0 AND MIT');
  assert.equal(combinedExpression(['MIT OR ISC', 'BSD-3-Clause']), 'BSD-3-Clause AND (MIT OR ISC)');
  assert.equal(combinedExpression(['MIT', 'MIT']), 'MIT');
});

test('combinedExpression without SPDX form', () => {
  assert.equal(combinedExpression(['MIT', 'public-domain']), undefined);
  assert.equal(combinedExpression([]), undefined);
  assert.equal(combinedExpression(undefined), undefined);
});
