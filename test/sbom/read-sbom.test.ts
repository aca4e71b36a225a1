import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readSbom } from '../../src/sbom/read-sbom.js';

/**
 * SBOM shapes of other generators, cut down to a few packages: Syft 1.x SPDX JSON (purl external
 * references, `distro` qualifier, `upstream` source package), Trivy CycloneDX JSON (an
 * operating-system component and `aquasecurity:trivy:` properties) and cdxgen CycloneDX 1.5 XML.
 */
const SYFT_SPDX = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'debian',
  documentNamespace: 'https://anchore.com/syft/image/debian-0f6b2a1c',
  creationInfo: { created: '2024-05-01T10:00:00Z', creators: ['Organization: Anchore, Inc', 'Tool: syft-1.4.1'] },
  packages: [
    {
      name: 'libc6',
      SPDXID: 'SPDXRef-Package-deb-libc6-1',
      versionInfo: '2.36-9+deb12u4',
      downloadLocation: 'NOASSERTION',
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'GPL-2.0-only AND LGPL-2.1-only',
      externalRefs: [
        { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:libc6:libc6:2.36-9+deb12u4:*:*:*:*:*:*:*' },
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12' },
      ],
    },
    {
      name: 'libsystemd0',
      SPDXID: 'SPDXRef-Package-deb-libsystemd0-2',
      versionInfo: '252.22-1~deb12u1',
      downloadLocation: 'NOASSERTION',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/libsystemd0@252.22-1~deb12u1?arch=amd64&upstream=systemd&distro=debian-12' }],
    },
    {
      name: 'debian',
      SPDXID: 'SPDXRef-DocumentRoot-Image-debian',
      versionInfo: 'sha256:3f1c',
      downloadLocation: 'NOASSERTION',
      primaryPackagePurpose: 'CONTAINER',
    },
  ],
  relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-DocumentRoot-Image-debian' }],
};

const TRIVY_CYCLONEDX = {
  $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  serialNumber: 'urn:uuid:8d2b0c9e-1111-4c3e-9c2d-0a1b2c3d4e5f',
  version: 1,
  metadata: { component: { 'bom-ref': 'pkg:oci/alpine@sha256%3Aabc', type: 'container', name: 'alpine:3.18' } },
  components: [
    {
      'bom-ref': 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=3.18.4',
      type: 'library',
      name: 'libcrypto3',
      version: '3.1.4-r0',
      licenses: [{ license: { id: 'Apache-2.0' } }],
      purl: 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=3.18.4',
      properties: [
        { name: 'aquasecurity:trivy:PkgType', value: 'alpine' },
        { name: 'aquasecurity:trivy:SrcName', value: 'openssl' },
        { name: 'aquasecurity:trivy:SrcVersion', value: '3.1.4-r0' },
        { name: 'aquasecurity:trivy:LayerDiffID', value: 'sha256:cc2447e1835a' },
      ],
    },
    { 'bom-ref': '3f2e', type: 'operating-system', name: 'alpine', version: '3.18.4' },
    {
      'bom-ref': 'pkg:npm/%40babel/core@7.22.0',
      type: 'library',
      name: 'core',
      group: '@babel',
      version: '7.22.0',
      purl: 'pkg:npm/%40babel/core@7.22.0',
      properties: [{ name: 'aquasecurity:trivy:FilePath', value: 'usr/lib/node_modules/@babel/core/package.json' }],
    },
    // Trivy's container of the packages of one language folder: no purl, and not a package.
    {
      'bom-ref': 'b1a2c3',
      type: 'application',
      name: 'usr/lib/node_modules/@babel/core/package.json',
      properties: [
        { name: 'aquasecurity:trivy:Class', value: 'lang-pkgs' },
        { name: 'aquasecurity:trivy:Type', value: 'node-pkg' },
      ],
    },
    { 'bom-ref': 'github-action', type: 'library', name: 'checkout', version: 'v4', purl: 'pkg:github/actions/checkout@v4' },
    { 'bom-ref': 'a-file', type: 'file', name: 'README.md' },
    { 'bom-ref': 'no-purl', type: 'library', name: 'vendored' },
  ],
};

const CDXGEN_XML = `<?xml version="1.0" encoding="utf-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:0b5f" version="1">
  <metadata>
    <component type="application" bom-ref="pkg:npm/app@1.0.0"><name>app</name><version>1.0.0</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:npm/semver@7.5.1">
      <name>semver</name>
      <version>7.5.1</version>
      <licenses><license><id>ISC</id></license></licenses>
      <purl>pkg:npm/semver@7.5.1</purl>
      <properties><property name="SrcFile">/app/package-lock.json</property></properties>
      <components>
        <component type="library"><name>lru-cache</name><version>6.0.0</version><purl>pkg:npm/lru-cache@6.0.0</purl></component>
      </components>
    </component>
    <component type="library"><name>requests</name><version>2.25.0</version><licenses><expression>Apache-2.0</expression></licenses><purl>pkg:pypi/requests@2.25.0</purl></component>
  </components>
</bom>
`;

const SPDX_22_TAG_VALUE = `SPDXVersion: SPDX-2.2
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: rootfs
DocumentNamespace: https://example.com/rootfs-1
Creator: Tool: example-1.0
Created: 2024-01-01T00:00:00Z

PackageName: rootfs
SPDXID: SPDXRef-Root
PackageDownloadLocation: NOASSERTION

PackageName: openssl-libs
SPDXID: SPDXRef-Package-1
PackageVersion: 1:3.0.7-25.el9_3
PackageDownloadLocation: NOASSERTION
PackageLicenseDeclared: Apache-2.0
PackageComment: <text>spans
two lines</text>
ExternalRef: PACKAGE-MANAGER purl pkg:rpm/rocky/openssl-libs@3.0.7-25.el9_3?arch=x86_64&epoch=1&distro=rocky-9.3

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Root
Relationship: SPDXRef-Root CONTAINS SPDXRef-Package-1
`;

describe('readSbom of other generators', () => {
  it('Syft SPDX JSON', () => {
    const sbom = readSbom(JSON.stringify(SYFT_SPDX), { source: 'syft.spdx.json' });
    assert.equal(sbom.format, 'spdx-json');
    assert.equal(sbom.artifactName, 'debian');
    assert.equal(sbom.isContainer, true);
    assert.deepEqual(sbom.os, { family: 'debian', version: '12' });
    assert.equal(sbom.packageSets.length, 1);
    const [set] = sbom.packageSets;
    assert.equal(set!.type, 'dpkg');
    assert.equal(set!.class, 'os-pkgs');
    const libc = set!.packages.find((pkg) => pkg.name === 'libc6');
    assert.equal(libc?.version, '2.36-9+deb12u4');
    assert.equal(libc?.srcName, 'glibc');
    assert.equal(libc?.srcVersion, undefined);
    assert.equal(libc?.arch, 'amd64');
    assert.deepEqual(libc?.licenses, ['GPL-2.0-only AND LGPL-2.1-only']);
    assert.deepEqual(sbom.diagnostics, []);
  });

  it('Trivy CycloneDX JSON', () => {
    const sbom = readSbom(JSON.stringify(TRIVY_CYCLONEDX), { source: 'trivy.cdx.json' });
    assert.equal(sbom.format, 'cyclonedx-json');
    assert.equal(sbom.specVersion, '1.5');
    assert.deepEqual(sbom.os, { family: 'alpine', version: '3.18.4' });
    assert.deepEqual(
      sbom.packageSets.map((set) => [set.class, set.type, set.target]),
      [
        ['lang-pkgs', 'node-pkg', 'usr/lib/node_modules/@babel/core/package.json'],
        ['os-pkgs', 'apk', 'lib/apk/db/installed'],
      ],
    );
    const crypto = sbom.packageSets[1]!.packages[0]!;
    assert.equal(crypto.srcName, 'openssl');
    assert.equal(crypto.srcVersion, '3.1.4-r0');
    assert.equal(crypto.layerDiffId, 'sha256:cc2447e1835a');
    assert.equal(sbom.packageSets[0]!.packages[0]!.name, '@babel/core');
    assert.deepEqual(
      sbom.diagnostics.map((diagnostic) => diagnostic.message.split(';')[0]),
      ['1 component was not scanned because of no purl', '1 component was not scanned because of purl type "github", which has no vulnerability data'],
    );
  });

  it('cdxgen CycloneDX 1.5 XML', () => {
    const sbom = readSbom(CDXGEN_XML, { source: 'cdxgen.xml' });
    assert.equal(sbom.format, 'cyclonedx-xml');
    assert.equal(sbom.specVersion, '1.5');
    assert.equal(sbom.artifactName, 'app');
    assert.equal(sbom.isContainer, false);
    const npm = sbom.packageSets.find((set) => set.type === 'node-pkg');
    assert.deepEqual(npm?.packages.map((pkg) => `${pkg.name}@${pkg.version}`), ['lru-cache@6.0.0', 'semver@7.5.1']);
    assert.deepEqual(npm?.packages.find((pkg) => pkg.name === 'semver')?.licenses, ['ISC']);
    const python = sbom.packageSets.find((set) => set.type === 'python-pkg');
    assert.deepEqual(python?.packages.map((pkg) => pkg.licenses), [['Apache-2.0']]);
  });

  it('cdxgen 12 CycloneDX 1.7 JSON and XML', () => {
    // cdxgen 12 writes CycloneDX 1.7 unless given --spec-version. The component fields the reader
    // uses are the same as in 1.6.
    const json = {
      bomFormat: 'CycloneDX',
      specVersion: '1.7',
      version: 1,
      metadata: { component: { type: 'application', name: 'paymentservice', version: '0.0.1', 'bom-ref': 'pkg:npm/paymentservice@0.0.1' } },
      components: [
        {
          type: 'library',
          group: '@google-cloud',
          name: 'profiler',
          version: '7.0.0',
          purl: 'pkg:npm/%40google-cloud/profiler@7.0.0',
          hashes: [{ alg: 'SHA-512', content: '50cb8c4793bb3ed75859e84d830170cb887f50a2f6e3dab2d7e1f626704ed7a97c615af9f2e3973aae8ec7306db35ec9c079cb92c923fd83cce1c8c91869ddff' }],
          properties: [{ name: 'SrcFile', value: 'package-lock.json' }],
          tags: ['cloud'],
        },
      ],
    };
    const fromJson = readSbom(JSON.stringify(json), { source: 'cdxgen.json' });
    assert.equal(fromJson.specVersion, '1.7');
    assert.deepEqual(fromJson.packageSets.flatMap((set) => set.packages.map((pkg) => `${pkg.name}@${pkg.version}`)), ['@google-cloud/profiler@7.0.0']);

    const xml = CDXGEN_XML.replace('schema/bom/1.5', 'schema/bom/1.7');
    const fromXml = readSbom(xml, { source: 'cdxgen.xml' });
    assert.equal(fromXml.specVersion, '1.7');
    assert.deepEqual(fromXml.packageSets.find((set) => set.type === 'node-pkg')?.packages.map((pkg) => pkg.name), ['lru-cache', 'semver']);
  });

  it('cdxgen sub-projects of the described component', () => {
    // A multi-module project: cdxgen nests the modules under metadata.component and may repeat one
    // of them in the top-level list.
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      metadata: {
        component: {
          type: 'application',
          name: 'monorepo',
          components: [
            { type: 'application', name: 'api', version: '1.2.0', purl: 'pkg:npm/api@1.2.0' },
            { type: 'application', name: 'web', version: '2.0.0', purl: 'pkg:npm/web@2.0.0' },
          ],
        },
      },
      components: [
        { type: 'library', name: 'semver', version: '7.5.1', purl: 'pkg:npm/semver@7.5.1' },
        { type: 'application', name: 'web', version: '2.0.0', purl: 'pkg:npm/web@2.0.0' },
      ],
    };
    const sbom = readSbom(JSON.stringify(bom), { source: 'cdxgen.json' });
    const names = sbom.packageSets.flatMap((set) => set.packages.map((pkg) => `${pkg.name}@${pkg.version}`)).sort();
    assert.deepEqual(names, ['api@1.2.0', 'semver@7.5.1', 'web@2.0.0']);
  });

  it('SPDX 2.2 tag-value with rpm epoch', () => {
    const sbom = readSbom(SPDX_22_TAG_VALUE, { source: 'rootfs.spdx' });
    assert.equal(sbom.format, 'spdx-tag-value');
    assert.equal(sbom.specVersion, 'SPDX-2.2');
    assert.deepEqual(sbom.os, { family: 'rocky', version: '9.3' });
    assert.equal(sbom.artifactName, 'rootfs');
    assert.deepEqual(sbom.packageSets.map((set) => [set.type, set.target]), [['rpm', 'var/lib/rpm/rpmdb.sqlite']]);
    const [openssl] = sbom.packageSets[0]!.packages;
    assert.equal(openssl?.version, '1:3.0.7-25.el9_3');
    assert.equal(openssl?.arch, 'x86_64');
    assert.deepEqual(openssl?.licenses, ['Apache-2.0']);
  });
});

describe('readSbom described packages', () => {
  it('scans the package a CycloneDX BOM describes', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      metadata: { component: { type: 'library', name: 'requests', version: '2.25.0', purl: 'pkg:pypi/requests@2.25.0' } },
      components: [{ type: 'library', name: 'idna', version: '2.10', purl: 'pkg:pypi/idna@2.10' }],
    };
    const sbom = readSbom(JSON.stringify(bom), { source: 'requests.cdx.json' });
    assert.deepEqual(sbom.packageSets.flatMap((set) => set.packages.map((pkg) => pkg.purl)).sort(), ['pkg:pypi/idna@2.10', 'pkg:pypi/requests@2.25.0']);
  });

  it('scans the package an SPDX document describes', () => {
    const document = {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      documentDescribes: ['SPDXRef-requests'],
      packages: [
        { SPDXID: 'SPDXRef-requests', name: 'requests', versionInfo: '2.25.0', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/requests@2.25.0' }] },
      ],
    };
    const sbom = readSbom(JSON.stringify(document), { source: 'requests.spdx.json' });
    assert.equal(sbom.artifactName, 'requests');
    assert.deepEqual(sbom.packageSets.flatMap((set) => set.packages.map((pkg) => pkg.purl)), ['pkg:pypi/requests@2.25.0']);
  });

  it('reads Trivy SPDX sourceInfo', () => {
    const document = {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      packages: [
        {
          SPDXID: 'SPDXRef-Package-bsdutils',
          name: 'bsdutils',
          versionInfo: '1:2.38.1-5+deb12u3',
          sourceInfo: 'built package from: util-linux 2.38.1-5+deb12u3',
          externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?arch=amd64&epoch=1&distro=debian-12.11' }],
        },
      ],
    };
    const pkg = readSbom(JSON.stringify(document), { source: 'trivy.spdx.json' }).packageSets[0]!.packages[0]!;
    assert.equal(pkg.srcName, 'util-linux');
    assert.equal(pkg.srcVersion, '2.38.1-5+deb12u3');
  });
});

describe('readSbom errors', () => {
  const cases: Array<[string, string, string | RegExp, string]> = [
    ['wrong bomFormat', JSON.stringify({ bomFormat: 'SWID', specVersion: '1.6' }), /field bomFormat is "SWID"/, 'FORMAT_INVALID'],
    ['old CycloneDX version', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.2' }), /unsupported CycloneDX specVersion "1.2"/, 'UNSUPPORTED'],
    ['component without a name', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'a' }, { type: 'library' }] }), /field components\[1\]\.name is missing/, 'FORMAT_INVALID'],
    ['nested component with a number version', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', components: [{ name: 'a', components: [{ name: 'b', version: 2 }] }] }), /field components\[0\]\.components\[0\]\.version is 2/, 'FORMAT_INVALID'],
    ['components not an array', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: {} }), /field components is \{\}/, 'FORMAT_INVALID'],
    ['SPDX 3.0', JSON.stringify({ spdxVersion: 'SPDX-3.0' }), /SPDX 3\.0 is not supported: input has field spdxVersion "SPDX-3\.0"; convert it to SPDX 2\.3/, 'UNSUPPORTED'],
    [
      'SPDX 3.0 JSON-LD',
      JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [{ type: 'CreationInfo', specVersion: '3.0.1' }] }),
      /SPDX 3\.0 is not supported: input has field @context "https:\/\/spdx\.org\/rdf\/3\.0\.1\/spdx-context\.jsonld"; convert it to SPDX 2\.3/,
      'UNSUPPORTED',
    ],
    ['CycloneDX number specVersion', '{"bomFormat": "CycloneDX", "specVersion": 1.6}', /field specVersion is 1\.6; CycloneDX requires a string, so write "1\.6" in quotes/, 'FORMAT_INVALID'],
    ['SPDX package without SPDXID', JSON.stringify({ spdxVersion: 'SPDX-2.3', packages: [{ name: 'a' }] }), /field packages\[0\]\.SPDXID is missing/, 'FORMAT_INVALID'],
    ['unknown JSON', JSON.stringify({ name: 'x' }), /neither a bomFormat field \(CycloneDX\) nor an spdxVersion field/, 'UNSUPPORTED'],
    ['truncated JSON', '{"bomFormat": "CycloneDX", ', /not valid JSON/, 'FORMAT_INVALID'],
    ['XML with a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>', /DOCTYPE declarations are not accepted/, 'FORMAT_INVALID'],
    ['XML of another namespace', '<bom xmlns="http://example.com/bom"><components/></bom>', /unsupported CycloneDX XML namespace "http:\/\/example.com\/bom"/, 'UNSUPPORTED'],
    ['tag-value without end of text', 'SPDXVersion: SPDX-2.3\nPackageName: a\nPackageComment: <text>open\n', /<text> value of PackageComment on line 3 has no <\/text>/, 'FORMAT_INVALID'],
    ['plain text', 'hello', /unknown SBOM format in input/, 'UNSUPPORTED'],
  ];
  for (const [name, content, message, code] of cases) {
    it(`rejects ${name}`, () => {
      assert.throws(() => readSbom(content, { source: 'input' }), (error: Error & { code?: string }) => {
        assert.equal(error.code, code);
        assert.match(error.message, typeof message === 'string' ? new RegExp(message) : message);
        return true;
      });
    });
  }

  it('rejects deeply nested components', () => {
    // Built as text: JSON.stringify itself overflows the stack on 3,000 levels.
    const depth = 3000;
    const open = '[{"type":"library","name":"n","components":'.repeat(depth);
    const leaf = '[{"type":"library","name":"leaf","version":"1.0.0","purl":"pkg:npm/leaf@1.0.0"}]';
    const text = `{"bomFormat":"CycloneDX","specVersion":"1.6","components":${open}${leaf}${'}]'.repeat(depth)}}`;
    assert.throws(
      () => readSbom(text, { source: 'deep.json' }),
      (error: Error & { code?: string }) => error.code === 'LIMIT_EXCEEDED' && /nested more than 256 levels/.test(error.message),
    );
  });

  it('rejects more components than the cap', () => {
    const components = Array.from({ length: 4 }, (_, index) => ({ name: `p${index}`, purl: `pkg:npm/p${index}@1.0.0` }));
    const content = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components });
    assert.throws(() => readSbom(content, { source: 'input', limits: { maxEntries: 3 } }), { code: 'LIMIT_EXCEEDED' });
    assert.equal(readSbom(content, { source: 'input', limits: { maxEntries: 4 } }).packageSets[0]!.packages.length, 4);
  });

  it('rejects content above the size cap', () => {
    assert.throws(() => readSbom('{"bomFormat":"CycloneDX"}', { source: 'input', limits: { maxBytes: 8 } }), { code: 'LIMIT_EXCEEDED' });
  });
});
