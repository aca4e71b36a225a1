import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BulwarkError } from '../../../../src/errors.js';
import { readBerkeleyDbHash } from '../../../../src/inventory/os/rpm/bdb.js';
import { parseRpmHeader } from '../../../../src/inventory/os/rpm/header.js';
import { sharedPath } from '../../../helpers/shared.js';
import { buildPackageHeader, buildRpmHeader, RPM_TYPE, seededRandom } from './build-header.js';

test('rpm header all read tags', () => {
  const blob = buildPackageHeader({ name: 'nodejs', version: '18.18.2', release: '1.module+el8.9.0+20473+c4e3d824', epoch: 1, arch: 'x86_64', sourceRpm: 'nodejs-18.18.2-1.module+el8.9.0+20473+c4e3d824.src.rpm' }, [
    { tag: 5096, type: RPM_TYPE.STRING, value: 'nodejs:18:8090020231019152822:a75119d5' },
    { tag: 1014, type: RPM_TYPE.STRING, value: 'MIT and ASL 2.0' },
    { tag: 1011, type: RPM_TYPE.STRING, value: 'Red Hat, Inc.' },
    { tag: 1004, type: RPM_TYPE.STRING_ARRAY, value: ['JavaScript runtime', 'ignored translation'] },
    { tag: 1009, type: RPM_TYPE.INT32, value: 1000 },
    { tag: 5009, type: RPM_TYPE.INT64, value: 2 ** 33 },
    { tag: 5011, type: RPM_TYPE.INT32, value: 8 },
    { tag: 273, type: RPM_TYPE.STRING, value: 'ab'.repeat(32) },
  ]);
  assert.deepEqual(parseRpmHeader(blob), {
    name: 'nodejs',
    version: '18.18.2',
    release: '1.module+el8.9.0+20473+c4e3d824',
    epoch: 1,
    arch: 'x86_64',
    sourceRpm: 'nodejs-18.18.2-1.module+el8.9.0+20473+c4e3d824.src.rpm',
    modularityLabel: 'nodejs:18:8090020231019152822:a75119d5',
    license: 'MIT and ASL 2.0',
    vendor: 'Red Hat, Inc.',
    summary: 'JavaScript runtime',
    size: 2 ** 33,
    sha256Header: 'ab'.repeat(32),
    fileDigestAlgorithm: 'sha256',
  });
});

test('rpm header defaults to md5 digests', () => {
  const header = parseRpmHeader(buildPackageHeader({ name: 'a', version: '1', release: '1' }));
  assert.equal(header.fileDigestAlgorithm, 'md5');
  assert.equal(header.epoch, undefined);
  assert.equal(header.arch, undefined);
});

test('rpm header later entry wins', () => {
  const blob = buildPackageHeader({ name: 'a', version: '1', release: '1' }, [{ tag: 1000, type: RPM_TYPE.STRING, value: 'b' }]);
  assert.equal(parseRpmHeader(blob).name, 'b');
});

/** Asserts that parsing throws a BulwarkError with this code. */
function assertRejects(blob: Buffer, code: string, message: RegExp): void {
  assert.throws(
    () => parseRpmHeader(blob),
    (error: unknown) => error instanceof BulwarkError && error.code === code && message.test(error.message),
  );
}

test('rpm header short preamble', () => {
  assertRejects(Buffer.alloc(5), 'FORMAT_INVALID', /shorter than its 8-byte preamble/);
});

test('rpm header without entries', () => {
  assertRejects(Buffer.alloc(8), 'FORMAT_INVALID', /no index entries/);
});

test('rpm header entry count cap', () => {
  const blob = Buffer.alloc(16);
  blob.writeUInt32BE(0x10000, 0);
  assertRejects(blob, 'LIMIT_EXCEEDED', /65536 index entries/);
});

test('rpm header data size cap', () => {
  const blob = Buffer.alloc(16);
  blob.writeUInt32BE(1, 0);
  blob.writeUInt32BE(0xffffffff, 4);
  assertRejects(blob, 'LIMIT_EXCEEDED', /data is 4294967295 bytes/);
});

test('rpm header declared size past blob', () => {
  const blob = buildPackageHeader({ name: 'a', version: '1', release: '1' });
  assertRejects(blob.subarray(0, blob.length - 1), 'FORMAT_INVALID', /declares 3 entries/);
});

test('rpm header string without NUL', () => {
  const blob = buildRpmHeader([{ tag: 1000, type: RPM_TYPE.STRING, value: 'name' }]);
  const noNul = Buffer.from(blob);
  noNul[noNul.length - 1] = 0x41;
  assertRejects(noNul, 'FORMAT_INVALID', /no terminating NUL/);
});

test('rpm header offset outside data', () => {
  const blob = buildPackageHeader({ name: 'a', version: '1', release: '1' });
  blob.writeInt32BE(1000, 8 + 8);
  assertRejects(blob, 'FORMAT_INVALID', /tag 1000 has an invalid entry/);
  blob.writeInt32BE(-4, 8 + 8);
  assertRejects(blob, 'FORMAT_INVALID', /tag 1000 has an invalid entry/);
});

test('rpm header wrong tag type', () => {
  const blob = buildPackageHeader({ name: 'a', version: '1', release: '1' }, [{ tag: 1003, type: RPM_TYPE.STRING, value: 'x' }]);
  assertRejects(blob, 'FORMAT_INVALID', /tag 1003 has type 6, expected an integer type/);
});

test('rpm header integer past data', () => {
  const blob = buildPackageHeader({ name: 'a', version: '1', release: '1', epoch: 3 });
  blob.writeInt32BE(blob.readUInt32BE(4) - 2, 8 + 3 * 16 + 8);
  assertRejects(blob, 'FORMAT_INVALID', /runs past the/);
});

test('rpm header missing name', () => {
  assertRejects(buildRpmHeader([{ tag: 1001, type: RPM_TYPE.STRING, value: '1' }]), 'FORMAT_INVALID', /lacks NAME, VERSION or RELEASE/);
});

const libuuid = sharedPath('fixtures', 'rpm', 'libuuid-bdb_go-rpmdb', 'var', 'lib', 'rpm', 'Packages');

test('rpm header every truncation', { skip: libuuid.skip }, () => {
  const blob = Buffer.from(readBerkeleyDbHash(readFileSync(libuuid.path)).blobs[0]!.blob);
  assert.equal(parseRpmHeader(blob).name, 'libuuid');
  for (let length = 0; length < blob.length; length += 7) {
    assert.throws(() => parseRpmHeader(blob.subarray(0, length)), BulwarkError, `length ${length}`);
  }
});

test('rpm header random corruption', { skip: libuuid.skip }, () => {
  const original = Buffer.from(readBerkeleyDbHash(readFileSync(libuuid.path)).blobs[0]!.blob);
  const random = seededRandom(20240501);
  let rejected = 0;
  for (let round = 0; round < 2000; round++) {
    const blob = Buffer.from(original);
    // Corrupt the preamble and index, where every byte is a count, a type or an offset.
    const indexEnd = 8 + blob.readUInt32BE(0) * 16;
    for (let flip = 0; flip < 4; flip++) blob[Math.floor(random() * indexEnd)] = Math.floor(random() * 256);
    try {
      parseRpmHeader(blob);
    } catch (error) {
      assert.ok(error instanceof BulwarkError, `round ${round}: ${String(error)}`);
      rejected += 1;
    }
  }
  assert.ok(rejected > 0);
});
