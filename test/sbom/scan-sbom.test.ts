import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ScanReport } from '../../src/model/report.js';
import type { Vulnerability } from '../../src/model/vulnerability.js';
import { scanDirectory } from '../../src/scan/scan-directory.js';
import { scanImage } from '../../src/scan/scan-image.js';
import { cyclonedxFormat, SBOM_FORMATS } from '../../src/sbom/formats.js';
import { scanSbom } from '../../src/sbom/scan-sbom.js';
import { importSources } from '../../src/vulndb/import.js';
import { sharedPath } from '../helpers/shared.js';
import { testImages } from '../helpers/test-images.js';
import { compileSchemas, schemas } from './sbom-schemas.js';

const vulndata = sharedPath('vulndata');
const debian10 = sharedPath('fixtures', 'dpkg', 'debian-10-drupal');
const images = testImages();
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'bulwark-scan-sbom-'));
const cacheDir = join(work, 'cache');

before(async () => {
  // The report formats take the SBOM time stamp from the environment.
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  if (vulndata.skip) return;
  mkdirSync(cacheDir, { recursive: true });
  // Debian advisories (DSA/DLA lists) for the Debian 10 package database, and the PyPI advisories of
  // requests, which the app image installs at 2.25.0.
  await importSources(join(cacheDir, 'vulndb.sqlite'), [join(vulndata.path, 'debian-security-tracker'), join(vulndata.path, 'osv-pypi', 'vulns', 'requests')]);
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Returns the findings of a report as comparable lines, without the report target. */
function findings(report: ScanReport): string[] {
  const lines = report.results.flatMap((result) => (result.vulnerabilities ?? []).map((vuln: Vulnerability) => [vuln.id, vuln.pkgName, vuln.installedVersion, vuln.fixedVersion ?? '-', vuln.severity, vuln.dataSource].join(' ')));
  return [...new Set(lines)].sort();
}

/** Returns the diagnostics of a report without their targets, which name the SBOM instead of the image. */
function messages(report: ScanReport): string[] {
  return report.errors.map((error) => `${error.code} ${error.message}`).sort();
}

/** Writes the report in every SBOM format, scans each SBOM and checks it finds what the direct scan found. */
async function assertSameFindings(direct: ScanReport, name: string): Promise<void> {
  const expected = findings(direct);
  for (const format of SBOM_FORMATS) {
    const path = join(work, `${name}.${format.id}`);
    writeFileSync(path, format.write(direct, {}));
    const { report, incomplete } = await scanSbom(path, { cacheDir });
    assert.equal(incomplete, false);
    assert.equal(report.db?.status, 'ok', `${format.id}: ${report.db?.message}`);
    assert.deepEqual(findings(report), expected, `${format.id} SBOM of ${name}`);
    assert.deepEqual(messages(report), messages(direct), `${format.id} SBOM of ${name}`);
  }
}

describe('scanSbom round trip', () => {
  it('matches a Debian 10 rootfs scan', { skip: vulndata.skip || debian10.skip }, async () => {
    const { report: direct } = await scanDirectory(debian10.path, 'rootfs', { cacheDir });
    const expected = findings(direct);
    // The DSA and DLA lists hold dozens of fixes for Debian 10 packages of this database.
    assert.ok(expected.length > 20, `only ${expected.length} findings in the direct scan`);
    assert.ok(expected.some((line) => line.startsWith('CVE-2006-20001 apache2 ')), 'apache2 advisory missing from the direct scan');
    await assertSameFindings(direct, 'debian-10');
  });

  it('matches the app image scan', { skip: vulndata.skip || images.skip }, async () => {
    const { report: direct } = await scanImage(images.appLayout, { cacheDir, noLayerCache: true });
    const expected = findings(direct);
    assert.ok(expected.some((line) => line.startsWith('CVE-2023-32681 requests 2.25.0 2.31.0')), `requests advisory missing: ${expected.join('; ')}`);
    await assertSameFindings(direct, 'app');
  });

  it('CycloneDX carries the vulnerabilities', { skip: vulndata.skip || images.skip || schemas.skip }, async () => {
    const { report: direct } = await scanImage(images.appLayout, { cacheDir, noLayerCache: true });
    const bom = JSON.parse(cyclonedxFormat.write(direct, {})) as {
      components: Array<{ 'bom-ref': string; name: string }>;
      vulnerabilities: Array<{ id: string; source: { name: string }; affects: Array<{ ref: string }>; ratings: Array<{ severity?: string }>; recommendation?: string }>;
    };
    const { cyclonedx } = compileSchemas();
    assert.equal(cyclonedx(bom), true, JSON.stringify(cyclonedx.errors?.slice(0, 3)));

    const requests = bom.components.find((component) => component.name === 'requests');
    assert.ok(requests, 'requests component missing');
    const vulnerability = bom.vulnerabilities.find((entry) => entry.id === 'CVE-2023-32681');
    assert.ok(vulnerability, 'CVE-2023-32681 missing');
    assert.deepEqual(vulnerability.affects.map((affect) => affect.ref), [requests['bom-ref']]);
    assert.equal(vulnerability.recommendation, 'Upgrade to requests 2.31.0');
    assert.ok(vulnerability.ratings.some((rating) => rating.severity !== undefined));
    assert.equal(bom.vulnerabilities.length, new Set(findings(direct).map((line) => line.split(' ')[0])).size);
  });
});

describe('scanSbom errors', () => {
  it('rejects a missing file', async () => {
    await assert.rejects(scanSbom(join(work, 'absent.json'), { cacheDir }), { code: 'NOT_FOUND' });
  });

  it('rejects a file above the size cap', async () => {
    const path = join(work, 'big.json');
    writeFileSync(path, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] }));
    await assert.rejects(scanSbom(path, { cacheDir, sbomLimits: { maxBytes: 10 } }), { code: 'LIMIT_EXCEEDED' });
  });

  it('stops an endless device at the cap', async () => {
    // stat gives size 0 for a character device, so only the read itself can enforce the cap.
    await assert.rejects(scanSbom('/dev/zero', { cacheDir, sbomLimits: { maxBytes: 1024 } }), { code: 'LIMIT_EXCEEDED' });
  });

  it('reads a named pipe', { skip: hasMkfifo ? false : 'mkfifo not installed (Debian package coreutils)' }, async () => {
    const path = join(work, 'sbom.fifo');
    spawnSync('mkfifo', [path]);
    const bom = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'idna', version: '2.10', purl: 'pkg:pypi/idna@2.10' }] });
    // Opening a pipe for writing blocks until the reader opens it, so the writer runs asynchronously.
    const writing = writeFile(path, bom);
    const { report } = await scanSbom(path, { cacheDir, skipVulnerabilities: true });
    await writing;
    assert.deepEqual(report.results.flatMap((result) => (result.packages ?? []).map((pkg) => pkg.purl)), ['pkg:pypi/idna@2.10']);
  });
});
