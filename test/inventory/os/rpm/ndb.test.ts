import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseRpmHeader } from '../../../../src/inventory/os/rpm/header.js';
import { adler32, readNdb } from '../../../../src/inventory/os/rpm/ndb.js';
import { sharedPath } from '../../../helpers/shared.js';
import { seededRandom } from './build-header.js';

const FIXTURES: Array<[string, number]> = [
  ['sle15-bci_go-rpmdb/var/lib/rpm/Packages.db', 35],
  ['suse-ndb_snyk/Packages.db', 3],
];

for (const [relativePath, blobCount] of FIXTURES) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`ndb fixture ${relativePath.split('/')[0]}`, { skip: file.skip }, () => {
    const { blobs, problems } = readNdb(readFileSync(file.path));
    assert.deepEqual(problems, []);
    assert.equal(blobs.length, blobCount);
    const ids = blobs.map((blob) => blob.id);
    assert.deepEqual(ids, [...new Set(ids)].sort((a, b) => a - b));
    for (const { blob } of blobs) assert.ok(parseRpmHeader(blob).name.length > 0);
  });
}

test('adler32 known values', () => {
  assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
  assert.equal(adler32(Buffer.alloc(0)), 1);
  // Long input crosses the 5552-byte chunks where the sums are reduced. Python's zlib.adler32 gives the same value.
  assert.equal(adler32(Buffer.alloc(100_000, 0xff)), 0x149a302c);
});

const suse = sharedPath('fixtures', 'rpm', 'suse-ndb_snyk', 'Packages.db');

/** Returns the byte offset of package `slotIndex`'s blocks. */
function blockStart(content: Buffer, slotIndex: number): number {
  return content.readUInt32LE((2 + slotIndex) * 16 + 8) * 16;
}

test('ndb checksum mismatch', { skip: suse.skip }, () => {
  const content = Buffer.from(readFileSync(suse.path));
  const start = blockStart(content, 0);
  content[start + 100] ^= 0xff;
  const { blobs, problems } = readNdb(content);
  assert.deepEqual(blobs.map((blob) => blob.id), [2, 3]);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /^NDB package 1 \(blocks \d+\+\d+\): the blob checksum is 0x[0-9a-f]+, the tail records 0x[0-9a-f]+$/);
});

test('ndb overlapping slots', { skip: suse.skip }, () => {
  const content = Buffer.from(readFileSync(suse.path));
  // Make slot 2 point at the blocks of slot 1.
  content.writeUInt32LE(content.readUInt32LE(2 * 16 + 8), 3 * 16 + 8);
  const { blobs, problems } = readNdb(content);
  assert.equal(blobs.length, 2);
  assert.ok(problems.some((problem) => /overlap another package/.test(problem.message)));
});

test('ndb truncated file', { skip: suse.skip }, () => {
  const content = readFileSync(suse.path);
  const { blobs, problems } = readNdb(content.subarray(0, 70_000));
  assert.ok(blobs.length < 3);
  assert.ok(problems.length > 0);
  assert.ok(problems.every((problem) => problem.code === 'FORMAT_INVALID'));
});

test('ndb slot page cap', () => {
  const content = Buffer.alloc(4096);
  content.write('RpmP', 0, 'latin1');
  content.writeUInt32LE(100_000, 12);
  const { problems } = readNdb(content);
  assert.equal(problems[0]?.code, 'LIMIT_EXCEEDED');
});

test('ndb unknown version', () => {
  const content = Buffer.alloc(4096);
  content.write('RpmP', 0, 'latin1');
  content.writeUInt32LE(1, 4);
  assert.equal(readNdb(content).problems[0]?.code, 'UNSUPPORTED');
});

test('ndb random corruption', { skip: suse.skip }, () => {
  const original = readFileSync(suse.path);
  const random = seededRandom(99);
  for (let round = 0; round < 200; round++) {
    const content = Buffer.from(original);
    // Corrupt the slot page, where offsets and counts live.
    for (let flip = 0; flip < 8; flip++) content[Math.floor(random() * 4096)] = Math.floor(random() * 256);
    const { blobs } = readNdb(content);
    assert.ok(blobs.length <= 3, `round ${round}`);
  }
});
