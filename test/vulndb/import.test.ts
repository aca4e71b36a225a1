import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { BulwarkError, VulnDbError } from '../../src/errors.js';
import { defaultSourceName, detectSourceKind, importSources } from '../../src/vulndb/import.js';
import { openVulnDb } from '../../src/vulndb/store.js';
import { sharedPath } from '../helpers/shared.js';

const work = mkdtempSync(join(tmpdir(), 'bulwark-vulndb-import-'));
after(() => rmSync(work, { recursive: true, force: true }));

const vulndata = sharedPath('vulndata');

function countRows(dbPath: string, sql: string, ...params: unknown[]): number {
  const vulnDb = openVulnDb(dbPath);
  try {
    return vulnDb.db.prepare(sql).pluck().get(...params) as number;
  } finally {
    vulnDb.close();
  }
}

// Record counts from each source's README in the shared vulndata folder.
const OSV_COUNTS: Array<[string, number]> = [
  ['osv-go', 4291],
  ['osv-crates', 1206],
  ['osv-pypi', 2661],
  ['osv-almalinux', 5680],
  ['osv-bitnami', 1861],
  ['osv-npm-malicious', 2225 + 55],
  ['osv-ghsa-npm-sample', 8],
  ['osv-oss-fuzz', 202],
];

for (const [folder, expected] of OSV_COUNTS) {
  test(`importSources ${folder} record count`, { skip: vulndata.skip }, async () => {
    const dbPath = join(work, `${folder}.sqlite`);
    const summary = await importSources(dbPath, [join(vulndata.path, folder)]);
    const source = summary.sources[0];
    assert.ok(source);
    assert.equal(source.kind, 'osv');
    assert.equal(source.records, expected);
    assert.equal(source.skipped, 0);
    // AlmaLinux repeats 43 advisory IDs in two release folders; each ID is stored once.
    const duplicateIds = folder === 'osv-almalinux' ? 43 : 0;
    assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories'), expected - duplicateIds);
  });
}

test('importSources OSV withdrawn and zero dates', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'osv-go.sqlite');
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories WHERE withdrawn IS NOT NULL'), 17);
  // 4,039 Go records carry the zero date 0001-01-01 in the git copy, which means unknown.
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM advisories WHERE published LIKE '0001%'"), 0);
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories WHERE published IS NULL'), 4039);
});

test('importSources crates informational kinds', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'osv-crates.sqlite');
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories WHERE withdrawn IS NOT NULL'), 13);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM advisories WHERE informational = 'unmaintained'"), 267);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM advisories WHERE informational = 'unsound'"), 203);
});

test('importSources PyPI YAML dates and GIT ranges', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'pypi-again.sqlite');
  const summary = await importSources(dbPath, [join(vulndata.path, 'osv-pypi')]);
  const source = summary.sources[0];
  assert.ok(source);
  assert.ok((source.ignored['git-range'] ?? 0) > 0);
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories WHERE withdrawn IS NOT NULL'), 10);
  // The YAML file writes `modified: 2023-11-07T20:24:23.946863Z`; the timestamp is kept as written.
  assert.equal(countRows(dbPath, "SELECT modified FROM advisories WHERE advisory_id = 'PYSEC-2020-342'") as unknown, '2023-11-07T20:24:23.946863Z');
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM affected WHERE ecosystem = 'pypi' AND name = 'apache-skywalking'"), 1);
});

test('importSources OSS-Fuzz GIT-only ranges', { skip: vulndata.skip }, async () => {
  const summary = await importSources(join(work, 'fuzz.sqlite'), [join(vulndata.path, 'osv-oss-fuzz')]);
  assert.equal(summary.sources[0]?.ignored['git-range'], 202);
});

test('importSources GHSA empty fixed event', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'osv-ghsa-npm-sample.sqlite');
  const ranges = countRows(
    dbPath,
    "SELECT a.ranges FROM affected a JOIN advisories v ON v.id = a.advisory WHERE v.advisory_id = 'GHSA-226w-6hhj-69hp'",
  ) as unknown as string;
  assert.doesNotMatch(ranges, /"fixed":""/);
  assert.equal(countRows(dbPath, "SELECT COUNT(DISTINCT ecosystem) FROM affected a JOIN advisories v ON v.id = a.advisory WHERE v.advisory_id = 'GHSA-2pqj-h3vj-pqgw'"), 3);
});

test('importSources AlmaLinux ecosystems and related CVEs', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'osv-almalinux.sqlite');
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM affected'), 71329);
  assert.equal(countRows(dbPath, "SELECT COUNT(DISTINCT ecosystem) FROM affected"), 3);
  // 4,474 records list CVEs in `related`; 43 of them repeat an ID stored from another folder.
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM advisories WHERE related LIKE '%CVE-%'"), 4431);
});

test('importSources Alpine secdb counts', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'alpine.sqlite');
  const summary = await importSources(dbPath, [join(vulndata.path, 'alpine-secdb')]);
  const source = summary.sources[0];
  assert.ok(source);
  assert.equal(source.kind, 'alpine-secdb');
  // 30,152 secfixes entries; 5 hold no valid ID (`CVE-46838`, `CVE-????-?????`…).
  assert.equal(source.records + source.skipped, 30152);
  assert.equal(source.skipped, 5);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM affected WHERE status = 'not-affected'") > 300, true);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM affected WHERE ecosystem = 'alpine:3.18' AND name = 'openssl'") > 0, true);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM advisories WHERE advisory_id = 'CVE_2019-2426'"), 0);
});

test('importSources Debian lists counts', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'debian.sqlite');
  const summary = await importSources(dbPath, [join(vulndata.path, 'debian-security-tracker')]);
  const source = summary.sources[0];
  assert.ok(source);
  assert.equal(source.kind, 'debian-lists');
  assert.equal(source.records, 5406 + 3534 + 208);
  assert.equal(source.skipped, 0);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM affected WHERE ecosystem = 'debian:11' AND name = 'xorg-server'") > 0, true);
  assert.equal(countRows(dbPath, "SELECT published FROM advisories WHERE advisory_id = 'DTSA-1-1'") as unknown, '2005-08-26');
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM affected WHERE severity = 'HIGH'") > 0, true);
});

test('importSources Wolfi advisories counts', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'wolfi.sqlite');
  const summary = await importSources(dbPath, [join(vulndata.path, 'wolfi-advisories')]);
  const source = summary.sources[0];
  assert.ok(source);
  assert.equal(source.records, 20770);
  assert.equal(source.skipped, 0);
  assert.equal(countRows(dbPath, "SELECT COUNT(DISTINCT ecosystem) FROM affected"), 1);
});

test('importSources Debian tracker JSON', async () => {
  const path = join(work, 'tracker.json');
  writeFileSync(
    path,
    JSON.stringify({
      openssl: {
        'CVE-2023-0286': {
          description: 'X.400 address type confusion in X.509 GeneralName',
          releases: {
            bookworm: { status: 'resolved', fixed_version: '3.0.8-1', urgency: 'high', repositories: { bookworm: '3.0.11-1' } },
            bullseye: { status: 'open', urgency: 'not yet assigned', repositories: { bullseye: '1.1.1n-0+deb11u4' } },
            trixie: { status: 'resolved', fixed_version: '0', urgency: 'unimportant', repositories: {} },
            sid: { status: 'undetermined', urgency: 'low', repositories: {} },
          },
        },
        'CVE-2023-9999': 'not an object',
      },
    }),
  );
  assert.equal(detectSourceKind(path), 'debian-tracker-json');
  const dbPath = join(work, 'tracker.sqlite');
  const summary = await importSources(dbPath, [path]);
  const source = summary.sources[0];
  assert.ok(source);
  assert.equal(source.records, 1);
  assert.equal(source.skipped, 1);
  assert.equal(source.ignored['status-undetermined'], 1);
  assert.equal(countRows(dbPath, "SELECT severity FROM affected WHERE ecosystem = 'debian:12'") as unknown, 'HIGH');
  assert.equal(countRows(dbPath, "SELECT severity FROM affected WHERE ecosystem = 'debian:11'") as unknown, 'UNKNOWN');
  assert.equal(countRows(dbPath, "SELECT status FROM affected WHERE ecosystem = 'debian:13'") as unknown, 'not-affected');
});

test('importSources merge keeps other sources', async () => {
  const dbPath = join(work, 'merge.sqlite');
  const first = join(work, 'merge-a.json');
  const second = join(work, 'merge-b.json');
  writeFileSync(first, JSON.stringify({ id: 'TEST-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] }));
  writeFileSync(second, JSON.stringify({ id: 'TEST-2', affected: [{ package: { ecosystem: 'npm', name: 'b' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] }));
  await importSources(dbPath, [{ path: first, name: 'a' }]);
  await importSources(dbPath, [{ path: second, name: 'b' }]);
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM sources'), 2);
  await importSources(dbPath, [{ path: second, name: 'b' }]);
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories'), 2);
  await importSources(dbPath, [{ path: second, name: 'b' }], { mode: 'replace' });
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories'), 1);
});

test('importSources failure keeps previous DB', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'atomic.sqlite');
  await importSources(dbPath, [join(vulndata.path, 'osv-ghsa-npm-sample')]);

  // The second input exceeds the file-size cap after the first input was already written.
  const big = join(work, 'big');
  mkdirSync(big, { recursive: true });
  writeFileSync(join(big, 'BIG-1.json'), JSON.stringify({ id: 'BIG-1', details: 'x'.repeat(4096) }));
  await assert.rejects(
    importSources(dbPath, [join(vulndata.path, 'osv-go'), { path: big, kind: 'osv' }], { limits: { maxFileSize: 4000 } }),
    (error: unknown) => error instanceof BulwarkError && error.code === 'LIMIT_EXCEEDED',
  );
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM advisories'), 8);
  assert.equal(countRows(dbPath, 'SELECT COUNT(*) FROM sources'), 1);
});

test('importSources malformed OSV records', async () => {
  const folder = join(work, 'malformed');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'a.json'), '{"id": "BROKEN-1", ');
  writeFileSync(join(folder, 'b.json'), JSON.stringify({ summary: 'no id' }));
  writeFileSync(join(folder, 'c.yaml'), 'id: OK-1\naffected:\n- package: {ecosystem: PyPI, name: Foo_Bar}\n  ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: "0"}, {fixed: "1.0"}]\n');
  const dbPath = join(work, 'malformed.sqlite');
  const summary = await importSources(dbPath, [{ path: folder, kind: 'osv' }]);
  assert.equal(summary.sources[0]?.records, 1);
  assert.equal(summary.sources[0]?.skipped, 2);
  assert.equal(summary.sources[0]?.diagnostics.length, 2);
  assert.equal(countRows(dbPath, "SELECT COUNT(*) FROM affected WHERE ecosystem = 'pypi' AND name = 'foo-bar'"), 1);
});

test('openVulnDb other schema version', async () => {
  const dbPath = join(work, 'old-schema.sqlite');
  await importSources(dbPath, []);
  const vulnDb = openVulnDb(dbPath, { writable: true });
  vulnDb.db.prepare("UPDATE meta SET value = '0' WHERE key = 'schema_version'").run();
  vulnDb.close();
  assert.throws(() => openVulnDb(dbPath), (error: unknown) => error instanceof VulnDbError && /bulwark db update/.test(error.message));
});

test('openVulnDb missing file', () => {
  assert.throws(() => openVulnDb(join(work, 'absent.sqlite')), (error: unknown) => error instanceof VulnDbError && error.code === 'DB');
});

test('defaultSourceName keeps feed folders apart', () => {
  assert.equal(defaultSourceName('debian-lists', '/data/security-tracker/data/DSA/list'), 'debian-lists:DSA/list');
  assert.equal(defaultSourceName('debian-lists', '/data/security-tracker/data/DLA/list'), 'debian-lists:DLA/list');
  assert.equal(defaultSourceName('alpine-secdb', 'secdb/v3.20/main.json'), 'alpine-secdb:v3.20/main');
  assert.equal(defaultSourceName('osv', '/feeds/osv-go'), 'osv:osv-go');
});

test('importSources DSA and DLA lists together', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'dsa-dla.sqlite');
  const data = join(vulndata.path, 'debian-security-tracker', 'data');
  const summary = await importSources(dbPath, [join(data, 'DSA', 'list'), join(data, 'DLA', 'list')]);
  assert.deepEqual(summary.sources.map((source) => [source.name, source.records]), [['debian-lists:DSA/list', 5406], ['debian-lists:DLA/list', 3534]]);
});

test('importSources removes abandoned temporary DBs', { skip: vulndata.skip }, async () => {
  const dir = join(work, 'abandoned');
  mkdirSync(dir, { recursive: true });
  // PID 2^22 + 1 is above Linux's pid_max, so no process can have it.
  const abandoned = join(dir, `.vulndb.sqlite.${2 ** 22 + 1}.0b4e7c1a-1d2f-4b8e-9c3a-5f6e7d8c9b0a.tmp`);
  writeFileSync(abandoned, 'partial');
  writeFileSync(`${abandoned}-journal`, 'partial');
  await importSources(join(dir, 'vulndb.sqlite'), [join(vulndata.path, 'osv-ghsa-npm-sample')]);
  assert.deepEqual(readdirSync(dir), ['vulndb.sqlite']);
});
