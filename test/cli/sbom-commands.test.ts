import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { PROJECT_ROOT, sharedPath } from '../helpers/shared.js';

const BIN = join(PROJECT_ROOT, 'bin', 'bulwark.js');
const built = existsSync(join(PROJECT_ROOT, 'dist', 'cli-bundle', 'bulwark-cli.mjs'));
const vulndata = sharedPath('vulndata');
const skip = !built ? 'the CLI bundle is not built; run npm run build' : vulndata.skip;
const work = mkdtempSync(join(tmpdir(), 'bulwark-cli-sbom-'));
const cacheDir = join(work, 'cache');
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the built CLI the way a user does, with its own cache directory and no TTY. */
function bulwark(args: string[], input = '') {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', input, env: { ...process.env, BULWARK_CACHE_DIR: cacheDir, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A CycloneDX 1.5 BOM listing requests 2.25.0, which PyPI advisories PYSEC-2023-74 and others affect. */
const BOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  metadata: { component: { type: 'application', name: 'service' } },
  components: [
    { type: 'library', name: 'requests', version: '2.25.0', purl: 'pkg:pypi/requests@2.25.0' },
    { type: 'library', name: 'idna', version: '3.7', purl: 'pkg:pypi/idna@3.7' },
  ],
};

before(() => {
  if (skip) return;
  writeFileSync(join(work, 'bom.json'), JSON.stringify(BOM));
  const imported = bulwark(['db', 'import', '--quiet', join(vulndata.path, 'osv-pypi', 'vulns', 'requests')]);
  assert.equal(imported.code, 0, imported.stderr);
});

describe('bulwark sbom', () => {
  it('reports vulnerabilities as JSON', { skip }, () => {
    const { code, stdout, stderr } = bulwark(['sbom', 'bom.json', '--format', 'json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { artifact: { name: string; type: string }; results: Array<{ type: string; packages: unknown[]; vulnerabilities: Array<{ id: string; fixedVersion?: string }> }> };
    assert.deepEqual(report.artifact, { name: 'bom.json', type: 'filesystem' });
    assert.equal(report.results.length, 1);
    assert.equal(report.results[0]!.type, 'python-pkg');
    assert.equal(report.results[0]!.packages.length, 2);
    const cve = report.results[0]!.vulnerabilities.find((vulnerability) => vulnerability.id === 'CVE-2023-32681');
    assert.equal(cve?.fixedVersion, '2.31.0');
  });

  it('exits with --exit-code on findings', { skip }, () => {
    assert.equal(bulwark(['sbom', 'bom.json', '--exit-code', '3', '--quiet']).code, 3);
    assert.equal(bulwark(['sbom', 'bom.json', '--exit-code', '3', '--quiet', '--skip-db']).code, 0);
  });

  it('exits 2 on an invalid SBOM', { skip: !built && 'the CLI bundle is not built; run npm run build' }, () => {
    writeFileSync(join(work, 'bad.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ version: '1' }] }));
    const { code, stderr } = bulwark(['sbom', 'bad.json']);
    assert.equal(code, 2);
    assert.match(stderr, /field components\[0\]\.name is missing/);
  });

  it('help lists the input formats', { skip: !built && 'the CLI bundle is not built; run npm run build' }, () => {
    const { code, stdout } = bulwark(['sbom', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /CycloneDX 1\.4 to 1\.7 +JSON or XML/);
    assert.match(stdout, /SPDX 2\.2, 2\.3 +JSON or tag-value/);
    assert.match(stdout, /SPDX 3\.0 documents are rejected/);
  });

  it('reads the SBOM from standard input', { skip }, () => {
    const { code, stdout, stderr } = bulwark(['sbom', '-', '--format', 'json'], JSON.stringify(BOM));
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { results: Array<{ vulnerabilities?: Array<{ pkgName: string }> }> };
    const names = report.results.flatMap((result) => result.vulnerabilities ?? []).map((vulnerability) => vulnerability.pkgName);
    assert.ok(names.length > 0);
    assert.deepEqual([...new Set(names)], ['requests']);
  });

  it('exits 2 on an invalid cap value', { skip: !built && 'the CLI bundle is not built; run npm run build' }, () => {
    const { code, stderr } = bulwark(['sbom', 'bad.json', '--max-sbom-components', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /invalid --max-sbom-components value "0"/);
  });

});

describe('SBOM output flags', () => {
  it('rejects --spec-version for a format with one version', { skip: !built && 'the CLI bundle is not built; run npm run build' }, () => {
    const { code, stdout, stderr } = bulwark(['fs', '.', '--skip-db', '--format', 'spdx-json', '--spec-version', '1.0']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /--spec-version applies only to --format cyclonedx and cyclonedx-xml; --format spdx-json has one version/);
  });
});
