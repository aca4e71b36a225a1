import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Analyzer } from '../../src/inventory/analyzer.js';
import { lockfileAnalyzers } from '../../src/inventory/lockfiles/index.js';
import { apkAnalyzer, dpkgAnalyzer, rpmdbAnalyzer } from '../../src/inventory/os/index.js';
import type { OsInfo } from '../../src/model/os.js';
import type { PackageSet } from '../../src/model/package.js';
import type { Vulnerability } from '../../src/model/vulnerability.js';
import { compareVersions } from '../../src/versioning/index.js';
import { importSources } from '../../src/vulndb/import.js';
import { matchPackages } from '../../src/vulndb/matcher.js';
import type { MatchResult } from '../../src/vulndb/matcher.js';
import { openVulnDb } from '../../src/vulndb/store.js';
import type { VulnDb } from '../../src/vulndb/store.js';
import { sharedPath } from '../helpers/shared.js';

const vulndata = sharedPath('vulndata');
const fixtures = sharedPath('fixtures');
const skip = vulndata.skip || fixtures.skip;

const work = mkdtempSync(join(tmpdir(), 'bulwark-vulndb-match-'));
let vulnDb: VulnDb;

/**
 * Real GitHub advisories for gems and Composer packages, which the shared vulndata has none of.
 * Each keeps only the id, aliases, summary and affected ranges of the published record, and
 * `modified` is a placeholder. The matcher reports each by its CVE alias.
 */
const WRITTEN_ADVISORIES = [
  {
    id: 'GHSA-8cr8-4vfw-mr7h',
    modified: '2021-04-06T00:00:00Z',
    aliases: ['CVE-2021-28965'],
    summary: 'XML round-trip vulnerability in REXML',
    affected: [{ package: { ecosystem: 'RubyGems', name: 'rexml' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.2.5' }] }] }],
  },
  {
    id: 'GHSA-cwmx-hcrq-mhc3',
    modified: '2022-05-25T00:00:00Z',
    aliases: ['CVE-2022-29248'],
    summary: 'Cross-domain cookie leakage in Guzzle',
    affected: [
      {
        package: { ecosystem: 'Packagist', name: 'guzzlehttp/guzzle' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '6.5.6' }, { introduced: '7.0.0' }, { fixed: '7.4.3' }] }],
      },
    ],
  },
];

before(async () => {
  if (skip) return;
  const dbPath = join(work, 'vulndb.sqlite');
  const sources = ['alpine-secdb', 'debian-security-tracker', 'osv-almalinux', 'osv-go', 'osv-pypi', 'osv-crates'];
  const written = join(work, 'osv-written');
  mkdirSync(written);
  for (const advisory of WRITTEN_ADVISORIES) writeFileSync(join(written, `${advisory.id}.json`), JSON.stringify(advisory));
  await importSources(dbPath, [...sources.map((folder) => join(vulndata.path, folder)), written]);
  vulnDb = openVulnDb(dbPath);
});

after(() => {
  vulnDb?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs a real analyzer on a fixture file and returns its package sets. */
async function analyze(analyzer: Analyzer, fixture: string, path: string): Promise<PackageSet[]> {
  const content = readFileSync(join(fixtures.path, fixture));
  const output = await analyzer.analyze({ info: { path, size: content.length, mode: 0o644 }, content });
  assert.ok(output.packageSets, `no package sets read from ${fixture}`);
  assert.ok(output.packageSets.length > 0, `no packages read from ${fixture}`);
  return output.packageSets;
}

function lockfileAnalyzer(path: string): Analyzer {
  const analyzer = lockfileAnalyzers.find((candidate) => candidate.required({ path, size: 1, mode: 0o644 }));
  assert.ok(analyzer, `no lock file analyzer for ${path}`);
  return analyzer;
}

function match(packageSets: PackageSet[], os?: OsInfo, includeInformational = false): MatchResult {
  return matchPackages(vulnDb, { packageSets, ...(os === undefined ? {} : { os }), includeInformational });
}

function findVulnerability(result: MatchResult, pkgName: string, id: string): Vulnerability | undefined {
  return result.results.flatMap((set) => set.vulnerabilities).find((vulnerability) => vulnerability.pkgName === pkgName && vulnerability.id === id);
}

/** Returns a copy of the sets with one package's version replaced. */
function withVersion(packageSets: PackageSet[], name: string, version: string): PackageSet[] {
  return packageSets.map((set) => ({
    ...set,
    packages: set.packages.map((pkg) => (pkg.name === name ? { ...pkg, version, srcVersion: version } : pkg)),
  }));
}

test('matchPackages Alpine 3.12 apk database', { skip }, async () => {
  const sets = await analyze(apkAnalyzer, 'apk/alpine-3.12_scancode-full/lib/apk/db/installed', 'lib/apk/db/installed');
  const os = { family: 'alpine', version: '3.12.0' };
  const result = match(sets, os);
  assert.deepEqual(result.diagnostics, []);

  const busybox = findVulnerability(result, 'busybox', 'CVE-2021-28831');
  assert.ok(busybox);
  assert.equal(busybox.installedVersion, '1.31.1-r16');
  assert.equal(busybox.fixedVersion, '1.31.1-r20');
  assert.equal(busybox.status, 'fixed');
  assert.equal(busybox.dataSource, 'alpine-secdb:alpine-secdb');

  // libcrypto1.1 is matched through its origin package, openssl.
  assert.ok(findVulnerability(result, 'libcrypto1.1', 'CVE-2020-1971'));

  // Every report must be backed by a v3.12 secdb fix above the installed version.
  const secdb = [join(vulndata.path, 'alpine-secdb/alpine/v3.12/main.json'), join(vulndata.path, 'alpine-secdb/alpine/v3.12/community.json')].flatMap(
    (file) => (JSON.parse(readFileSync(file, 'utf8')) as { packages: Array<{ pkg: { name: string; secfixes: Record<string, string[]> } }> }).packages,
  );
  const origins = new Map((sets[0]?.packages ?? []).map((pkg) => [pkg.name, pkg.srcName ?? pkg.name]));
  for (const vulnerability of result.results[0]?.vulnerabilities ?? []) {
    const origin = origins.get(vulnerability.pkgName);
    const fixes = secdb.filter((entry) => entry.pkg.name === origin).flatMap((entry) => Object.entries(entry.pkg.secfixes));
    const backing = fixes.find(([version, ids]) => ids.some((id) => id.split(/\s+/).includes(vulnerability.id)) && version === vulnerability.fixedVersion);
    assert.ok(backing, `${vulnerability.pkgName} ${vulnerability.id} has no v3.12 secdb entry`);
    assert.equal(compareVersions('apk', vulnerability.installedVersion, vulnerability.fixedVersion as string), -1);
  }
});

test('matchPackages Alpine version at fix', { skip }, async () => {
  const sets = await analyze(apkAnalyzer, 'apk/alpine-3.12_scancode-full/lib/apk/db/installed', 'lib/apk/db/installed');
  const os = { family: 'alpine', version: '3.12.0' };
  const result = match(withVersion(sets, 'busybox', '1.31.1-r20'), os);
  assert.equal(findVulnerability(result, 'busybox', 'CVE-2021-28831'), undefined);
  assert.ok(findVulnerability(result, 'busybox', 'CVE-2021-42374'));
});

test('matchPackages Debian 10 status against DSA and DLA', { skip }, async () => {
  const sets = await analyze(dpkgAnalyzer, 'dpkg/debian-10-drupal/var/lib/dpkg/status', 'var/lib/dpkg/status');
  const result = match(sets, { family: 'debian', version: '10' });
  assert.deepEqual(result.diagnostics, []);

  const apache = findVulnerability(result, 'apache2', 'CVE-2020-35452');
  assert.ok(apache);
  assert.equal(apache.installedVersion, '2.4.38-3+deb10u4');
  assert.equal(apache.fixedVersion, '2.4.38-3+deb10u5');
  assert.deepEqual(apache.aliases, ['DSA-4937-1']);

  // DLA-3351-1 fixed CVE-2006-20001 later than DSA-4937-1's fix, so the smallest fix is reported.
  const later = findVulnerability(result, 'apache2', 'CVE-2006-20001');
  assert.equal(later?.fixedVersion, '2.4.38-3+deb10u9');

  const fixed = match(withVersion(sets, 'apache2', '2.4.38-3+deb10u5'), { family: 'debian', version: '10' });
  assert.equal(findVulnerability(fixed, 'apache2', 'CVE-2020-35452'), undefined);
  assert.ok(findVulnerability(fixed, 'apache2', 'CVE-2006-20001'));
});

test('matchPackages Debian binary by source', { skip }, async () => {
  const sets = await analyze(dpkgAnalyzer, 'dpkg/debian-10-drupal/var/lib/dpkg/status', 'var/lib/dpkg/status');
  const result = match(sets, { family: 'debian', version: '10' });
  const binaries = result.results[0]?.vulnerabilities.filter((vulnerability) => vulnerability.id === 'CVE-2020-35452').map((vulnerability) => vulnerability.pkgName);
  // apache2-bin, apache2-data and apache2-utils are built from the apache2 source package.
  assert.deepEqual([...new Set(binaries)].sort(), ['apache2', 'apache2-bin', 'apache2-data', 'apache2-utils']);
});

test('matchPackages Debian other release', { skip }, async () => {
  const sets = await analyze(dpkgAnalyzer, 'dpkg/debian-10-drupal/var/lib/dpkg/status', 'var/lib/dpkg/status');
  const result = match(sets, { family: 'debian', version: '11' });
  assert.equal(findVulnerability(result, 'apache2', 'CVE-2020-35452'), undefined);
});

test('matchPackages AlmaLinux 8 rpm database', { skip }, async () => {
  const sets = await analyze(rpmdbAnalyzer, 'rpm/libuuid-bdb_go-rpmdb/var/lib/rpm/Packages', 'var/lib/rpm/Packages');
  const result = match(sets, { family: 'almalinux', version: '8.8' });
  const libuuid = findVulnerability(result, 'libuuid', 'CVE-2025-14104');
  assert.ok(libuuid);
  assert.equal(libuuid.fixedVersion, '2.32.1-48.el8_10');
  assert.deepEqual(libuuid.aliases, ['ALSA-2026:1852']);

  const fixed = match(withVersion(sets, 'libuuid', '2.32.1-48.el8_10'), { family: 'almalinux', version: '8.8' });
  assert.equal(findVulnerability(fixed, 'libuuid', 'CVE-2025-14104'), undefined);
  const rocky = match(sets, { family: 'rocky', version: '8.8' });
  assert.ok(findVulnerability(rocky, 'libuuid', 'CVE-2025-14104'));
});

test('matchPackages rpm modularity', { skip }, () => {
  // ALSA-2023:6938 fixes aardvark-dns only in the container-tools module build.
  const sets: PackageSet[] = [
    { class: 'os-pkgs', type: 'rpm', target: 'rpmdb', packages: [{ name: 'aardvark-dns', version: '2:1.0.1-37.el8', path: 'rpmdb' }] },
  ];
  const plain = match(sets, { family: 'almalinux', version: '8.9' });
  assert.equal(plain.results[0]?.vulnerabilities.some((vulnerability) => vulnerability.aliases.includes('ALSA-2023:6938')), false);

  const modular = match(withVersion(sets, 'aardvark-dns', '2:1.0.1-37.module_el8.8.0+3615+3543c705'), { family: 'almalinux', version: '8.9' });
  assert.equal(modular.results[0]?.vulnerabilities.some((vulnerability) => vulnerability.aliases.includes('ALSA-2023:6938')), true);
});

test('matchPackages go.mod against Go database', { skip }, async () => {
  const sets = await analyze(lockfileAnalyzer('go.mod'), 'lang/go/trivy-go116/go.mod', 'go.mod');
  const result = match(sets);
  const yaml = findVulnerability(result, 'gopkg.in/yaml.v3', 'CVE-2022-28948');
  assert.ok(yaml);
  assert.deepEqual(yaml.aliases, ['GHSA-hp87-p4gw-j4gq', 'GO-2022-0603']);
  // go.mod writes v3.0.0-…, so the fix is shown with the same v prefix.
  assert.equal(yaml.fixedVersion, 'v3.0.0-20220521103104-8f96da9f5d5e');

  const fixed = match(withVersion(sets, 'gopkg.in/yaml.v3', 'v3.0.0-20220521103104-8f96da9f5d5e'));
  assert.equal(findVulnerability(fixed, 'gopkg.in/yaml.v3', 'CVE-2022-28948'), undefined);
});

test('matchPackages poetry.lock against PyPI database', { skip }, async () => {
  const sets = await analyze(lockfileAnalyzer('poetry.lock'), 'lang/python/poetry/trivy-v1-flask/poetry.lock', 'poetry.lock');
  const result = match(sets);
  const flask = findVulnerability(result, 'flask', 'CVE-2023-30861');
  assert.ok(flask);
  assert.equal(flask.fixedVersion, '2.2.5');
  assert.deepEqual(flask.aliases, ['GHSA-m2qf-hxjv-5gpq', 'PYSEC-2023-62']);

  const unfixed = findVulnerability(result, 'py', 'CVE-2022-42969');
  assert.equal(unfixed?.status, 'affected');
  assert.equal(unfixed?.fixedVersion, undefined);

  const fixed = match(withVersion(sets, 'flask', '2.2.5'));
  assert.equal(findVulnerability(fixed, 'flask', 'CVE-2023-30861'), undefined);
});

test('matchPackages PyPI name normalization', { skip }, () => {
  const sets: PackageSet[] = [{ class: 'lang-pkgs', type: 'pip', target: 'requirements.txt', packages: [{ name: 'Flask', version: '1.0.3', path: 'requirements.txt' }] }];
  assert.ok(findVulnerability(match(sets), 'Flask', 'CVE-2023-30861'));
});

test('matchPackages Cargo.lock against RustSec', { skip }, async () => {
  const sets = await analyze(lockfileAnalyzer('Cargo.lock'), 'lang/cargo/trivy-ci-test/Cargo.lock', 'Cargo.lock');
  const result = match(sets);
  const ammonia = findVulnerability(result, 'ammonia', 'CVE-2019-15542');
  assert.ok(ammonia);
  assert.equal(ammonia.fixedVersion, '2.1.0');
  assert.equal(ammonia.severity, 'HIGH');

  const fixed = match(withVersion(sets, 'ammonia', '2.1.0'));
  assert.equal(findVulnerability(fixed, 'ammonia', 'CVE-2019-15542'), undefined);
});

test('matchPackages informational RustSec', { skip }, () => {
  // RUSTSEC-2016-0004 marks libusb as unmaintained; it is not a vulnerability.
  const sets: PackageSet[] = [{ class: 'lang-pkgs', type: 'cargo', target: 'Cargo.lock', packages: [{ name: 'libusb', version: '0.2.0', path: 'Cargo.lock' }] }];
  assert.equal(findVulnerability(match(sets), 'libusb', 'RUSTSEC-2016-0004'), undefined);
  assert.ok(findVulnerability(match(sets, undefined, true), 'libusb', 'RUSTSEC-2016-0004'));
});

test('matchPackages withdrawn never reported', { skip }, () => {
  const sets: PackageSet[] = [
    {
      class: 'lang-pkgs',
      type: 'gomod',
      target: 'go.mod',
      packages: [
        { name: 'github.com/gravitational/teleport', version: 'v14.0.0', path: 'go.mod' },
        { name: 'k8s.io/kubernetes', version: 'v1.20.0', path: 'go.mod' },
      ],
    },
  ];
  const ids = match(sets).results[0]?.vulnerabilities.flatMap((vulnerability) => [vulnerability.id, ...vulnerability.aliases]) ?? [];
  assert.ok(ids.length > 0);
  for (const withdrawn of ['GO-2024-2442', 'GHSA-76cc-p55w-63g3', 'GO-2024-2445', 'GO-2024-2447', 'GO-2022-0617']) {
    assert.equal(ids.includes(withdrawn), false, `${withdrawn} is withdrawn`);
  }
});

test('matchPackages Ubuntu without data', { skip }, () => {
  const sets: PackageSet[] = [{ class: 'os-pkgs', type: 'dpkg', target: 'var/lib/dpkg/status', packages: [{ name: 'bash', version: '5.1-6ubuntu1', path: 'var/lib/dpkg/status' }] }];
  const result = match(sets, { family: 'ubuntu', version: '22.04' });
  assert.deepEqual(result.results[0]?.vulnerabilities, []);
  assert.equal(result.diagnostics[0]?.code, 'NOT_FOUND');
});

test('matchPackages invalid version diagnostic', { skip }, () => {
  const sets: PackageSet[] = [{ class: 'lang-pkgs', type: 'poetry', target: 'poetry.lock', packages: [{ name: 'flask', version: 'not a version!', path: 'poetry.lock' }] }];
  const result = match(sets);
  assert.deepEqual(result.results[0]?.vulnerabilities, []);
  assert.equal(result.diagnostics.length, 1);
  assert.equal(result.diagnostics[0]?.code, 'VERSION_INVALID');
});

test('matchPackages Gemfile.lock against GHSA', { skip }, async () => {
  const sets = await analyze(lockfileAnalyzer('Gemfile.lock'), 'lang/ruby/scancode-complex/Gemfile.lock', 'Gemfile.lock');
  const result = match(sets);
  const rexml = findVulnerability(result, 'rexml', 'CVE-2021-28965');
  assert.ok(rexml, 'rexml 3.2.4 is before the fix');
  assert.equal(rexml.fixedVersion, '3.2.5');
  assert.equal(result.diagnostics.filter((diagnostic) => diagnostic.code === 'UNSUPPORTED').length, 0);

  const prerelease = match(withVersion(sets, 'rexml', '3.2.5.rc1'));
  assert.ok(findVulnerability(prerelease, 'rexml', 'CVE-2021-28965'), '3.2.5.rc1 sorts before 3.2.5');
  const fixed = match(withVersion(sets, 'rexml', '3.2.5'));
  assert.equal(findVulnerability(fixed, 'rexml', 'CVE-2021-28965'), undefined);
});

test('matchPackages composer.lock against GHSA', { skip }, async () => {
  const sets = await analyze(lockfileAnalyzer('composer.lock'), 'lang/php/scancode/composer.lock', 'composer.lock');
  const result = match(sets);
  const guzzle = findVulnerability(result, 'guzzlehttp/guzzle', 'CVE-2022-29248');
  assert.ok(guzzle, 'guzzle 5.3.3 is before the fix');
  assert.equal(guzzle.fixedVersion, '6.5.6');
  assert.equal(result.diagnostics.filter((diagnostic) => diagnostic.code === 'UNSUPPORTED').length, 0);

  const secondRange = match(withVersion(sets, 'guzzlehttp/guzzle', 'v7.4.3-RC1'));
  assert.ok(findVulnerability(secondRange, 'guzzlehttp/guzzle', 'CVE-2022-29248'), 'v7.4.3-RC1 sorts before 7.4.3');
  for (const fixedVersion of ['6.5.6', 'v7.4.3', '7.5.0']) {
    const fixed = match(withVersion(sets, 'guzzlehttp/guzzle', fixedVersion));
    assert.equal(findVulnerability(fixed, 'guzzlehttp/guzzle', 'CVE-2022-29248'), undefined, fixedVersion);
  }
});

test('matchPackages composer branch diagnostic', { skip }, () => {
  const sets: PackageSet[] = [{ class: 'lang-pkgs', type: 'composer', target: 'composer.lock', packages: [{ name: 'guzzlehttp/guzzle', version: 'dev-master', path: 'composer.lock' }] }];
  const result = match(sets);
  assert.deepEqual(result.results[0]?.vulnerabilities, []);
  assert.equal(result.diagnostics[0]?.code, 'VERSION_INVALID');
});
