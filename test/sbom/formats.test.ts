import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ScanReport } from '../../src/model/report.js';
import { scanImage } from '../../src/scan/scan-image.js';
import { createCycloneDxFormat, cyclonedxFormat, cyclonedxXmlFormat, spdxJsonFormat, spdxTagValueFormat } from '../../src/sbom/formats.js';
import { testImages } from '../helpers/test-images.js';
import { compileSchemas, hasXmllint, schemas, validateCycloneDxXml } from './sbom-schemas.js';

const images = testImages();
const skip = images.skip || schemas.skip;
const work = mkdtempSync(join(tmpdir(), 'bulwark-sbom-formats-'));
const reports = new Map<string, ScanReport>();

interface CycloneDxComponent {
  'bom-ref': string;
  type: string;
  name: string;
  version?: string;
  purl?: string;
  licenses?: Array<{ expression?: string; license?: { name?: string } }>;
  properties?: Array<{ name: string; value: string }>;
}

before(async () => {
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  if (skip) return;
  const cacheDir = join(work, 'cache');
  reports.set('debian', (await scanImage(images.ociLayout, { cacheDir, skipVulnerabilities: true })).report);
  reports.set('app', (await scanImage(images.appLayout, { cacheDir, skipVulnerabilities: true })).report);
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Returns every package purl of a report, sorted, one entry per package. */
function reportPurls(report: ScanReport): string[] {
  return report.results.flatMap((result) => (result.packages ?? []).map((pkg) => pkg.purl ?? '')).sort();
}

describe('SBOM formats on the test images', () => {
  for (const image of ['debian', 'app']) {
    it(`CycloneDX JSON of ${image} image`, { skip }, () => {
      const report = reports.get(image)!;
      const text = cyclonedxFormat.write(report, {});
      const bom = JSON.parse(text) as { specVersion: string; serialNumber: string; metadata: { timestamp: string; component: { type: string; name: string } }; components: CycloneDxComponent[] };

      const { cyclonedx } = compileSchemas();
      assert.equal(cyclonedx(bom), true, JSON.stringify(cyclonedx.errors?.slice(0, 3)));
      assert.equal(bom.specVersion, '1.6');
      assert.equal(bom.metadata.timestamp, '2023-11-14T22:13:20.000Z');
      assert.equal(bom.metadata.component.type, 'container');
      assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      const os = bom.components.filter((component) => component.type === 'operating-system');
      assert.deepEqual(os.map((component) => [component.name, component.version]), [[report.artifact.os!.family, report.artifact.os!.version]]);
      const packages = bom.components.filter((component) => component.type === 'library');
      const purls = packages.map((component) => component.purl ?? '').sort();
      assert.equal(purls.length, reportPurls(report).length);
      assert.deepEqual(purls, reportPurls(report));
      assert.equal(new Set(bom.components.map((component) => component['bom-ref'])).size, bom.components.length, 'bom-refs are not unique');
      assert.equal(packages.length + os.length, bom.components.length);
      for (const component of packages) {
        const names = (component.properties ?? []).map((property) => property.name);
        assert.ok(names.includes('bulwark:FilePath'), `${component.purl} has no file path`);
        assert.ok(names.includes('bulwark:LayerDiffID'), `${component.purl} has no layer diffID`);
      }
    });

    it(`SPDX JSON of ${image} image`, { skip }, () => {
      const report = reports.get(image)!;
      const document = JSON.parse(spdxJsonFormat.write(report, {})) as {
        documentNamespace: string;
        creationInfo: { created: string };
        packages: Array<{ SPDXID: string; primaryPackagePurpose: string; externalRefs?: Array<{ referenceLocator: string }> }>;
        relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>;
      };

      const { spdx } = compileSchemas();
      assert.equal(spdx(document), true, JSON.stringify(spdx.errors?.slice(0, 3)));
      assert.equal(document.creationInfo.created, '2023-11-14T22:13:20Z');
      const purls = document.packages.flatMap((pkg) => (pkg.externalRefs ?? []).map((ref) => ref.referenceLocator)).sort();
      assert.deepEqual(purls, reportPurls(report));
      assert.equal(document.packages.filter((pkg) => pkg.primaryPackagePurpose === 'OPERATING_SYSTEM').length, 1);
      assert.equal(document.packages.filter((pkg) => pkg.primaryPackagePurpose === 'CONTAINER').length, 1);
      assert.deepEqual(
        document.relationships.filter((relationship) => relationship.relationshipType === 'DESCRIBES'),
        [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Artifact' }],
      );
      const ids = new Set(document.packages.map((pkg) => pkg.SPDXID));
      for (const relationship of document.relationships) {
        if (relationship.spdxElementId !== 'SPDXRef-DOCUMENT') assert.ok(ids.has(relationship.spdxElementId), relationship.spdxElementId);
        assert.ok(ids.has(relationship.relatedSpdxElement), relationship.relatedSpdxElement);
      }
    });

    it(`CycloneDX XML of ${image} image`, { skip: skip || (!hasXmllint && 'xmllint not installed (apt-get install libxml2-utils)') }, () => {
      const file = join(work, `${image}.cdx.xml`);
      writeFileSync(file, cyclonedxXmlFormat.write(reports.get(image)!, {}));
      const { status, output } = validateCycloneDxXml(file, work);
      assert.equal(status, 0, output);
    });
  }

  it('dependencies from the npm lock file', { skip }, () => {
    const bom = JSON.parse(cyclonedxFormat.write(reports.get('app')!, {})) as { dependencies: Array<{ ref: string; dependsOn?: string[] }> };
    const semver = bom.dependencies.find((entry) => entry.ref === 'pkg:npm/semver@7.5.1#app/package-lock.json');
    assert.ok(semver, 'no dependency entry for semver of the lock file');
    assert.deepEqual(semver.dependsOn, ['pkg:npm/lru-cache@6.0.0#app/package-lock.json']);
  });

  it('npm licences as SPDX expressions', { skip }, () => {
    const bom = JSON.parse(cyclonedxFormat.write(reports.get('app')!, {})) as { components: CycloneDxComponent[] };
    const semver = bom.components.find((component) => component['bom-ref'] === 'pkg:npm/semver@7.5.1#app/node_modules/semver/package.json');
    assert.ok(semver, 'semver of node_modules missing');
    assert.deepEqual(semver.licenses, [{ expression: 'ISC' }]);
  });

  it('dpkg licences from copyright files', { skip }, () => {
    const report = reports.get('debian')!;
    const dpkgPackages = report.results.flatMap((result) => result.packages ?? []).filter((pkg) => pkg.purl?.startsWith('pkg:deb/'));
    // libgcc-s1 and libstdc++6 have symlinked doc folders; libcrypt1's copyright file names no licence.
    assert.deepEqual(dpkgPackages.filter((pkg) => !pkg.licenses?.length).map((pkg) => pkg.name), ['libcrypt1', 'libgcc-s1', 'libstdc++6']);
    assert.equal(dpkgPackages.length, 88);

    const bom = JSON.parse(cyclonedxFormat.write(report, {})) as { components: CycloneDxComponent[] };
    const tar = bom.components.find((component) => component.name === 'tar');
    assert.deepEqual(tar?.licenses, [{ expression: 'GPL-2.0-or-later AND GPL-3.0-or-later AND (GPL-3.0-or-later WITH Bison-exception-2.2) AND LGPL-3.0-or-later' }]);
    const libc6 = bom.components.find((component) => component.name === 'libc6');
    assert.deepEqual(libc6?.licenses, [{ expression: 'GPL-2.0-or-later AND LGPL-2.1-or-later' }]);
  });

  it('SPDX declares every LicenseRef', { skip }, () => {
    const document = JSON.parse(spdxJsonFormat.write(reports.get('debian')!, {})) as {
      packages: Array<{ name: string; licenseDeclared: string }>;
      hasExtractedLicensingInfos?: Array<{ licenseId: string; extractedText: string }>;
    };
    const used = new Set(document.packages.flatMap((pkg) => [...pkg.licenseDeclared.matchAll(/LicenseRef-[A-Za-z0-9.-]+/g)].map((match) => match[0])));
    const declared = (document.hasExtractedLicensingInfos ?? []).map((license) => license.licenseId);
    assert.ok(used.has('LicenseRef-MIT-like'));
    assert.deepEqual(declared, [...used].sort());
    const base = document.packages.find((pkg) => pkg.name === 'base-files');
    assert.equal(base?.licenseDeclared, 'GPL-2.0-or-later');
  });

  it('image config in the root component', { skip }, () => {
    const bom = JSON.parse(cyclonedxFormat.write(reports.get('app')!, {})) as { metadata: { component: CycloneDxComponent } };
    const properties = bom.metadata.component.properties ?? [];
    const value = (name: string) => properties.filter((property) => property.name === name).map((property) => property.value);
    assert.deepEqual(value('bulwark:ImageConfig:User'), ['root']);
    assert.deepEqual(value('bulwark:ImageConfig:Cmd'), ['["node","/app/index.js"]']);
    assert.deepEqual(value('bulwark:ImageConfig:Architecture'), ['amd64']);
    assert.deepEqual(value('bulwark:ImageConfig:OS'), ['linux']);
    assert.deepEqual(value('bulwark:ImageConfig:Env'), ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    assert.deepEqual(value('bulwark:ImageConfig:Label:io.buildah.version'), ['1.28.2']);
    // The OCI layout names only the tag `1`, so no repository is known for a pkg:oci purl.
    assert.equal(bom.metadata.component.purl, undefined);
  });

  it('image config in the SPDX root', { skip }, () => {
    const document = JSON.parse(spdxJsonFormat.write(reports.get('app')!, {})) as { packages: Array<{ SPDXID: string; annotations?: Array<{ comment: string }> }> };
    const root = document.packages.find((pkg) => pkg.SPDXID === 'SPDXRef-Artifact')!;
    const comments = (root.annotations ?? []).map((annotation) => annotation.comment);
    assert.ok(comments.includes('ImageConfig:User: root'), JSON.stringify(comments));
    assert.ok(comments.includes('ImageConfig:Cmd: ["node","/app/index.js"]'), JSON.stringify(comments));
    assert.ok(comments.includes('ImageConfig:Label:io.buildah.version: 1.28.2'), JSON.stringify(comments));
  });

  it('dependencies from dpkg Depends', { skip }, () => {
    const bom = JSON.parse(cyclonedxFormat.write(reports.get('debian')!, {})) as { dependencies: Array<{ ref: string; dependsOn?: string[] }> };
    const bash = bom.dependencies.find((entry) => entry.ref.startsWith('pkg:deb/debian/bash@'));
    assert.ok(bash, 'no dependency entry for bash');
    assert.ok(bash.dependsOn?.some((ref) => ref.startsWith('pkg:deb/debian/base-files@')), JSON.stringify(bash.dependsOn));
  });

  it('output is byte-identical across runs', { skip }, () => {
    const report = reports.get('debian')!;
    for (const format of [cyclonedxFormat, cyclonedxXmlFormat, spdxJsonFormat, spdxTagValueFormat]) {
      assert.equal(format.write(structuredClone(report), {}), format.write(structuredClone(report), {}), format.id);
    }
  });

  it('serial number ignores the time stamp', { skip }, () => {
    const report = reports.get('debian')!;
    const first = JSON.parse(cyclonedxFormat.write(report, {})) as { serialNumber: string; metadata: { timestamp: string } };
    process.env.SOURCE_DATE_EPOCH = '1800000000';
    const second = JSON.parse(cyclonedxFormat.write(report, {})) as { serialNumber: string; metadata: { timestamp: string } };
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    assert.equal(second.serialNumber, first.serialNumber);
    assert.notEqual(second.metadata.timestamp, first.metadata.timestamp);
  });

  it('spec version 1.4 on request', { skip }, () => {
    const bom = JSON.parse(createCycloneDxFormat({ specVersion: '1.4' }).write(reports.get('app')!, {})) as { specVersion: string; metadata: { tools: unknown } };
    assert.equal(bom.specVersion, '1.4');
    // CycloneDX 1.4 lists tools as an array; 1.5 introduced the object form.
    assert.ok(Array.isArray(bom.metadata.tools));
  });

  it('CycloneDX XML without control characters', () => {
    // XML 1.0 allows no C0 control characters except tab, newline and carriage return, but image
    // labels and environment values may hold any.
    const report: ScanReport = {
      schemaVersion: 1,
      artifact: { name: 'x', type: 'container-image', imageConfig: { labels: [{ key: 'ctl', value: 'a\u0001b\u001bc' }] } },
      results: [],
      errors: [],
    };
    const text = cyclonedxXmlFormat.write(report, {});
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    assert.match(text, /<property name="bulwark:ImageConfig:Label:ctl">a\uFFFDb\uFFFDc<\/property>/);
    if (hasXmllint && !schemas.skip) {
      const path = join(work, 'control.cdx.xml');
      writeFileSync(path, text);
      const result = validateCycloneDxXml(path, work);
      assert.equal(result.status, 0, result.output);
    }
  });

  it('SPDX tag-value without control characters', () => {
    // Tag-value is plain text that people read in a terminal, where an escape sequence would act.
    const report: ScanReport = {
      schemaVersion: 1,
      artifact: { name: 'x', type: 'container-image', imageConfig: { labels: [{ key: 'ctl', value: 'a\u0001b\u001b[2Jc' }] } },
      results: [],
      errors: [],
    };
    const text = spdxTagValueFormat.write(report, {});
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.match(text, /ImageConfig:Label:ctl: a\uFFFDb\uFFFD\[2Jc/);
  });

  it('rejects a number spec version', () => {
    const report: ScanReport = { schemaVersion: 1, artifact: { name: 'x', type: 'filesystem' }, results: [], errors: [] };
    const options = { specVersion: 1.6 } as unknown as { specVersion: string };
    assert.throws(() => createCycloneDxFormat(options).write(report, {}), { code: 'USAGE', message: /invalid CycloneDX spec version 1\.6 of type number: pass a string such as "1\.6"/ });
  });

  it('rejects an unknown spec version', () => {
    assert.throws(() => createCycloneDxFormat({ specVersion: '2.0' }).write({ schemaVersion: 1, artifact: { name: 'x', type: 'filesystem' }, results: [], errors: [] }, {}), { code: 'USAGE' });
  });
});
