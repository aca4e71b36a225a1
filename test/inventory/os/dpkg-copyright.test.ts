import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { dpkgCopyrightAnalyzer, parseDebianCopyright } from '../../../src/inventory/os/dpkg-copyright.js';
import { testImages } from '../../helpers/test-images.js';

const DEP5_HEADER = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: demo\n';

test('DEP-5 Files and License paragraphs', () => {
  const text = `${DEP5_HEADER}
Files: *
Copyright: 2020 Someone
License: GPL-2+
 This program is free software.

Files: lib/*
Copyright: 2021 Other
License: Expat or GPL-2+

License: GPL-2+
 On Debian systems, see /usr/share/common-licenses/GPL-2.

License: Zlib
 Text of a licence that no Files paragraph names.
`;
  assert.deepEqual(parseDebianCopyright(text), ['GPL-2.0-or-later', 'MIT OR GPL-2.0-or-later', 'Zlib']);
});

test('DEP-5 header License field counts', () => {
  assert.deepEqual(parseDebianCopyright(`${DEP5_HEADER}License: BSD-3-clause\n\nFiles: *\nCopyright: x\nLicense: MIT-like\n`), ['BSD-3-Clause', 'LicenseRef-MIT-like']);
});

test('DEP-5 draft Format URL is machine-readable', () => {
  const text = 'Format: http://svn.debian.org/wsvn/dep/web/deps/dep5.mdwn?op=file&rev=174\n\nFiles: *\nCopyright: x\nLicense: LGPL-2.1+\n';
  assert.deepEqual(parseDebianCopyright(text), ['LGPL-2.1-or-later']);
});

test('free-form file with common-licenses references', () => {
  const text = [
    'Copyright (C) 2000 Someone.',
    'This library is free software; you can redistribute it under the terms of the',
    'GNU Lesser General Public License, version 2.1 of the License, or (at your option) any later version.',
    'See /usr/share/common-licenses/LGPL-2.1.',
    '',
    'The utilities are under the GNU General Public License version 2, found in',
    '/usr/share/common-licenses/GPL-2.',
    'The manual is under /usr/share/common-licenses/GFDL-1.3 as well.',
    'Some files are under the Artistic licence: /usr/share/common-licenses/Artistic',
  ].join('\n');
  assert.deepEqual(parseDebianCopyright(text), ['LGPL-2.1-or-later', 'GPL-2.0-only', 'GFDL-1.3-only', 'Artistic-1.0-Perl']);
});

test('unversioned GPL reference takes the stated version', () => {
  const text = 'under the GNU GPL, either version 2 of the License, or (at your option) any later version.\nSee `/usr/share/common-licenses/GPL\'.';
  assert.deepEqual(parseDebianCopyright(text), ['GPL-2.0-or-later']);
});

test('unversioned GPL reference without a version', () => {
  assert.deepEqual(parseDebianCopyright('See /usr/share/common-licenses/GPL for the text.'), ['LicenseRef-GPL']);
});

test('file without licence information', () => {
  assert.deepEqual(parseDebianCopyright('Copyright 2001 Someone. All rights reserved.\n'), []);
});

test('analyzer wants only doc copyright files', () => {
  const wants = (path: string) => dpkgCopyrightAnalyzer.required({ path, size: 100, mode: 0o644 });
  assert.equal(wants('usr/share/doc/bash/copyright'), true);
  assert.equal(wants('usr/share/doc/libc6:amd64/copyright'), true);
  assert.equal(wants('usr/share/doc/bash/changelog.gz'), false);
  assert.equal(wants('usr/share/doc/bash/examples/copyright'), false);
  assert.equal(wants('usr/local/share/doc/bash/copyright'), false);
});

test('analyzer strips the architecture from the name', async () => {
  const content = Buffer.from(`${DEP5_HEADER}\nFiles: *\nCopyright: x\nLicense: LGPL-2.1+\n`);
  const output = await dpkgCopyrightAnalyzer.analyze({ info: { path: 'usr/share/doc/libfoo1:arm64/copyright', size: content.length, mode: 0o644 }, content });
  assert.deepEqual(output.packageLicenses, [{ type: 'dpkg', name: 'libfoo1', licenses: ['LGPL-2.1-or-later'] }]);
});

/**
 * [package, licences] for copyright files of the debootstrap Debian 12 image, as read from each
 * file: bash, coreutils, dpkg and tar are DEP-5 (every License synopsis in order), base-files and
 * libc6 are free-form and point to /usr/share/common-licenses with "any later version".
 */
const REAL_PACKAGES: Array<[string, string[]]> = [
  ['base-files', ['GPL-2.0-or-later']],
  ['libc6', ['LGPL-2.1-or-later', 'GPL-2.0-or-later']],
  ['dpkg', ['GPL-2.0-or-later', 'GPL-2.0-only', 'BSD-2-Clause', 'LicenseRef-public-domain-s-s-d']],
  ['tar', ['GPL-3.0-or-later', 'GPL-3.0-or-later WITH Bison-exception-2.2', 'LGPL-3.0-or-later', 'GPL-2.0-or-later']],
  ['coreutils', ['GPL-3.0-or-later', 'GPL-3.0-or-later AND BSD-4-Clause-UC', 'BSD-4-Clause-UC', 'GPL-3.0-or-later AND ISC', 'ISC', 'FSFULLR', 'GFDL-1.3-no-invariants-only']],
  [
    'bash',
    [
      'GPL-3.0-or-later',
      'GPL-3.0-or-later WITH Bison-exception-2.2',
      'GPL-2.0-or-later',
      'GFDL-1.3-no-invariants-only',
      'Latex2e',
      'BSD-4-Clause-UC AND LicenseRef-MIT-like',
      'BSD-4-Clause-UC',
      'LicenseRef-MIT-like',
      'LicenseRef-permissive',
    ],
  ],
];

const images = testImages();

test('copyright files of the Debian image', { skip: images.skip }, () => {
  for (const [name, expected] of REAL_PACKAGES) {
    const path = join(images.rootfs, 'usr/share/doc', name, 'copyright');
    assert.ok(existsSync(path), `${path} is missing`);
    assert.deepEqual(parseDebianCopyright(readFileSync(path, 'utf8')), expected, name);
  }
});
