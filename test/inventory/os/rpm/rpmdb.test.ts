import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { parseRpmdb, rpmdbAnalyzer, splitSourceRpm } from '../../../../src/inventory/os/rpm/rpmdb.js';
import { DiagnosticList } from '../../../../src/inventory/os/diagnostic-list.js';
import { sharedPath } from '../../../helpers/shared.js';
import { buildPackageHeader, RPM_TYPE, seededRandom } from './build-header.js';

/**
 * Every rpm fixture: [path under fixtures/rpm, packages]. The BerkeleyDB files of RHEL 8.0 and
 * Fedora 26 also contain two and one gpg-pubkey headers, which are not packages.
 */
const FIXTURES: Array<[string, number]> = [
  ['cbl-mariner-2.0_go-rpmdb/var/lib/rpm/rpmdb.sqlite', 129],
  ['fedora-38-subset_scancode/rpmdb.sqlite', 2],
  ['rhel-bdb_scancode/var/lib/rpm/Packages', 99],
  ['fedora-26-bdb_scancode/var/lib/rpm/Packages', 113],
  ['libuuid-bdb_go-rpmdb/var/lib/rpm/Packages', 1],
  ['bdb-small_syft/Packages', 1],
  ['sle15-bci_go-rpmdb/var/lib/rpm/Packages.db', 35],
  ['suse-ndb_snyk/Packages.db', 3],
];

function parseFixture(path: string): { packages: ReturnType<typeof parseRpmdb>; diagnostics: DiagnosticList } {
  const diagnostics = new DiagnosticList('var/lib/rpm/Packages');
  const packages = parseRpmdb(readFileSync(path), { path: 'var/lib/rpm/Packages', diagnostics });
  return { packages, diagnostics };
}

for (const [relativePath, packageCount] of FIXTURES) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`rpmdb fixture ${relativePath.split('/')[0]}`, { skip: file.skip }, () => {
    const { packages, diagnostics } = parseFixture(file.path);
    assert.equal(diagnostics.size, 0);
    assert.equal(packages.length, packageCount);
    assert.equal(packages.filter((pkg) => pkg.name === 'gpg-pubkey').length, 0);
    assert.ok(packages.every((pkg) => pkg.arch !== undefined && pkg.srcName !== undefined));
  });
}

/** [fixture, package name, version, source name, source version, architecture]. */
const SPOT_CHECKS: Array<[string, string, string, string, string, string]> = [
  ['libuuid-bdb_go-rpmdb/var/lib/rpm/Packages', 'libuuid', '2.32.1-42.el8_8', 'util-linux', '2.32.1-42.el8_8', 'x86_64'],
  ['bdb-small_syft/Packages', 'dive', '0.9.2-1', 'dive', '0.9.2-1', 'x86_64'],
  ['rhel-bdb_scancode/var/lib/rpm/Packages', 'openssl-libs', '1:1.1.1-8.el8', 'openssl', '1:1.1.1-8.el8', 'x86_64'],
  ['rhel-bdb_scancode/var/lib/rpm/Packages', 'redhat-release', '8.0-0.44.el8', 'redhat-release', '8.0-0.44.el8', 'x86_64'],
  ['fedora-26-bdb_scancode/var/lib/rpm/Packages', 'shadow-utils', '2:4.3.1-3.module_39876f37', 'shadow-utils', '2:4.3.1-3.module_39876f37', 'x86_64'],
  ['cbl-mariner-2.0_go-rpmdb/var/lib/rpm/rpmdb.sqlite', 'curl', '7.76.0-6.cm2', 'curl', '7.76.0-6.cm2', 'x86_64'],
  ['cbl-mariner-2.0_go-rpmdb/var/lib/rpm/rpmdb.sqlite', 'ca-certificates-base', '1:2.0.0-1.cm2', 'ca-certificates', '1:2.0.0-1.cm2', 'noarch'],
  ['fedora-38-subset_scancode/rpmdb.sqlite', 'libgcc', '13.1.1-2.fc38', 'gcc', '13.1.1-2.fc38', 'x86_64'],
  ['sle15-bci_go-rpmdb/var/lib/rpm/Packages.db', 'sles-release', '15.3-55.4.1', 'sles-release', '15.3-55.4.1', 'x86_64'],
  ['sle15-bci_go-rpmdb/var/lib/rpm/Packages.db', 'glibc', '2.31-9.3.2', 'glibc', '2.31-9.3.2', 'x86_64'],
  ['suse-ndb_snyk/Packages.db', 'glibc', '2.31-150300.63.1', 'glibc', '2.31-150300.63.1', 'x86_64'],
];

for (const [relativePath, name, version, srcName, srcVersion, arch] of SPOT_CHECKS) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`rpmdb ${relativePath.split('/')[0]} ${name}`, { skip: file.skip }, () => {
    const pkg = parseFixture(file.path).packages.find((candidate) => candidate.name === name);
    assert.ok(pkg !== undefined, `${name} not found`);
    assert.equal(pkg.version, version);
    assert.equal(pkg.srcName, srcName);
    assert.equal(pkg.srcVersion, srcVersion);
    assert.equal(pkg.arch, arch);
  });
}

const libuuid = sharedPath('fixtures', 'rpm', 'libuuid-bdb_go-rpmdb', 'var', 'lib', 'rpm', 'Packages');
test('rpmdb analyzer output', { skip: libuuid.skip }, async () => {
  const content = readFileSync(libuuid.path);
  const output = await rpmdbAnalyzer.analyze({ info: { path: 'var/lib/rpm/Packages', size: content.length, mode: 0o644 }, content });
  assert.equal(output.diagnostics, undefined);
  assert.deepEqual(output.packageSets, [
    {
      class: 'os-pkgs',
      type: 'rpm',
      target: 'var/lib/rpm/Packages',
      packages: [
        {
          name: 'libuuid',
          version: '2.32.1-42.el8_8',
          path: 'var/lib/rpm/Packages',
          arch: 'x86_64',
          licenses: ['BSD'],
          supplier: { name: 'Red Hat, Inc.', kind: 'organization' },
          srcName: 'util-linux',
          srcVersion: '2.32.1-42.el8_8',
        },
      ],
    },
  ]);
});

test('rpmdb modularity label and gpg-pubkey', () => {
  const database = new Database(':memory:');
  database.exec("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
  const insert = database.prepare('INSERT INTO Packages (blob) VALUES (?)');
  insert.run(
    buildPackageHeader({ name: 'nodejs', version: '18.18.2', release: '1.module+el8.9.0+20473+c4e3d824', epoch: 1, arch: 'x86_64', sourceRpm: 'nodejs-18.18.2-1.module+el8.9.0+20473+c4e3d824.src.rpm' }, [
      { tag: 5096, type: RPM_TYPE.STRING, value: 'nodejs:18:8090020231019152822:a75119d5' },
    ]),
  );
  insert.run(buildPackageHeader({ name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' }));
  insert.run(buildPackageHeader({ name: 'odd', version: '1', release: '1', arch: 'noarch', sourceRpm: 'not-a-source-name' }));
  insert.run(Buffer.from('not a header at all'));
  const image = database.serialize();
  database.close();

  const diagnostics = new DiagnosticList('usr/lib/sysimage/rpm/rpmdb.sqlite');
  const packages = parseRpmdb(image, { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', diagnostics });
  assert.deepEqual(packages.map((pkg) => pkg.name), ['nodejs', 'odd']);
  assert.equal(packages[0]?.version, '1:18.18.2-1.module+el8.9.0+20473+c4e3d824');
  assert.equal(packages[0]?.modularityLabel, 'nodejs:18:8090020231019152822:a75119d5');
  assert.equal(packages[0]?.srcVersion, '1:18.18.2-1.module+el8.9.0+20473+c4e3d824');
  assert.equal(packages[1]?.srcName, undefined);

  const [badSource, badHeader, ...rest] = diagnostics.toArray();
  assert.equal(rest.length, 0);
  assert.equal(badSource?.code, 'FORMAT_INVALID');
  assert.match(badSource?.message ?? '', /^package odd: SOURCERPM "not-a-source-name" is not name-version-release\.src\.rpm$/);
  assert.equal(badHeader?.code, 'LIMIT_EXCEEDED');
  assert.match(badHeader?.message ?? '', /^header 4 was skipped: rpm header has \d+ index entries, more than the limit of 65535$/);
});

test('rpmdb unknown format', () => {
  const diagnostics = new DiagnosticList('var/lib/rpm/Packages');
  const packages = parseRpmdb(Buffer.from('hello, world, this is not a database'), { path: 'var/lib/rpm/Packages', diagnostics });
  assert.equal(packages.length, 0);
  assert.equal(diagnostics.toArray()[0]?.code, 'UNSUPPORTED');
});

for (const [relativePath, packageCount] of FIXTURES) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`rpmdb corrupted ${relativePath.split('/')[0]}`, { skip: file.skip }, async () => {
    const original = readFileSync(file.path);
    const info = { path: 'var/lib/rpm/Packages', size: original.length, mode: 0o644 };

    const truncated = await rpmdbAnalyzer.analyze({ info, content: original.subarray(0, Math.floor(original.length / 2)) });
    assert.ok((truncated.diagnostics?.length ?? 0) > 0, 'truncated copy gave no diagnostic');
    assert.ok(truncated.packageSets![0]!.packages.length <= packageCount);

    const random = seededRandom(original.length);
    for (let round = 0; round < 20; round++) {
      const content = Buffer.from(original);
      for (let flip = 0; flip < 64; flip++) content[Math.floor(random() * content.length)] = Math.floor(random() * 256);
      const output = await rpmdbAnalyzer.analyze({ info, content });
      assert.equal(output.packageSets?.length, 1, `round ${round}`);
    }
  });
}

test('rpmdb splitSourceRpm', () => {
  assert.deepEqual(splitSourceRpm('bash-5.1.8-6.el9.src.rpm'), { name: 'bash', version: '5.1.8', release: '6.el9' });
  assert.deepEqual(splitSourceRpm('python3.11-pip-22.3.1-4.el9.nosrc.rpm'), { name: 'python3.11-pip', version: '22.3.1', release: '4.el9' });
  assert.equal(splitSourceRpm('bash.src.rpm'), undefined);
  assert.equal(splitSourceRpm('bash-5.1.8-6.el9.x86_64.rpm'), undefined);
});

test('rpmdb required paths', () => {
  const wants = (path: string): boolean => rpmdbAnalyzer.required({ path, size: 100, mode: 0o644 });
  for (const path of ['var/lib/rpm/Packages', 'var/lib/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages.db', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/Packages.db']) {
    assert.equal(wants(path), true, path);
  }
  assert.equal(wants('var/lib/rpm/Name'), false);
  assert.equal(wants('var/lib/rpm/rpmdb.sqlite-wal'), false);
  assert.equal(wants('root/var/lib/rpm/Packages'), false);
});

/** [fixture, packages, Vendor of every package] for the rpm databases that record a Vendor. */
const VENDORS: Array<[string, number, string]> = [
  ['fedora-26-bdb_scancode/var/lib/rpm/Packages', 113, 'Fedora Project'],
  ['cbl-mariner-2.0_go-rpmdb/var/lib/rpm/rpmdb.sqlite', 129, 'Microsoft Corporation'],
  ['rhel-bdb_scancode/var/lib/rpm/Packages', 99, 'Red Hat, Inc.'],
  // `SUSE LLC <https://www.suse.com/>`: the bracketed web address is no mail address.
  ['suse-ndb_snyk/Packages.db', 3, 'SUSE LLC'],
];

for (const [relativePath, count, vendor] of VENDORS) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`rpm Vendor of ${relativePath.split('/')[0]}`, { skip: file.skip }, () => {
    const packages = parseRpmdb(readFileSync(file.path), { path: 'var/lib/rpm/Packages' });
    assert.equal(packages.length, count);
    for (const pkg of packages) assert.deepEqual(pkg.supplier, { name: vendor, kind: 'organization' }, pkg.name);
  });
}
