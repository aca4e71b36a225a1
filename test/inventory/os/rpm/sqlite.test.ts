import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { readRpmSqlite } from '../../../../src/inventory/os/rpm/sqlite.js';
import { sharedPath } from '../../../helpers/shared.js';
import { buildPackageHeader } from './build-header.js';

const FIXTURES: Array<[string, number]> = [
  ['cbl-mariner-2.0_go-rpmdb/var/lib/rpm/rpmdb.sqlite', 129],
  ['fedora-38-subset_scancode/rpmdb.sqlite', 2],
];

for (const [relativePath, blobCount] of FIXTURES) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`sqlite fixture ${relativePath.split('/')[0]}`, { skip: file.skip }, () => {
    const content = readFileSync(file.path);
    const { blobs, problems } = readRpmSqlite(content);
    assert.deepEqual(problems, []);
    assert.equal(blobs.length, blobCount);
    // The WAL-mode marker must stay in the caller's buffer; only the private copy changes.
    assert.equal(content[18], 2);
  });
}

const fedora = sharedPath('fixtures', 'rpm', 'fedora-38-subset_scancode', 'rpmdb.sqlite');
test('sqlite keeps hnum as id', { skip: fedora.skip }, () => {
  const { blobs } = readRpmSqlite(readFileSync(fedora.path));
  assert.deepEqual(blobs.map((blob) => blob.id), [1, 222]);
});

/** Serializes an in-memory database built by `setup`. */
function sqliteImage(setup: (database: Database.Database) => void): Buffer {
  const database = new Database(':memory:');
  try {
    setup(database);
    return database.serialize();
  } finally {
    database.close();
  }
}

test('sqlite rpm schema built here', () => {
  const image = sqliteImage((database) => {
    database.exec("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
    database.prepare('INSERT INTO Packages (blob) VALUES (?)').run(buildPackageHeader({ name: 'a', version: '1', release: '1' }));
  });
  const { blobs, problems } = readRpmSqlite(image);
  assert.deepEqual(problems, []);
  assert.equal(blobs.length, 1);
  assert.equal(blobs[0]?.id, 1);
});

test('sqlite without Packages table', () => {
  const image = sqliteImage((database) => database.exec('CREATE TABLE other (x)'));
  const { blobs, problems } = readRpmSqlite(image);
  assert.equal(blobs.length, 0);
  assert.equal(problems[0]?.code, 'FORMAT_INVALID');
  assert.match(problems[0]?.message ?? '', /no Packages table/);
});

test('sqlite Packages view is rejected', () => {
  // A view over an endless recursive query: reading it would never finish.
  const image = sqliteImage((database) =>
    database.exec('CREATE VIEW Packages AS WITH RECURSIVE n(hnum) AS (SELECT 1 UNION ALL SELECT hnum + 1 FROM n) SELECT hnum, zeroblob(10) AS blob FROM n'),
  );
  const { blobs, problems } = readRpmSqlite(image);
  assert.equal(blobs.length, 0);
  assert.equal(problems[0]?.code, 'UNSUPPORTED');
});

test('sqlite text blob is reported', () => {
  const image = sqliteImage((database) => {
    database.exec("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
    database.prepare('INSERT INTO Packages (blob) VALUES (?)').run('text');
  });
  const { blobs, problems } = readRpmSqlite(image);
  assert.equal(blobs.length, 0);
  assert.match(problems[0]?.message ?? '', /row 1: blob is a string/);
});

const mariner = sharedPath('fixtures', 'rpm', 'cbl-mariner-2.0_go-rpmdb', 'var', 'lib', 'rpm', 'rpmdb.sqlite');
test('sqlite truncated file', { skip: mariner.skip }, () => {
  const content = readFileSync(mariner.path);
  for (const length of [100, 4096, Math.floor(content.length / 2)]) {
    const { problems } = readRpmSqlite(content.subarray(0, length));
    assert.ok(problems.length > 0, `length ${length}`);
    assert.equal(problems[0]?.code, 'FORMAT_INVALID');
  }
});
