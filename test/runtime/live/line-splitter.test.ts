import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LineSplitter } from '../../../src/runtime/live/line-splitter.js';

test('lines across chunks', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  const euro = Buffer.from('€');
  splitter.push(Buffer.from('first\nsec'));
  splitter.push(Buffer.concat([Buffer.from('ond '), euro.subarray(0, 1)]));
  splitter.push(Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')]));
  assert.deepEqual(lines, ['first', 'second €', '']);
  splitter.end();
  assert.deepEqual(lines, ['first', 'second €', '', 'last']);
});

test('overlong line is dropped', () => {
  const lines: string[] = [];
  let overlong = 0;
  const splitter = new LineSplitter((line) => lines.push(line), { maxLineLength: 4, onOverlong: () => overlong++ });
  splitter.push(Buffer.from('ok\n0123'));
  splitter.push(Buffer.from('456789'));
  splitter.push(Buffer.from('abc\nnext\n'));
  splitter.push(Buffer.from('tail-too-long'));
  splitter.end();
  assert.deepEqual(lines, ['ok', 'next']);
  assert.equal(overlong, 2);
});
