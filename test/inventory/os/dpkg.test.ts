import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DiagnosticList } from '../../../src/inventory/os/diagnostic-list.js';
import { dependencyNames, dpkgAnalyzer, parseDpkgStatus } from '../../../src/inventory/os/dpkg.js';
import { sharedPath } from '../../helpers/shared.js';

/**
 * Every dpkg fixture: [path under fixtures/dpkg, installed packages, diagnostics]. The installed
 * count is the stanza count minus the stanzas that are not installed (config-files) or not
 * packages (vcpkg feature stanzas, which have no Version).
 */
const FIXTURES: Array<[string, number, number]> = [
  ['ubuntu-10.04_snyk/var/lib/dpkg/status', 140, 0],
  ['ubuntu-18.04_trivy/var/lib/dpkg/status', 90, 0],
  ['ubuntu-18.04-texlive_claircore/texlive.status', 357, 0],
  ['ubuntu-20.04-armhf/var/lib/dpkg/status', 221, 0],
  ['ubuntu-22.04/var/lib/dpkg/status', 117, 0],
  ['debian-9-glpi/var/lib/dpkg/status', 492, 0],
  ['debian-10-drupal/var/lib/dpkg/status', 195, 0],
  ['debian-11-nginx/var/lib/dpkg/status', 142, 0],
  // Holds unresolved git merge conflicts: 33 marker lines and 17 repeated fields, capped at 20 plus a summary.
  ['debian-11-postgres/var/lib/dpkg/status', 147, 21],
  ['debian-12-nginx-langflow/var/lib/dpkg/status', 155, 0],
  ['distroless-status.d/debian-11-arm64_syft/var/lib/dpkg/status.d/libsqlite3-0', 1, 0],
  ['distroless-status.d/debian-10_stackrox/var/lib/dpkg/status.d/base', 1, 0],
  ['distroless-status.d/debian-10_stackrox/var/lib/dpkg/status.d/netbase', 1, 0],
  ['distroless-status.d/syft-pkg-coverage/var/lib/dpkg/status.d/dash', 1, 0],
  ['distroless-status.d/syft-pkg-coverage/var/lib/dpkg/status.d/netbase', 1, 0],
  ['distroless-status.d/debian-12-arm64-multi-entry_syft/coreutils-relationships', 9, 0],
  ['edge-cases/deinstall_ubuntu-24.04-aws-kernels_syft', 1, 0],
  ['edge-cases/vcpkg.status', 15, 9],
];

function parseFixture(relativePath: string, fullPath: string): { packages: ReturnType<typeof parseDpkgStatus>; diagnostics: DiagnosticList } {
  const diagnostics = new DiagnosticList(relativePath);
  const packages = parseDpkgStatus(readFileSync(fullPath, 'utf8'), { path: relativePath, resolveDependencies: relativePath.endsWith('/status'), diagnostics });
  return { packages, diagnostics };
}

for (const [relativePath, expectedPackages, expectedDiagnostics] of FIXTURES) {
  const file = sharedPath('fixtures', 'dpkg', relativePath);
  test(`dpkg fixture ${relativePath}`, { skip: file.skip }, () => {
    const { packages, diagnostics } = parseFixture(relativePath, file.path);
    assert.equal(packages.length, expectedPackages);
    assert.equal(diagnostics.toArray().length, expectedDiagnostics);
    assert.ok(packages.every((pkg) => pkg.path === relativePath));
    assert.ok(packages.every((pkg) => pkg.purl === undefined));
  });
}

function dpkgQueryAvailable(): boolean {
  try {
    execFileSync('dpkg-query', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Complete status files that the real dpkg-query reads. The postgres file is left out because
 * dpkg-query rejects its merge-conflict lines.
 */
const DPKG_QUERY_FIXTURES = FIXTURES.map(([path]) => path).filter((path) => path.endsWith('/status') && !path.startsWith('debian-11-postgres'));
const skipDpkgQuery = dpkgQueryAvailable() ? false : 'dpkg-query not found; install the dpkg package to run this test';

for (const relativePath of DPKG_QUERY_FIXTURES) {
  const file = sharedPath('fixtures', 'dpkg', relativePath);
  test(`dpkg matches dpkg-query on ${relativePath.split('/')[0]}`, { skip: file.skip || skipDpkgQuery }, () => {
    const adminDir = mkdtempSync(join(tmpdir(), 'bulwark-dpkg-'));
    try {
      mkdirSync(join(adminDir, 'info'));
      mkdirSync(join(adminDir, 'updates'));
      writeFileSync(join(adminDir, 'status'), readFileSync(file.path));
      const output = execFileSync('dpkg-query', [`--admindir=${adminDir}`, '-W', '-f', '${Package}\\t${Architecture}\\t${Version}\\t${db:Status-Status}\\n'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const expected = output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t'))
        .filter(([, , , state]) => state === 'installed')
        .map(([name, arch, version]) => `${name} ${arch} ${version}`)
        .sort();

      const { packages } = parseFixture(relativePath, file.path);
      const actual = packages.map((pkg) => `${pkg.name} ${pkg.arch} ${pkg.version}`).sort();
      assert.ok(expected.length > 0);
      assert.deepEqual(actual, expected);
    } finally {
      rmSync(adminDir, { recursive: true, force: true });
    }
  });
}

const trivy = sharedPath('fixtures', 'dpkg', 'ubuntu-18.04_trivy', 'var', 'lib', 'dpkg', 'status');
test('dpkg skips config-files stanza', { skip: trivy.skip }, () => {
  const { packages } = parseFixture('var/lib/dpkg/status', trivy.path);
  assert.equal(packages.find((pkg) => pkg.name === 'git'), undefined);
});

test('dpkg resolves dependencies in status', { skip: trivy.skip }, () => {
  const { packages } = parseFixture('var/lib/dpkg/status', trivy.path);
  const apt = packages.find((pkg) => pkg.name === 'apt');
  assert.deepEqual(apt?.dependsOn, ['adduser', 'gpgv', 'libapt-pkg5.0', 'libc6', 'libgcc1', 'libgnutls30', 'libseccomp2', 'libstdc++6', 'ubuntu-keyring']);
  const libc = packages.find((pkg) => pkg.name === 'libc6');
  assert.equal(libc?.srcName, 'glibc');
  assert.equal(libc?.srcVersion, '2.27-3ubuntu1');
  assert.equal(libc?.arch, 'amd64');
});

const drupal = sharedPath('fixtures', 'dpkg', 'debian-10-drupal', 'var', 'lib', 'dpkg', 'status');
test('dpkg source with version', { skip: drupal.skip }, () => {
  const { packages } = parseFixture('var/lib/dpkg/status', drupal.path);
  const bsdutils = packages.find((pkg) => pkg.name === 'bsdutils');
  assert.equal(bsdutils?.version, '1:2.33.1-0.1');
  assert.equal(bsdutils?.srcName, 'util-linux');
  assert.equal(bsdutils?.srcVersion, '2.33.1-0.1');
});

const armhf = sharedPath('fixtures', 'dpkg', 'ubuntu-20.04-armhf', 'var', 'lib', 'dpkg', 'status');
test('dpkg armhf architectures', { skip: armhf.skip }, () => {
  const { packages } = parseFixture('var/lib/dpkg/status', armhf.path);
  assert.equal(packages.filter((pkg) => pkg.arch === 'armhf').length, 179);
  assert.equal(packages.filter((pkg) => pkg.arch === 'all').length, 42);
});

const postgres = sharedPath('fixtures', 'dpkg', 'debian-11-postgres', 'var', 'lib', 'dpkg', 'status');
test('dpkg keeps going past merge conflicts', { skip: postgres.skip }, () => {
  const { packages, diagnostics } = parseFixture('var/lib/dpkg/status', postgres.path);
  const libpq = packages.find((pkg) => pkg.name === 'libpq5');
  assert.equal(libpq?.version, '15.1-1.pgdg110+1');
  assert.equal(libpq?.srcName, 'postgresql-15');
  const first = diagnostics.toArray()[0];
  assert.equal(first?.code, 'FORMAT_INVALID');
  assert.match(first?.message ?? '', /^line 2013: not a "Field: value" line: "<<<<<<< HEAD"$/);
});

const distroless = sharedPath('fixtures', 'dpkg', 'distroless-status.d', 'debian-11-arm64_syft', 'var', 'lib', 'dpkg', 'status.d', 'libsqlite3-0');
test('dpkg distroless entry without Status', { skip: distroless.skip }, async () => {
  const content = readFileSync(distroless.path);
  const path = 'var/lib/dpkg/status.d/libsqlite3-0';
  const output = await dpkgAnalyzer.analyze({ info: { path, size: content.length, mode: 0o644 }, content });
  assert.equal(output.diagnostics, undefined);
  assert.equal(output.packageSets?.length, 1);
  const set = output.packageSets![0]!;
  assert.equal(set.class, 'os-pkgs');
  assert.equal(set.type, 'dpkg');
  assert.equal(set.target, path);
  assert.deepEqual(set.packages, [
    {
      name: 'libsqlite3-0',
      version: '3.34.1-3',
      path,
      arch: 'arm64',
      srcName: 'sqlite3',
      srcVersion: '3.34.1-3',
      supplier: { name: 'Laszlo Boszormenyi (GCS)', email: 'gcs@debian.org', kind: 'person' },
      dependsOn: ['libc6'],
    },
  ]);
});

/** [Status value, installed]: the states dpkg(1) documents. */
const STATES: Array<[string, boolean]> = [
  ['install ok installed', true],
  ['hold ok installed', true],
  ['deinstall ok installed', true],
  ['install ok triggers-pending', true],
  ['install ok triggers-awaited', true],
  ['install ok half-configured', true],
  ['install ok unpacked', true],
  ['install reinstreq half-installed', false],
  ['deinstall ok config-files', false],
  ['purge ok not-installed', false],
  ['unknown ok not-installed', false],
];

for (const [status, installed] of STATES) {
  test(`dpkg status ${status}`, () => {
    const packages = parseDpkgStatus(`Package: a\nStatus: ${status}\nVersion: 1.0\n`, { path: 'p', resolveDependencies: true });
    assert.equal(packages.length, installed ? 1 : 0);
  });
}

test('dpkg malformed Status is reported', () => {
  const diagnostics = new DiagnosticList('p');
  const packages = parseDpkgStatus('Package: a\nStatus: installed\nVersion: 1\n\nPackage: b\nVersion: 2\n', { path: 'p', resolveDependencies: true, diagnostics });
  assert.deepEqual(packages.map((pkg) => pkg.name), ['b']);
  assert.equal(diagnostics.size, 1);
  assert.match(diagnostics.toArray()[0]!.message, /package a at line 1: Status must be three words/);
});

test('dpkg CRLF and no final newline', () => {
  const packages = parseDpkgStatus('Package: a\r\nStatus: install ok installed\r\nVersion: 1.0-1\r\nDepends: b\r\n\r\nPackage: b\r\nStatus: install ok installed\r\nVersion: 2', { path: 'p', resolveDependencies: true });
  assert.equal(packages.length, 2);
  assert.equal(packages[0]?.version, '1.0-1');
  assert.deepEqual(packages[0]?.dependsOn, ['b']);
  assert.equal(packages[1]?.version, '2');
});

test('dpkg whitespace-only separator line', () => {
  const packages = parseDpkgStatus('Package: a\nVersion: 1\n \t \nPackage: b\nVersion: 2\n', { path: 'p', resolveDependencies: false });
  assert.deepEqual(packages.map((pkg) => pkg.name), ['a', 'b']);
});

test('dpkg huge field', () => {
  const description = `Description: x\n${' line of text\n'.repeat(200_000)}`;
  const text = `Package: big\nStatus: install ok installed\nVersion: 1\n${description}Depends: libc6\n\nPackage: libc6\nVersion: 2\n`;
  const packages = parseDpkgStatus(text, { path: 'p', resolveDependencies: true });
  assert.equal(packages.length, 2);
  assert.deepEqual(packages[0]?.dependsOn, ['libc6']);
});

test('dpkg garbage lines reported', () => {
  const diagnostics = new DiagnosticList('p');
  const text = 'junk before\nPackage: a\nVersion: 1\n#comment\n-dash\n\u0000\u0001binary\nArchitecture: amd64\n\n continuation outside\nPackage: b\nVersion: 2\n';
  const packages = parseDpkgStatus(text, { path: 'p', resolveDependencies: false, diagnostics });
  assert.deepEqual(packages.map((pkg) => `${pkg.name}/${pkg.arch}`), ['a/amd64', 'b/undefined']);
  assert.equal(diagnostics.size, 5);
  assert.ok(diagnostics.toArray().every((diagnostic) => diagnostic.code === 'FORMAT_INVALID'));
});

test('dpkg stanza without Package or Version', () => {
  const diagnostics = new DiagnosticList('p');
  const packages = parseDpkgStatus('Version: 1\n\nPackage: noversion\n\nPackage: ok\nVersion: 3\n', { path: 'p', resolveDependencies: false, diagnostics });
  assert.deepEqual(packages.map((pkg) => pkg.name), ['ok']);
  assert.equal(diagnostics.size, 2);
});

test('dpkg binary content does not throw', () => {
  const bytes = Buffer.alloc(64 * 1024);
  for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 7919) % 251;
  const diagnostics = new DiagnosticList('p');
  const packages = parseDpkgStatus(bytes.toString('utf8'), { path: 'p', resolveDependencies: true, diagnostics });
  assert.equal(packages.length, 0);
  assert.ok(diagnostics.size > 0);
  assert.ok(diagnostics.toArray().length <= 21);
});

test('dpkg dependency names without resolver', () => {
  assert.deepEqual(dependencyNames('libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, perl:any, gcc [amd64] <!nocheck>'), ['debconf', 'debconf-2.0', 'gcc', 'libc6', 'perl']);
});

test('dpkg dependency via Provides', () => {
  const text = 'Package: app\nVersion: 1\nDepends: debconf (>= 0.5) | debconf-2.0, awk, missing\n\nPackage: mawk\nVersion: 1\nProvides: awk\n\nPackage: cdebconf\nVersion: 1\nProvides: debconf-2.0\n';
  const packages = parseDpkgStatus(text, { path: 'p', resolveDependencies: true });
  assert.deepEqual(packages.find((pkg) => pkg.name === 'app')?.dependsOn, ['cdebconf', 'mawk']);
});

test('dpkg required paths', () => {
  const wants = (path: string): boolean => dpkgAnalyzer.required({ path, size: 100, mode: 0o644 });
  assert.equal(wants('var/lib/dpkg/status'), true);
  assert.equal(wants('var/lib/dpkg/status.d/base'), true);
  assert.equal(wants('var/lib/dpkg/status.d/libsqlite3-0.md5sums'), false);
  assert.equal(wants('var/lib/dpkg/status.d/'), false);
  assert.equal(wants('var/lib/dpkg/status.d/sub/base'), false);
  assert.equal(wants('var/lib/dpkg/status-old'), false);
  assert.equal(wants('var/lib/dpkg/available'), false);
});

const nginx11 = sharedPath('fixtures', 'dpkg', 'debian-11-nginx', 'var', 'lib', 'dpkg', 'status');

test('dpkg Maintainer becomes the supplier', { skip: nginx11.skip }, () => {
  const packages = parseDpkgStatus(readFileSync(nginx11.path, 'utf8'), { path: 'var/lib/dpkg/status', resolveDependencies: true });
  assert.equal(packages.length, 142);
  assert.equal(packages.filter((pkg) => pkg.supplier !== undefined).length, 142);
  assert.deepEqual(packages.find((pkg) => pkg.name === 'base-files')?.supplier, { name: 'Santiago Vila', email: 'sanvila@debian.org', kind: 'person' });
  assert.deepEqual(packages.find((pkg) => pkg.name === 'apt')?.supplier, { name: 'APT Development Team', email: 'deity@lists.debian.org', kind: 'person' });
});
