import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../../src/errors.js';
import { buildInfoFromStrings, decodeInlineStrings, headerFormat, readGoBuildInfo } from '../../../../src/inventory/lang/go/go-buildinfo.js';
import { buildInlineBlob, buildPointerLayoutElf, frameModInfo } from './helpers/synthetic-elf.js';

const MOD_INFO = 'path\texample.com/app\nmod\texample.com/app\tv1.0.0\th1:abc=\ndep\tgolang.org/x/text\tv0.3.7\th1:def=\n';

test('pointer layout in four ELF flavours', () => {
  const flavours: Array<{ bits: 32 | 64; littleEndian: boolean }> = [
    { bits: 64, littleEndian: true },
    { bits: 64, littleEndian: false },
    { bits: 32, littleEndian: true },
    { bits: 32, littleEndian: false },
  ];
  for (const flavour of flavours) {
    const label = `${flavour.bits}-bit ${flavour.littleEndian ? 'LE' : 'BE'}`;
    const elf = buildPointerLayoutElf({ ...flavour, goVersion: 'go1.16.15', modInfo: frameModInfo(MOD_INFO) });
    const info = readGoBuildInfo(elf);
    assert.equal(info?.goVersion, 'go1.16.15', label);
    assert.equal(info?.path, 'example.com/app', label);
    assert.deepEqual(info?.main, { path: 'example.com/app', version: 'v1.0.0', sum: 'h1:abc=' }, label);
    assert.deepEqual(info?.deps, [{ path: 'golang.org/x/text', version: 'v0.3.7', sum: 'h1:def=' }], label);
  }
});

test('unframed module information is ignored', () => {
  const elf = buildPointerLayoutElf({ bits: 64, littleEndian: true, goVersion: 'go1.15', modInfo: MOD_INFO });
  const info = readGoBuildInfo(elf);
  assert.equal(info?.goVersion, 'go1.15');
  assert.equal(info?.main, undefined);
  assert.deepEqual(info?.deps, []);
});

test('empty version means not Go', () => {
  const elf = buildPointerLayoutElf({ bits: 64, littleEndian: true, goVersion: '', modInfo: frameModInfo(MOD_INFO) });
  assert.equal(readGoBuildInfo(elf), undefined);
});

test('dangling pointer raises InputError', () => {
  const elf = buildPointerLayoutElf({ bits: 64, littleEndian: true, goVersion: 'go1.16', modInfo: frameModInfo(MOD_INFO) });
  elf.writeBigUInt64LE(0xdead0000n, 0x100 + 16);
  assert.throws(() => readGoBuildInfo(elf), (error: unknown) => error instanceof InputError && error.code === 'FORMAT_INVALID');
});

test('ELF without the magic is not Go', () => {
  const elf = buildPointerLayoutElf({ bits: 64, littleEndian: true, goVersion: 'go1.16', modInfo: frameModInfo(MOD_INFO) });
  elf.fill(0, 0x100, 0x110);
  assert.equal(readGoBuildInfo(elf), undefined);
});

test('non-ELF content is not Go', () => {
  assert.equal(readGoBuildInfo(Buffer.from('MZ\x90\x00 a PE file')), undefined);
  assert.equal(readGoBuildInfo(Buffer.alloc(0)), undefined);
});

test('headerFormat reads flags', () => {
  const blob = buildInlineBlob('go1.21.5', '');
  assert.equal(headerFormat(blob), 'inline');
  blob[15] = 1;
  assert.equal(headerFormat(blob), 'pointer');
  blob[15] = 4;
  assert.equal(headerFormat(blob), undefined);
  blob[15] = 2;
  blob[14] = 5;
  assert.equal(headerFormat(blob), undefined);
});

test('decodeInlineStrings short and invalid', () => {
  const blob = buildInlineBlob('go1.21.5', frameModInfo(MOD_INFO));
  const decoded = decodeInlineStrings(blob);
  assert.ok(typeof decoded === 'object');
  assert.equal(decoded.goVersion, 'go1.21.5');
  assert.equal(decodeInlineStrings(blob.subarray(0, blob.length - 1)), 'short');

  const hostile = Buffer.concat([blob.subarray(0, 32), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f])]);
  assert.equal(decodeInlineStrings(hostile), 'invalid');
});

test('buildInfoFromStrings strips framing', () => {
  const info = buildInfoFromStrings('go1.22.3 X:boringcrypto', Buffer.from(frameModInfo(MOD_INFO)));
  assert.equal(info?.goVersion, 'go1.22.3 X:boringcrypto');
  assert.equal(info?.path, 'example.com/app');
  assert.equal(buildInfoFromStrings('', Buffer.alloc(0)), undefined);
});
