import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import type { ScanReport } from '../../src/model/report.js';
import { scanDirectory } from '../../src/scan/scan-directory.js';
import { scanImage } from '../../src/scan/scan-image.js';
import { pushImage, registryToolsSkip, startRegistry } from '../helpers/registry-server.js';
import { testImages } from '../helpers/test-images.js';

const images = testImages();
const cacheDir = mkdtempSync(join(tmpdir(), 'bulwark-it-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

/** Returns `name version` lines of the OS packages of a report, sorted. */
function osPackages(report: ScanReport): string[] {
  const os = report.results.filter((result) => result.class === 'os-pkgs');
  assert.equal(os.length, 1);
  return os[0]!.packages!.map((pkg) => `${pkg.name} ${pkg.version}`).sort();
}

/** Returns what the real dpkg reports as installed in the test root filesystem. */
function dpkgQueryInstalled(): string[] {
  const output = execFileSync('dpkg-query', ['-W', `--admindir=${images.rootfs}/var/lib/dpkg`, '-f', '${db:Status-Abbrev}\t${Package}\t${Version}\n'], { encoding: 'utf8' });
  return output
    .split('\n')
    .filter((line) => line.startsWith('ii'))
    .map((line) => {
      const [, name, version] = line.split('\t');
      return `${name} ${version}`;
    })
    .sort();
}

describe('Debian 12 image', { skip: images.skip }, () => {
  const sources = [
    ['OCI layout', () => images.ociLayout],
    ['oci-archive', () => images.ociArchive],
    ['docker-archive', () => images.dockerArchive],
  ] as const;

  for (const [label, path] of sources) {
    it(`${label} equals dpkg-query`, async () => {
      const { report, incomplete } = await scanImage(path(), { cacheDir, noLayerCache: true, skipVulnerabilities: true });
      assert.equal(incomplete, false);
      assert.deepEqual(report.errors, []);
      assert.equal(report.artifact.os?.family, 'debian');
      assert.match(report.artifact.os?.version ?? '', /^12(\.\d+)?$/);
      const expected = dpkgQueryInstalled();
      assert.ok(expected.length > 80, `dpkg-query listed only ${expected.length} packages`);
      assert.deepEqual(osPackages(report), expected);
    });
  }

  it('registry image equals dpkg-query', { skip: registryToolsSkip() }, async () => {
    const registry = await startRegistry({ htpasswd: { scanner: 's3cret' } });
    try {
      await pushImage(images.ociLayout, '12', `${registry.host}/library/debian:12`, { credentials: 'scanner:s3cret' });
      const { report, incomplete } = await scanImage(`${registry.host}/library/debian:12`, {
        cacheDir,
        noLayerCache: true,
        skipVulnerabilities: true,
        insecure: true,
        username: 'scanner',
        password: 's3cret',
      });
      assert.equal(incomplete, false);
      assert.deepEqual(report.errors, []);
      assert.match(report.artifact.digest ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.deepEqual(osPackages(report), dpkgQueryInstalled());
    } finally {
      await registry.stop();
    }
  });

  it('rootfs equals dpkg-query', async () => {
    const { report } = await scanDirectory(images.rootfs, 'rootfs', { cacheDir, skipVulnerabilities: true });
    assert.deepEqual(osPackages(report), dpkgQueryInstalled());
    assert.equal(report.artifact.os?.family, 'debian');
  });

  it('cached rescan gives identical report', async () => {
    const first = await scanImage(images.ociLayout, { cacheDir, skipVulnerabilities: true });
    const second = await scanImage(images.ociLayout, { cacheDir, skipVulnerabilities: true });
    assert.equal(JSON.stringify(second.report), JSON.stringify(first.report));
  });

  it('purls carry distro qualifiers', async () => {
    const { report } = await scanImage(images.ociLayout, { cacheDir, skipVulnerabilities: true });
    const bash = report.results[0]!.packages!.find((pkg) => pkg.name === 'bash');
    assert.ok(bash);
    assert.match(bash.purl ?? '', /^pkg:deb\/debian\/bash@5\.2\.15-[^?]+\?arch=amd64&distro=debian-12(\.\d+)?$/);
    assert.equal(bash.layerDiffId, report.artifact.layers![0]!.diffId);
  });
});

describe('buildah-built app image', { skip: images.skip }, () => {
  it('applies whiteouts across layers', async () => {
    const { report } = await scanImage(images.appLayout, { cacheDir, skipVulnerabilities: true });
    const nodePackages = report.results.find((result) => result.type === 'node-pkg');
    assert.ok(nodePackages, 'no node-pkg result');
    assert.equal(nodePackages.target, 'app/node_modules');
    assert.deepEqual(nodePackages.packages!.map((pkg) => `${pkg.name}@${pkg.version}`), ['lru-cache@6.0.0', 'semver@7.5.1', 'yallist@4.0.0', 'yaml@2.2.1']);
  });

  it('lists lock file without dev deps', async () => {
    const { report } = await scanImage(images.appLayout, { cacheDir, skipVulnerabilities: true });
    const lock = report.results.find((result) => result.target === 'app/package-lock.json');
    assert.ok(lock);
    assert.equal(lock.type, 'npm');
    assert.deepEqual(lock.packages!.map((pkg) => pkg.name), ['lru-cache', 'semver', 'yallist', 'yaml']);
  });

  it('keeps dev deps when asked', async () => {
    const { report } = await scanImage(images.appLayout, { cacheDir, skipVulnerabilities: true, includeDevDeps: true });
    const lock = report.results.find((result) => result.target === 'app/package-lock.json');
    const leftPad = lock?.packages?.find((pkg) => pkg.name === 'left-pad');
    assert.equal(leftPad?.dev, true);
  });

  it('finds the Python package in its layer', async () => {
    const { report } = await scanImage(images.appLayout, { cacheDir, skipVulnerabilities: true });
    const python = report.results.find((result) => result.type === 'python-pkg');
    assert.ok(python);
    assert.equal(python.target, 'usr/local/lib/python3.11/dist-packages');
    assert.equal(python.packages![0]!.purl, 'pkg:pypi/requests@2.25.0');
    const layers = report.artifact.layers!;
    assert.equal(layers.length, 4);
    assert.equal(python.packages![0]!.layerDiffId, layers[2]!.diffId);
  });

  it('keeps the base OS packages', async () => {
    const { report } = await scanImage(images.appLayout, { cacheDir, skipVulnerabilities: true });
    const base = await scanImage(images.ociLayout, { cacheDir, skipVulnerabilities: true });
    assert.deepEqual(osPackages(report), osPackages(base.report));
  });
});
