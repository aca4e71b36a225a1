import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readSbom } from '../../src/sbom/read-sbom.js';
import { parseSpdxTagValue } from '../../src/sbom/spdx-tag-value-parser.js';

/**
 * A Trivy-style tag-value document of a Debian rootfs. The binary package names its source package
 * only in PackageSourceInfo, and a file section follows the last package, which is where writers
 * that list files after all packages put it.
 */
const TRIVY_TAG_VALUE = `SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: rootfs
DocumentNamespace: http://aquasecurity.github.io/trivy/filesystem/rootfs-1
Creator: Tool: trivy-0.50.0
Created: 2024-01-01T00:00:00Z

##### Package: debian

PackageName: debian
SPDXID: SPDXRef-OperatingSystem-1
PackageVersion: 10.13
PackageDownloadLocation: NONE
PrimaryPackagePurpose: OPERATING-SYSTEM

##### Package: libssl1.1

PackageName: libssl1.1
SPDXID: SPDXRef-Package-2
PackageVersion: 1.1.1d-0+deb10u4
PackageDownloadLocation: NONE
PackageSourceInfo: built package from: openssl 1.1.1d-0+deb10u4
ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/libssl1.1@1.1.1d-0%2Bdeb10u4?arch=amd64&distro=debian-10.13
PrimaryPackagePurpose: LIBRARY

##### File: usr/lib/x86_64-linux-gnu/libssl.so.1.1

FileName: usr/lib/x86_64-linux-gnu/libssl.so.1.1
SPDXID: SPDXRef-File-9
FileChecksum: SHA1: 0123456789abcdef0123456789abcdef01234567
LicenseConcluded: NOASSERTION

##### Annotations

Annotator: Tool: trivy-0.50.0
AnnotationDate: 2024-01-01T00:00:00Z
AnnotationType: OTHER
SPDXREF: SPDXRef-Package-2
AnnotationComment: PkgType: debian

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-OperatingSystem-1
Relationship: SPDXRef-OperatingSystem-1 CONTAINS SPDXRef-Package-2
Relationship: SPDXRef-Package-2 CONTAINS SPDXRef-File-9
`;

describe('parseSpdxTagValue', () => {
  it('keeps the package SPDXID after a file section', () => {
    const document = parseSpdxTagValue(TRIVY_TAG_VALUE);
    const packages = document.packages as Array<Record<string, unknown>>;
    assert.deepEqual(packages.map((pkg) => pkg.SPDXID), ['SPDXRef-OperatingSystem-1', 'SPDXRef-Package-2']);
    assert.equal(document.SPDXID, 'SPDXRef-DOCUMENT');
  });

  it('attaches annotations after a file section', () => {
    const packages = parseSpdxTagValue(TRIVY_TAG_VALUE).packages as Array<Record<string, unknown>>;
    assert.deepEqual(packages[1]?.annotations, [{ comment: 'PkgType: debian' }]);
  });

  it('reads PackageSourceInfo', () => {
    const packages = parseSpdxTagValue(TRIVY_TAG_VALUE).packages as Array<Record<string, unknown>>;
    assert.equal(packages[1]?.sourceInfo, 'built package from: openssl 1.1.1d-0+deb10u4');
  });

  it('gives the source package to the reader', () => {
    const sbom = readSbom(TRIVY_TAG_VALUE, { source: 'rootfs.spdx' });
    const [libssl] = sbom.packageSets.flatMap((set) => set.packages);
    assert.equal(libssl?.name, 'libssl1.1');
    assert.equal(libssl?.srcName, 'openssl');
    assert.equal(libssl?.srcVersion, '1.1.1d-0+deb10u4');
  });

  it('ignores SPDXID of snippets and licences', () => {
    const text = [
      'SPDXVersion: SPDX-2.3',
      'SPDXID: SPDXRef-DOCUMENT',
      'PackageName: a',
      'SPDXID: SPDXRef-a',
      'SnippetSPDXID: SPDXRef-Snippet-1',
      'SnippetFromFileSPDXID: SPDXRef-File-1',
      'LicenseID: LicenseRef-x',
      'ExtractedText: <text>text',
      'SPDXID: in text</text>',
      '',
    ].join('\n');
    const packages = parseSpdxTagValue(text).packages as Array<Record<string, unknown>>;
    assert.deepEqual(packages.map((pkg) => pkg.SPDXID), ['SPDXRef-a']);
  });
});
