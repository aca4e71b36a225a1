import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHeaderBlock, parseNumericField, parsePaxRecords } from '../../src/artifact/tar-header.js';

function field(bytes: number[], length: number): Buffer {
  const block = Buffer.alloc(length);
  Buffer.from(bytes).copy(block);
  return block;
}

test('numeric field octal forms', () => {
  assert.equal(parseNumericField(Buffer.from('00000001750\0'), 0, 12), 0o1750);
  assert.equal(parseNumericField(Buffer.from('   1750 \0   '), 0, 12), 0o1750);
  assert.equal(parseNumericField(Buffer.alloc(12), 0, 12), 0);
  assert.equal(parseNumericField(Buffer.from('0000000017x9'), 0, 12), undefined);
});

test('numeric field base-256 forms', () => {
  // 0x80 marks base-256; the remaining 11 bytes are a big-endian 2^33 (8 GiB).
  const eightGiB = field([0x80, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0], 12);
  assert.equal(parseNumericField(eightGiB, 0, 12), 2 ** 33);
  assert.equal(parseNumericField(field([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], 12), 0, 12), undefined);
  const tooLarge = field([0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 12);
  assert.equal(parseNumericField(tooLarge, 0, 12), undefined);
});

/** Encodes one PAX record; its length prefix counts the whole record, prefix included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}

test('pax records parse', () => {
  const data = Buffer.from(`${paxRecord('path', 'some/very/long/name.')}${paxRecord('size', '42')}\0\0\0`);
  const records = parsePaxRecords(data);
  assert.ok(records instanceof Map);
  assert.equal(records.get('path'), 'some/very/long/name.');
  assert.equal(records.get('size'), '42');
});

test('pax record with bad length', () => {
  const records = parsePaxRecords(Buffer.from('99 path=x\n'));
  assert.ok(!(records instanceof Map));
  assert.match(records.problem, /invalid length "99"/);
});

test('pax record without key', () => {
  const records = parsePaxRecords(Buffer.from('6 abc\n'));
  assert.ok(!(records instanceof Map));
  assert.match(records.problem, /no "key=value"/);
});

test('header checksum mismatch', () => {
  const block = Buffer.alloc(512);
  block.write('file.txt', 0);
  block.write('0000644\0', 100);
  block.write('00000000005\0', 124);
  block.write('0000001\0', 148);
  const result = parseHeaderBlock(block);
  assert.ok('problem' in result);
  assert.match(result.problem, /checksum is 1 but the block sums to/);
});
