import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReleaseFile, releaseFilesAnalyzer } from '../../../src/inventory/os/release-files.js';
import { sharedPath } from '../../helpers/shared.js';

/** [path, content, family, version, codename]: release-file lines as the distributions write them. */
const CASES: Array<[string, string, string, string, string | undefined]> = [
  ['etc/alpine-release', '3.15.4\n', 'alpine', '3.15.4', undefined],
  ['etc/alpine-release', '3.19_alpha20230901\n', 'alpine', 'edge', undefined],
  ['etc/debian_version', '12.5\n', 'debian', '12.5', 'bookworm'],
  ['etc/debian_version', 'trixie/sid\n', 'debian', 'trixie', 'trixie'],
  ['etc/redhat-release', 'Red Hat Enterprise Linux release 9.3 (Plow)\n', 'rhel', '9.3', undefined],
  ['etc/centos-release', 'CentOS Linux release 7.9.2009 (Core)\n', 'centos', '7.9.2009', undefined],
  ['etc/centos-release', 'CentOS release 6.10 (Final)\n', 'centos', '6.10', undefined],
  ['etc/fedora-release', 'Fedora release 26 (Twenty Six)\n', 'fedora', '26', undefined],
  ['etc/system-release', 'Amazon Linux AMI release 2018.03\n', 'amzn', '2018.03', undefined],
  ['etc/system-release', 'Amazon Linux release 2 (Karoo)\n', 'amzn', '2', undefined],
  ['etc/rocky-release', 'Rocky Linux release 8.4 (Green Obsidian)\n', 'rocky', '8.4', undefined],
  ['etc/almalinux-release', 'AlmaLinux release 9.2 (Turquoise Kodkod)\n', 'almalinux', '9.2', undefined],
  ['etc/oracle-release', 'Oracle Linux Server release 7.9\n', 'ol', '7.9', undefined],
  ['etc/SuSE-release', 'SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n', 'sles', '11.4', undefined],
  ['etc/SuSE-release', 'SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 0\n', 'sles', '12', undefined],
  ['etc/SuSE-release', 'openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n', 'opensuse', '13.2', undefined],
  ['etc/SuSE-release', 'openSUSE 42.3 (x86_64)\nVERSION = 42.3\nCODENAME = Malachite\n', 'opensuse-leap', '42.3', undefined],
  ['etc/photon-release', 'VMware Photon OS 2.0\nPHOTON_BUILD_NUMBER=304b817\n', 'photon', '2.0', undefined],
  ['etc/photon-release', 'VMware Photon Linux 1.0\nPHOTON_BUILD_NUMBER=62c543d\n', 'photon', '1.0', undefined],
  ['etc/lsb-release', 'DISTRIB_ID=Ubuntu\r\nDISTRIB_RELEASE=14.04\r\nDISTRIB_DESCRIPTION="Ubuntu 14.04.6 LTS"\r\n', 'ubuntu', '14.04', 'trusty'],
];

for (const [path, content, family, version, codename] of CASES) {
  test(`release file ${path} ${JSON.stringify(content.split('\n')[0])}`, () => {
    const result = parseReleaseFile(path, content);
    assert.ok('os' in result, 'problem' in result ? result.problem : 'no result');
    assert.equal(result.os.family, family);
    assert.equal(result.os.version, version);
    assert.equal(result.os.codename, codename);
    assert.equal(result.os.path, path);
  });
}

/** [path, content]: files that must yield a problem, never a guess. */
const INVALID: Array<[string, string]> = [
  ['etc/alpine-release', 'not a version\n'],
  ['etc/debian_version', '\n'],
  ['etc/redhat-release', 'Scientific Linux release 7.9 (Nitrogen)\n'],
  ['etc/redhat-release', 'garbage without the keyword\n'],
  ['etc/SuSE-release', 'SUSE Linux Enterprise Server 11 (x86_64)\n'],
  ['etc/photon-release', 'something else\n'],
  ['etc/lsb-release', 'DISTRIB_DESCRIPTION="nothing else"\n'],
];

for (const [path, content] of INVALID) {
  test(`release file ${path} invalid ${JSON.stringify(content.trim())}`, () => {
    const result = parseReleaseFile(path, content);
    assert.ok('problem' in result);
    assert.ok(result.problem.length > 0);
  });
}

test('release files analyzer turns problems into diagnostics', async () => {
  const content = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a]);
  const output = await releaseFilesAnalyzer.analyze({ info: { path: 'etc/redhat-release', size: content.length, mode: 0o644 }, content });
  assert.equal(output.os, undefined);
  assert.equal(output.diagnostics?.length, 1);
  assert.equal(output.diagnostics?.[0]?.code, 'FORMAT_INVALID');
  assert.equal(output.diagnostics?.[0]?.target, 'etc/redhat-release');
});

test('release files required paths', () => {
  const wants = (path: string): boolean => releaseFilesAnalyzer.required({ path, size: 10, mode: 0o644 });
  assert.equal(wants('etc/debian_version'), true);
  assert.equal(wants('etc/SuSE-release'), true);
  assert.equal(wants('etc/os-release'), false);
  assert.equal(wants('etc/suse-release'), false);
  assert.equal(wants('var/etc/redhat-release'), false);
});

const alpineFixtures: Array<[string, string]> = [
  ['alpine-2.6.6_snyk', '2.6.6'],
  ['alpine-3.4.6_haconiwa', '3.4.6'],
  ['alpine-3.6.0_docker-free-rootfs', '3.6.0'],
  ['alpine-3.15.4_scancode-rootfs', '3.15.4'],
  ['alpine-3.16.0-armv7_granby', '3.16.0'],
];

for (const [folder, version] of alpineFixtures) {
  const file = sharedPath('fixtures', 'apk', folder, 'etc', 'alpine-release');
  test(`release file alpine-release of ${folder}`, { skip: file.skip }, () => {
    const result = parseReleaseFile('etc/alpine-release', readFileSync(file.path, 'utf8'));
    assert.ok('os' in result);
    assert.equal(result.os.version, version);
  });
}

const debianVersion = sharedPath('fixtures', 'dpkg', 'debian-9-glpi', 'etc', 'debian_version');
test('release file debian_version of debian-9-glpi', { skip: debianVersion.skip }, () => {
  const result = parseReleaseFile('etc/debian_version', readFileSync(debianVersion.path, 'utf8'));
  assert.ok('os' in result);
  assert.equal(result.os.version, '9.12');
  assert.equal(result.os.codename, 'stretch');
});
