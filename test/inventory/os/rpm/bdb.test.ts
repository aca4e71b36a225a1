import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readBerkeleyDbHash } from '../../../../src/inventory/os/rpm/bdb.js';
import { parseRpmHeader } from '../../../../src/inventory/os/rpm/header.js';
import { sharedPath } from '../../../helpers/shared.js';
import { seededRandom } from './build-header.js';

/** [fixture path under fixtures/rpm, header blobs including gpg-pubkey]. */
const FIXTURES: Array<[string, number]> = [
  ['rhel-bdb_scancode/var/lib/rpm/Packages', 101],
  ['fedora-26-bdb_scancode/var/lib/rpm/Packages', 114],
  ['libuuid-bdb_go-rpmdb/var/lib/rpm/Packages', 1],
  ['bdb-small_syft/Packages', 1],
];

for (const [relativePath, blobCount] of FIXTURES) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`bdb fixture ${relativePath.split('/')[0]}`, { skip: file.skip }, () => {
    const { blobs, problems } = readBerkeleyDbHash(readFileSync(file.path));
    assert.deepEqual(problems, []);
    assert.equal(blobs.length, blobCount);
    assert.equal(new Set(blobs.map((blob) => blob.id)).size, blobCount);
    for (const { blob } of blobs) assert.ok(parseRpmHeader(blob).name.length > 0);
  });
}

const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

function swap16(buffer: Buffer, offset: number): void {
  buffer.writeUInt16BE(buffer.readUInt16LE(offset), offset);
}

function swap32(buffer: Buffer, offset: number): void {
  buffer.writeUInt32BE(buffer.readUInt32LE(offset), offset);
}

/**
 * Rewrites a little-endian BerkeleyDB hash file in big-endian order, as a big-endian machine
 * (s390x, older POWER) writes it: page headers, item offsets, overflow references and keys.
 * Header blobs are big-endian in both, so they stay as they are.
 */
function toBigEndian(littleEndian: Buffer): Buffer {
  const content = Buffer.from(littleEndian);
  const pageSize = content.readUInt32LE(20);
  for (const offset of [8, 12, 16, 20, 28, 32, 36, 40, 44, 48]) swap32(content, offset);

  for (let start = pageSize; start + pageSize <= content.length; start += pageSize) {
    const page = content.subarray(start, start + pageSize);
    const type = page[25];
    if (type === P_HASH || type === P_HASH_UNSORTED) {
      const count = page.readUInt16LE(20);
      const offsets = Array.from({ length: count }, (_, index) => page.readUInt16LE(26 + index * 2));
      offsets.forEach((offset, index) => {
        const end = index === 0 ? pageSize : offsets[index - 1]!;
        if (page[offset] === H_OFFPAGE) {
          swap32(page, offset + 4);
          swap32(page, offset + 8);
        } else if (page[offset] === H_KEYDATA && index % 2 === 0 && end - offset === 5) {
          swap32(page, offset + 1);
        }
        swap16(page, 26 + index * 2);
      });
    }
    if (type === P_HASH || type === P_HASH_UNSORTED || type === P_OVERFLOW) {
      for (const offset of [8, 12, 16]) swap32(page, offset);
      swap16(page, 20);
      swap16(page, 22);
    }
  }
  return content;
}

for (const [relativePath, blobCount] of FIXTURES) {
  const file = sharedPath('fixtures', 'rpm', relativePath);
  test(`bdb big-endian ${relativePath.split('/')[0]}`, { skip: file.skip }, () => {
    const littleEndian = readFileSync(file.path);
    const bigEndian = toBigEndian(littleEndian);
    assert.equal(bigEndian.readUInt32BE(12), 0x061561);

    const expected = readBerkeleyDbHash(littleEndian).blobs;
    const actual = readBerkeleyDbHash(bigEndian);
    assert.deepEqual(actual.problems, []);
    assert.equal(actual.blobs.length, blobCount);
    assert.deepEqual(actual.blobs.map((blob) => blob.id), expected.map((blob) => blob.id));
    assert.ok(actual.blobs.every((blob, index) => Buffer.from(blob.blob).equals(Buffer.from(expected[index]!.blob))));
  });
}

const rhel = sharedPath('fixtures', 'rpm', 'rhel-bdb_scancode', 'var', 'lib', 'rpm', 'Packages');

test('bdb truncated file', { skip: rhel.skip }, () => {
  const content = readFileSync(rhel.path);
  const { blobs, problems } = readBerkeleyDbHash(content.subarray(0, Math.floor(content.length / 2)));
  assert.ok(blobs.length < 101);
  assert.equal(problems[0]?.code, 'FORMAT_INVALID');
  assert.match(problems[0]?.message ?? '', /^BerkeleyDB file is truncated: the metadata page counts \d+ pages of 4096 bytes, the file holds \d+$/);
});

test('bdb overflow chain loop', { skip: rhel.skip }, () => {
  const content = Buffer.from(readFileSync(rhel.path));
  const pageSize = content.readUInt32LE(20);
  let looped = 0;
  for (let start = pageSize; start < content.length; start += pageSize) {
    // Point every overflow page that continues a chain back at itself.
    if (content[start + 25] === P_OVERFLOW && content.readUInt32LE(start + 16) !== 0) {
      content.writeUInt32LE(start / pageSize, start + 16);
      looped += 1;
    }
  }
  assert.ok(looped > 0);
  const { blobs, problems } = readBerkeleyDbHash(content);
  assert.ok(blobs.length < 101);
  assert.ok(problems.some((problem) => /already part of a value/.test(problem.message)));
});

test('bdb not a hash database', () => {
  const content = Buffer.alloc(4096);
  content.writeUInt32LE(0x061561, 12);
  content[25] = 9;
  const { blobs, problems } = readBerkeleyDbHash(content);
  assert.equal(blobs.length, 0);
  assert.equal(problems[0]?.code, 'UNSUPPORTED');
});

test('bdb invalid page size', () => {
  const content = Buffer.alloc(4096);
  content.writeUInt32LE(0x061561, 12);
  content.writeUInt32LE(3000, 20);
  content[25] = 8;
  assert.match(readBerkeleyDbHash(content).problems[0]?.message ?? '', /page size 3000/);
});

const small = sharedPath('fixtures', 'rpm', 'libuuid-bdb_go-rpmdb', 'var', 'lib', 'rpm', 'Packages');
test('bdb random corruption', { skip: small.skip }, () => {
  const original = readFileSync(small.path);
  const random = seededRandom(7);
  for (let round = 0; round < 300; round++) {
    const content = Buffer.from(original);
    for (let flip = 0; flip < 16; flip++) content[Math.floor(random() * content.length)] = Math.floor(random() * 256);
    const { blobs, problems } = readBerkeleyDbHash(content);
    assert.ok(blobs.length <= content.length / 4096, `round ${round}`);
    assert.ok(Array.isArray(problems));
  }
});
