import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import type { Package } from '../../src/model/package.js';
import type { ScanReport } from '../../src/model/report.js';
import { cyclonedxFormat, cyclonedxXmlFormat, spdxJsonFormat, spdxTagValueFormat } from '../../src/sbom/formats.js';
import { parseSpdxActor, partyText, spdxActor } from '../../src/sbom/package-actors.js';
import { readSbom } from '../../src/sbom/read-sbom.js';
import { compileSchemas, hasXmllint, schemas, validateCycloneDxXml } from './sbom-schemas.js';

const SHA1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
const SHA512 = 'ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff';

/** One package of each source of supplier, author and hash facts. */
const PACKAGES: Record<string, Package[]> = {
  debian: [{ name: 'bash', version: '5.2.15-2', path: 'var/lib/dpkg/status', purl: 'pkg:deb/debian/bash@5.2.15-2?distro=debian-12', supplier: { name: 'Matthias Klose', email: 'doko@debian.org', kind: 'person' } }],
  npm: [
    {
      name: 'semver',
      version: '7.5.1',
      path: 'app/package-lock.json',
      purl: 'pkg:npm/semver@7.5.1',
      author: { name: 'GitHub Inc.', kind: 'person' },
      hashes: [{ algorithm: 'SHA-512', value: SHA512 }],
    },
  ],
  jar: [{ name: 'com.example:demo', version: '2.0.1', path: 'app/demo.jar', purl: 'pkg:maven/com.example/demo@2.0.1', supplier: { name: 'Example Corp', kind: 'organization' }, hashes: [{ algorithm: 'SHA-1', value: SHA1 }] }],
  gobinary: [{ name: 'golang.org/x/text', version: 'v0.14.0', path: 'usr/bin/app', purl: 'pkg:golang/golang.org/x/text@v0.14.0', goModuleSum: 'h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=' }],
};

const REPORT: ScanReport = {
  schemaVersion: 1,
  artifact: { name: 'facts', type: 'filesystem' },
  results: [
    { target: 'facts (debian 12)', class: 'os-pkgs', type: 'debian', packages: PACKAGES.debian! },
    { target: 'app/package-lock.json', class: 'lang-pkgs', type: 'npm', packages: PACKAGES.npm! },
    { target: 'app/demo.jar', class: 'lang-pkgs', type: 'jar', packages: PACKAGES.jar! },
    { target: 'usr/bin/app', class: 'lang-pkgs', type: 'gobinary', packages: PACKAGES.gobinary! },
  ],
  errors: [],
};

const work = mkdtempSync(join(tmpdir(), 'bulwark-sbom-actors-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('party text and SPDX actor', () => {
  assert.equal(partyText({ name: 'Jane Doe', email: 'jane@example.com', kind: 'person' }), 'Jane Doe <jane@example.com>');
  assert.equal(partyText({ name: 'a@b.c', email: 'a@b.c', kind: 'person' }), 'a@b.c');
  assert.equal(spdxActor({ name: 'Jane Doe', email: 'jane@example.com', kind: 'person' }), 'Person: Jane Doe (jane@example.com)');
  assert.equal(spdxActor({ name: 'Laszlo Boszormenyi (GCS)', email: 'gcs@debian.org', kind: 'person' }), 'Person: Laszlo Boszormenyi GCS (gcs@debian.org)');
  assert.equal(spdxActor({ name: 'Red Hat, Inc.', kind: 'organization' }), 'Organization: Red Hat, Inc.');
});

test('SPDX actor parsing', () => {
  assert.deepEqual(parseSpdxActor('Person: Jane Doe (jane@example.com)'), { name: 'Jane Doe', email: 'jane@example.com', kind: 'person' });
  assert.deepEqual(parseSpdxActor('Organization: Red Hat, Inc.'), { name: 'Red Hat, Inc.', kind: 'organization' });
  assert.deepEqual(parseSpdxActor('Organization: Example ()'), { name: 'Example', kind: 'organization' });
  assert.equal(parseSpdxActor('NOASSERTION'), undefined);
  assert.equal(parseSpdxActor('Tool: syft-1.4.1'), undefined);
  assert.equal(parseSpdxActor(7), undefined);
});

/** Returns the facts of every package read back from an SBOM, keyed by name. */
function readBack(text: string): Map<string, Pick<Package, 'supplier' | 'author' | 'hashes' | 'goModuleSum'>> {
  const document = readSbom(text, { source: 'facts' });
  const facts = new Map<string, Pick<Package, 'supplier' | 'author' | 'hashes' | 'goModuleSum'>>();
  for (const set of document.packageSets) {
    for (const pkg of set.packages) facts.set(pkg.name, { supplier: pkg.supplier, author: pkg.author, hashes: pkg.hashes, goModuleSum: pkg.goModuleSum });
  }
  return facts;
}

for (const format of [cyclonedxFormat, cyclonedxXmlFormat, spdxJsonFormat, spdxTagValueFormat]) {
  test(`facts round trip through ${format.id}`, () => {
    const facts = readBack(format.write(structuredClone(REPORT), {}));
    const isCycloneDx = format.id.startsWith('cyclonedx');
    // CycloneDX has one supplier type, an organisation, so a person supplier comes back as one.
    assert.deepEqual(facts.get('bash')?.supplier, { name: 'Matthias Klose', email: 'doko@debian.org', kind: isCycloneDx ? 'organization' : 'person' });
    assert.deepEqual(facts.get('semver')?.author, { name: 'GitHub Inc.', kind: 'person' });
    assert.deepEqual(facts.get('semver')?.hashes, [{ algorithm: 'SHA-512', value: SHA512 }]);
    assert.deepEqual(facts.get('com.example:demo')?.supplier, { name: 'Example Corp', kind: 'organization' });
    assert.deepEqual(facts.get('com.example:demo')?.hashes, [{ algorithm: 'SHA-1', value: SHA1 }]);
    assert.equal(facts.get('golang.org/x/text')?.goModuleSum, 'h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=');
    assert.equal(facts.get('golang.org/x/text')?.hashes, undefined);
  });
}

test('facts validate against the schemas', { skip: schemas.skip }, () => {
  const { cyclonedx, spdx } = compileSchemas();
  const bom = JSON.parse(cyclonedxFormat.write(structuredClone(REPORT), {})) as { components: Array<{ name: string; supplier?: unknown; author?: string; hashes?: unknown }> };
  assert.equal(cyclonedx(bom), true, JSON.stringify(cyclonedx.errors?.slice(0, 3)));
  assert.deepEqual(bom.components.find((component) => component.name === 'com.example:demo')?.hashes, [{ alg: 'SHA-1', content: SHA1 }]);
  assert.deepEqual(bom.components.find((component) => component.name === 'bash')?.supplier, { name: 'Matthias Klose', contact: [{ email: 'doko@debian.org' }] });
  assert.equal(bom.components.find((component) => component.name === 'semver')?.author, 'GitHub Inc.');

  const document = JSON.parse(spdxJsonFormat.write(structuredClone(REPORT), {})) as { packages: Array<{ name: string; supplier?: string; originator?: string; checksums?: unknown }> };
  assert.equal(spdx(document), true, JSON.stringify(spdx.errors?.slice(0, 3)));
  const bash = document.packages.find((pkg) => pkg.name === 'bash');
  assert.equal(bash?.supplier, 'Person: Matthias Klose (doko@debian.org)');
  assert.equal(document.packages.find((pkg) => pkg.name === 'semver')?.originator, 'Person: GitHub Inc.');
  assert.deepEqual(document.packages.find((pkg) => pkg.name === 'com.example:demo')?.checksums, [{ algorithm: 'SHA1', checksumValue: SHA1 }]);
});

test('facts validate as CycloneDX XML', { skip: schemas.skip || (!hasXmllint && 'xmllint not installed (apt-get install libxml2-utils)') }, () => {
  const file = join(work, 'facts.cdx.xml');
  writeFileSync(file, cyclonedxXmlFormat.write(structuredClone(REPORT), {}));
  const { status, output } = validateCycloneDxXml(file, work);
  assert.equal(status, 0, output);
});
