import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osAnalyzers } from '../../../src/inventory/os/index.js';

test('osAnalyzers ids are unique', () => {
  const ids = osAnalyzers.map((analyzer) => analyzer.id);
  assert.deepEqual(ids, ['os-release', 'release-files', 'dpkg', 'dpkg-copyright', 'apk', 'rpmdb']);
  assert.equal(new Set(ids).size, ids.length);
});

/** [path, id of the one analyzer that wants it]. */
const ROUTES: Array<[string, string]> = [
  ['etc/os-release', 'os-release'],
  ['usr/lib/os-release', 'os-release'],
  ['etc/debian_version', 'release-files'],
  ['etc/redhat-release', 'release-files'],
  ['var/lib/dpkg/status', 'dpkg'],
  ['var/lib/dpkg/status.d/tzdata', 'dpkg'],
  ['usr/share/doc/bash/copyright', 'dpkg-copyright'],
  ['lib/apk/db/installed', 'apk'],
  ['var/lib/rpm/Packages', 'rpmdb'],
  ['usr/lib/sysimage/rpm/rpmdb.sqlite', 'rpmdb'],
];

for (const [path, id] of ROUTES) {
  test(`osAnalyzers route ${path}`, () => {
    const wanting = osAnalyzers.filter((analyzer) => analyzer.required({ path, size: 1000, mode: 0o644 })).map((analyzer) => analyzer.id);
    assert.deepEqual(wanting, [id]);
  });
}

test('osAnalyzers ignore other files', () => {
  for (const path of ['etc/passwd', 'usr/bin/dpkg', 'var/lib/dpkg/info/bash.list', 'lib/apk/db/scripts.tar']) {
    assert.deepEqual(osAnalyzers.filter((analyzer) => analyzer.required({ path, size: 1000, mode: 0o644 })), [], path);
  }
});

test('osAnalyzers output survives JSON', async () => {
  const content = Buffer.from('P:zlib\nV:1.2.13-r1\n');
  for (const analyzer of osAnalyzers) {
    const output = await analyzer.analyze({ info: { path: 'lib/apk/db/installed', size: content.length, mode: 0o644 }, content });
    assert.deepEqual(JSON.parse(JSON.stringify(output)), output, analyzer.id);
  }
});
