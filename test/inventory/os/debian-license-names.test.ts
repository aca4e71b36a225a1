import assert from 'node:assert/strict';
import { test } from 'node:test';

import parseSpdxExpression from 'spdx-expression-parse';

import { licenseRef, spdxException, spdxFromDebianName } from '../../../src/inventory/os/debian-license-names.js';

/** [Debian short name, SPDX expression]: DEP-5 names with and without versions and `+`, and SPDX ids in other case. */
const NAMES: Array<[string, string]> = [
  ['GPL-2+', 'GPL-2.0-or-later'],
  ['GPL-2', 'GPL-2.0-only'],
  ['GPL-2.0+', 'GPL-2.0-or-later'],
  ['GPL-3', 'GPL-3.0-only'],
  ['gpl-3+', 'GPL-3.0-or-later'],
  ['GPL-1+', 'GPL-1.0-or-later'],
  ['LGPL-2.1+', 'LGPL-2.1-or-later'],
  ['LGPL-2', 'LGPL-2.0-only'],
  ['LGPL-3+', 'LGPL-3.0-or-later'],
  ['GFDL-1.2', 'GFDL-1.2-only'],
  ['GFDL-NIV-1.3', 'GFDL-1.3-no-invariants-only'],
  ['GFDL-NIV-1.3+', 'GFDL-1.3-no-invariants-or-later'],
  ['BSD-2-clause', 'BSD-2-Clause'],
  ['BSD-3-clause', 'BSD-3-Clause'],
  ['BSD-4-clause', 'BSD-4-Clause'],
  ['BSD-4-clause-UC', 'BSD-4-Clause-UC'],
  ['Expat', 'MIT'],
  ['Artistic', 'Artistic-1.0-Perl'],
  ['Artistic-2.0', 'Artistic-2.0'],
  ['Perl', 'GPL-1.0-or-later OR Artistic-1.0-Perl'],
  ['Apache-2.0', 'Apache-2.0'],
  ['Apache-2', 'Apache-2.0'],
  ['MPL-1.1', 'MPL-1.1'],
  ['MPL-2.0+', 'MPL-2.0+'],
  ['CC0-1.0', 'CC0-1.0'],
  ['CC-BY-SA-3.0', 'CC-BY-SA-3.0'],
  ['CDDL-1.0', 'CDDL-1.0'],
  ['Zlib', 'Zlib'],
  ['Zope-2.1', 'ZPL-2.1'],
  ['LPPL-1.3c', 'LPPL-1.3c'],
  ['ISC', 'ISC'],
  ['isc', 'ISC'],
  ['FSFULLR', 'FSFULLR'],
];

/** Names with no SPDX id, which must never be guessed. */
const UNKNOWN = ['public-domain', 'MIT-like', 'permissive', 'GPL', 'BSD-variant', 'GPL-4+', 'Apache-3.0', 'BSD-3-clause-Cambridge'];

test('Debian short names map to SPDX ids', () => {
  for (const [name, expected] of NAMES) assert.equal(spdxFromDebianName(name), expected, name);
});

test('every mapped name is a valid SPDX expression', () => {
  for (const [name] of NAMES) assert.doesNotThrow(() => parseSpdxExpression(spdxFromDebianName(name)!), name);
});

test('unknown Debian names have no SPDX id', () => {
  for (const name of UNKNOWN) assert.equal(spdxFromDebianName(name), undefined, name);
});

test('exceptions depend on the GPL version', () => {
  assert.equal(spdxException('Bison', 'GPL-3.0-or-later'), 'Bison-exception-2.2');
  assert.equal(spdxException('GCC', 'GPL-3.0-or-later'), 'GCC-exception-3.1');
  assert.equal(spdxException('GCC', 'GPL-2.0-only'), 'GCC-exception-2.0');
  assert.equal(spdxException('Autoconf', 'GPL-3.0-or-later'), 'Autoconf-exception-3.0');
  assert.equal(spdxException('Linux-syscall-note', 'GPL-2.0-only'), 'Linux-syscall-note');
  assert.equal(spdxException('OpenSSL', 'GPL-2.0-or-later'), undefined);
  assert.equal(spdxException('GCC', 'LGPL-2.1-only'), undefined);
});

test('licenseRef keeps only SPDX idstring characters', () => {
  assert.equal(licenseRef('public-domain'), 'LicenseRef-public-domain');
  assert.equal(licenseRef('GPL-2+ with OpenSSL exception'), 'LicenseRef-GPL-2-with-OpenSSL-exception');
  assert.equal(licenseRef('+++'), 'LicenseRef-unnamed');
  assert.doesNotThrow(() => parseSpdxExpression(licenseRef('a b/c*d')));
});
