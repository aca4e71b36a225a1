import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { OsInfo } from '../../../src/model/os.js';
import { osInfoFromOsRelease, parseKeyValueLines } from '../../../src/inventory/os/os-release.js';
import { parseReleaseFile } from '../../../src/inventory/os/release-files.js';
import { resolveOs, type OsCandidate } from '../../../src/inventory/os/resolve-os.js';
import { sharedPath } from '../../helpers/shared.js';

function candidate(path: string, text: string): OsCandidate {
  let os: OsInfo | undefined;
  if (path.endsWith('os-release')) {
    os = osInfoFromOsRelease(parseKeyValueLines(text), path);
  } else {
    const result = parseReleaseFile(path, text);
    if ('os' in result) os = result.os;
  }
  assert.ok(os !== undefined, `test input ${path} does not parse`);
  return { path, os };
}

const DEBIAN_12 = 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';

test('resolveOs without candidates', () => {
  assert.equal(resolveOs([]), undefined);
});

test('resolveOs debian point release', () => {
  const os = resolveOs([candidate('etc/debian_version', '12.5\n'), candidate('etc/os-release', DEBIAN_12)]);
  assert.equal(os?.family, 'debian');
  assert.equal(os?.version, '12.5');
  assert.equal(os?.codename, 'bookworm');
  assert.equal(os?.path, 'etc/os-release');
});

test('resolveOs debian_version of another major', () => {
  const os = resolveOs([candidate('etc/os-release', DEBIAN_12), candidate('etc/debian_version', '11.9\n')]);
  assert.equal(os?.version, '12');
});

test('resolveOs debian testing keeps code name', () => {
  const sid = 'ID=debian\nVERSION_CODENAME=trixie\nPRETTY_NAME="Debian GNU/Linux trixie/sid"\n';
  const os = resolveOs([candidate('etc/os-release', sid), candidate('etc/debian_version', 'trixie/sid\n')]);
  assert.equal(os?.version, 'trixie');
  assert.equal(os?.codename, 'trixie');
});

test('resolveOs ubuntu ignores debian_version', () => {
  const ubuntu = 'ID=ubuntu\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\n';
  const os = resolveOs([candidate('etc/debian_version', 'trixie/sid\n'), candidate('etc/os-release', ubuntu)]);
  assert.equal(os?.family, 'ubuntu');
  assert.equal(os?.version, '24.04');
  assert.equal(os?.codename, 'noble');
});

test('resolveOs lsb-release beats debian_version', () => {
  const lsb = 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=10.04\nDISTRIB_CODENAME=lucid\n';
  const os = resolveOs([candidate('etc/debian_version', 'squeeze/sid\n'), candidate('etc/lsb-release', lsb)]);
  assert.equal(os?.family, 'ubuntu');
  assert.equal(os?.version, '10.04');
});

test('resolveOs etc before usr/lib os-release', () => {
  const os = resolveOs([candidate('usr/lib/os-release', 'ID=fedora\nVERSION_ID=39\n'), candidate('etc/os-release', 'ID=fedora\nVERSION_ID=40\n')]);
  assert.equal(os?.version, '40');
  assert.equal(os?.path, 'etc/os-release');
});

test('resolveOs vendor file beats redhat-release', () => {
  const os = resolveOs([
    candidate('etc/redhat-release', 'Red Hat Enterprise Linux release 8.9 (Ootpa)\n'),
    candidate('etc/system-release', 'Red Hat Enterprise Linux release 8.9 (Ootpa)\n'),
    candidate('etc/oracle-release', 'Oracle Linux Server release 8.9\n'),
  ]);
  assert.equal(os?.family, 'ol');
  assert.equal(os?.path, 'etc/oracle-release');
});

test('resolveOs does not change its input', () => {
  const primary = candidate('etc/os-release', DEBIAN_12);
  resolveOs([primary, candidate('etc/debian_version', '12.5\n')]);
  assert.equal(primary.os.version, '12');
});

const glpi = sharedPath('fixtures', 'dpkg', 'debian-9-glpi', 'etc', 'debian_version');
test('resolveOs debian_version alone', { skip: glpi.skip }, () => {
  const os = resolveOs([candidate('etc/debian_version', readFileSync(glpi.path, 'utf8'))]);
  assert.equal(os?.family, 'debian');
  assert.equal(os?.version, '9.12');
  assert.equal(os?.codename, 'stretch');
});

/** os-release files that sit beside package databases: [fixture folder path, family, version]. */
const BESIDE_DATABASES: Array<[string[], string, string]> = [
  [['dpkg', 'ubuntu-22.04', 'usr', 'lib', 'os-release'], 'ubuntu', '22.04'],
  [['dpkg', 'ubuntu-20.04-armhf', 'usr', 'lib', 'os-release'], 'ubuntu', '20.04'],
  [['dpkg', 'debian-10-drupal', 'usr', 'lib', 'os-release'], 'debian', '10'],
  [['dpkg', 'debian-12-nginx-langflow', 'usr', 'lib', 'os-release'], 'debian', '12'],
  [['apk', 'alpine-3.7.0_snyk', 'etc', 'os-release'], 'alpine', '3.7.0'],
  [['rpm', 'fedora-26-bdb_scancode', 'usr', 'lib', 'os-release'], 'fedora', '26'],
];

for (const [parts, family, version] of BESIDE_DATABASES) {
  const file = sharedPath('fixtures', ...parts);
  test(`resolveOs ${parts[1]} os-release`, { skip: file.skip }, () => {
    const os = resolveOs([candidate('usr/lib/os-release', readFileSync(file.path, 'utf8'))]);
    assert.equal(os?.family, family);
    assert.equal(os?.version, version);
  });
}
