import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apkAnalyzer, parseApkInstalled } from '../../../src/inventory/os/apk.js';
import { DiagnosticList } from '../../../src/inventory/os/diagnostic-list.js';
import { sharedPath } from '../../helpers/shared.js';

/**
 * Every apk fixture: [folder, paragraphs with a P: line, packages, architecture]. The stackrox
 * and trivy files contain a paragraph named `invalidPackageWithoutAVersion`, which is reported
 * and skipped, so they have one package less than paragraphs.
 */
const FIXTURES: Array<[string, number, number, string]> = [
  ['alpine-2.6.6_snyk', 13, 13, 'x86_64'],
  ['alpine-3.4_stackrox', 12, 11, 'x86_64'],
  ['alpine-3.4_trivy', 16, 15, 'x86_64'],
  ['alpine-3.4.6_haconiwa', 16, 16, 'x86_64'],
  ['alpine-3.6.0_docker-free-rootfs', 11, 11, 'x86_64'],
  ['alpine-3.7.0_snyk', 11, 11, 'x86_64'],
  ['alpine-3.11_scancode-small', 14, 14, 'x86_64'],
  ['alpine-3.12_scancode-full', 14, 14, 'x86_64'],
  ['alpine-3.15.4_scancode-rootfs', 14, 14, 'x86_64'],
  ['alpine-3.16_syft', 14, 14, 'x86_64'],
  ['alpine-3.16_go-apk', 14, 14, 'aarch64'],
  ['alpine-3.16.0-armv7_granby', 14, 14, 'armv7'],
  ['alpine-3.18_osv-scalibr', 15, 15, 'x86_64'],
  ['wolfi-base_apko', 15, 15, 'x86_64'],
  ['wolfi-redis-operator-compat_apko', 16, 16, 'x86_64'],
];

function parseFixture(path: string): { packages: ReturnType<typeof parseApkInstalled>; diagnostics: DiagnosticList } {
  const diagnostics = new DiagnosticList('lib/apk/db/installed');
  const packages = parseApkInstalled(readFileSync(path, 'utf8'), { path: 'lib/apk/db/installed', diagnostics });
  return { packages, diagnostics };
}

for (const [folder, paragraphs, expectedPackages, arch] of FIXTURES) {
  const file = sharedPath('fixtures', 'apk', folder, 'lib', 'apk', 'db', 'installed');
  test(`apk fixture ${folder}`, { skip: file.skip }, () => {
    const { packages, diagnostics } = parseFixture(file.path);
    assert.equal(packages.length, expectedPackages);
    assert.equal(diagnostics.size, paragraphs - expectedPackages);
    assert.ok(packages.every((pkg) => pkg.arch === arch || pkg.arch === 'noarch'));
    assert.ok(packages.every((pkg) => pkg.srcName !== undefined && pkg.srcVersion === pkg.version));
  });
}

const trivy = sharedPath('fixtures', 'apk', 'alpine-3.4_trivy', 'lib', 'apk', 'db', 'installed');
test('apk reports paragraph without version', { skip: trivy.skip }, () => {
  const { diagnostics } = parseFixture(trivy.path);
  const [diagnostic] = diagnostics.toArray();
  assert.equal(diagnostic?.code, 'FORMAT_INVALID');
  assert.equal(diagnostic?.message, 'paragraph at line 23 has no V: (version) line and was skipped');
});

const alpine318 = sharedPath('fixtures', 'apk', 'alpine-3.18_osv-scalibr', 'lib', 'apk', 'db', 'installed');
test('apk musl of alpine 3.18', { skip: alpine318.skip }, () => {
  const { packages } = parseFixture(alpine318.path);
  const musl = packages.find((pkg) => pkg.name === 'musl');
  assert.deepEqual(musl, {
    name: 'musl',
    version: '1.2.4-r0',
    path: 'lib/apk/db/installed',
    arch: 'x86_64',
    srcName: 'musl',
    srcVersion: '1.2.4-r0',
    licenses: ['MIT'],
    supplier: { name: 'Timo Teräs', email: 'timo.teras@iki.fi', kind: 'person' },
  });
  const busybox = packages.find((pkg) => pkg.name === 'busybox');
  assert.equal(busybox?.version, '1.36.0-r9');
  assert.deepEqual(busybox?.dependsOn, ['musl']);
});

const wolfi = sharedPath('fixtures', 'apk', 'wolfi-redis-operator-compat_apko', 'lib', 'apk', 'db', 'installed');
test('apk origin differs from name', { skip: wolfi.skip }, () => {
  const { packages } = parseFixture(wolfi.path);
  const compat = packages.find((pkg) => pkg.name === 'redis-operator-compat');
  assert.equal(compat?.version, '0.21.0-r1');
  assert.equal(compat?.srcName, 'redis-operator');
  assert.deepEqual(compat?.licenses, ['Apache-2.0']);
});

test('apk resolves so: and file dependencies', () => {
  const text = [
    'P:app\nV:1-r0\nD:so:libc.musl-x86_64.so.1 /bin/sh cmd:missing !conflicting musl>=1.2\n',
    'P:musl\nV:1.2.4-r0\np:so:libc.musl-x86_64.so.1=1\n',
    'P:busybox\nV:1.36.0-r9\nF:bin\nR:sh\n',
  ].join('\n');
  const packages = parseApkInstalled(text, { path: 'p' });
  assert.deepEqual(packages.find((pkg) => pkg.name === 'app')?.dependsOn, ['busybox', 'musl']);
});

test('apk CRLF and no final newline', () => {
  const packages = parseApkInstalled('P:a\r\nV:1-r0\r\nA:x86_64\r\n\r\nP:b\r\nV:2-r1', { path: 'p' });
  assert.deepEqual(packages.map((pkg) => `${pkg.name} ${pkg.version} ${pkg.arch}`), ['a 1-r0 x86_64', 'b 2-r1 undefined']);
});

test('apk garbage lines reported', () => {
  const diagnostics = new DiagnosticList('p');
  const packages = parseApkInstalled('P:a\ngarbage line\nV:1-r0\n::\n\nV:2\n', { path: 'p', diagnostics });
  assert.deepEqual(packages.map((pkg) => pkg.name), ['a']);
  assert.equal(diagnostics.size, 3);
  assert.match(diagnostics.toArray()[2]!.message, /no P: \(name\) line/);
});

test('apk binary content does not throw', () => {
  const bytes = Buffer.alloc(32 * 1024);
  for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 104729) % 256;
  const diagnostics = new DiagnosticList('p');
  const packages = parseApkInstalled(bytes.toString('latin1'), { path: 'p', diagnostics });
  assert.ok(packages.length <= 1);
  assert.ok(diagnostics.size > 0);
});

test('apk analyzer output', async () => {
  const content = Buffer.from('P:zlib\nV:1.2.13-r1\nA:aarch64\no:zlib\nL:Zlib\n');
  const output = await apkAnalyzer.analyze({ info: { path: 'lib/apk/db/installed', size: content.length, mode: 0o644 }, content });
  assert.equal(output.diagnostics, undefined);
  assert.deepEqual(output.packageSets, [
    {
      class: 'os-pkgs',
      type: 'apk',
      target: 'lib/apk/db/installed',
      packages: [{ name: 'zlib', version: '1.2.13-r1', path: 'lib/apk/db/installed', arch: 'aarch64', srcName: 'zlib', srcVersion: '1.2.13-r1', licenses: ['Zlib'] }],
    },
  ]);
});

test('apk required paths', () => {
  const wants = (path: string): boolean => apkAnalyzer.required({ path, size: 100, mode: 0o644 });
  assert.equal(wants('lib/apk/db/installed'), true);
  assert.equal(wants('/lib/apk/db/installed'), false);
  assert.equal(wants('usr/lib/apk/db/installed'), false);
  assert.equal(wants('lib/apk/db/triggers'), false);
});

const syft316 = sharedPath('fixtures', 'apk', 'alpine-3.16_syft', 'lib', 'apk', 'db', 'installed');

test('apk maintainer becomes the supplier', { skip: syft316.skip }, () => {
  const packages = parseApkInstalled(readFileSync(syft316.path, 'utf8'), { path: 'lib/apk/db/installed' });
  assert.equal(packages.length, 14);
  // The file has 8 packages by Natanael Copa, 2 by Sören Tempel and 4 by Timo Teräs (2 spelled without the umlaut).
  const counts = new Map<string, number>();
  for (const pkg of packages) counts.set(`${pkg.supplier?.name} <${pkg.supplier?.email}>`, (counts.get(`${pkg.supplier?.name} <${pkg.supplier?.email}>`) ?? 0) + 1);
  assert.deepEqual([...counts].sort(), [
    ['Natanael Copa <ncopa@alpinelinux.org>', 8],
    ['Sören Tempel <soeren+alpine@soeren-tempel.net>', 2],
    ['Timo Teras <timo.teras@iki.fi>', 2],
    ['Timo Teräs <timo.teras@iki.fi>', 2],
  ]);
  assert.equal(packages.some((pkg) => pkg.hashes !== undefined), false);
});
