import assert from 'node:assert/strict';
import { test } from 'node:test';

import parseSpdxExpression from 'spdx-expression-parse';

import { dep5LicenseExpression } from '../../../src/inventory/os/dep5-license-expression.js';

/** [DEP-5 License synopsis, SPDX expression]. */
const CASES: Array<[string, string]> = [
  ['GPL-2+', 'GPL-2.0-or-later'],
  ['GPL-3+ with Bison exception', 'GPL-3.0-or-later WITH Bison-exception-2.2'],
  ['GPL-2+ with OpenSSL exception', 'LicenseRef-GPL-2-with-OpenSSL-exception'],
  ['GPL-3+ and BSD-4-clause-UC', 'GPL-3.0-or-later AND BSD-4-Clause-UC'],
  ['BSD-4-clause-UC and MIT-like', 'BSD-4-Clause-UC AND LicenseRef-MIT-like'],
  ['LGPL-3+ or GPL-2+', 'LGPL-3.0-or-later OR GPL-2.0-or-later'],
  ['GPL-2+ or Artistic-2.0, and BSD-3-clause', '(GPL-2.0-or-later OR Artistic-2.0) AND BSD-3-Clause'],
  ['GPL-2+ and BSD-3-clause, or MIT', '(GPL-2.0-or-later AND BSD-3-Clause) OR MIT'],
  ['Perl and MIT', '(GPL-1.0-or-later OR Artistic-1.0-Perl) AND MIT'],
  ['GPL-2+ and', 'GPL-2.0-or-later'],
  ['  Expat  ', 'MIT'],
];

test('DEP-5 synopses become SPDX expressions', () => {
  for (const [synopsis, expected] of CASES) assert.equal(dep5LicenseExpression(synopsis), expected, synopsis);
});

test('every converted synopsis parses as SPDX', () => {
  for (const [synopsis] of CASES) assert.doesNotThrow(() => parseSpdxExpression(dep5LicenseExpression(synopsis)), synopsis);
});

test('overlong synopsis becomes one LicenseRef', () => {
  const expression = dep5LicenseExpression(`${'GPL-2+ or '.repeat(100)}MIT`);
  assert.match(expression, /^LicenseRef-[A-Za-z0-9.-]+$/);
});
