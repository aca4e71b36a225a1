import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

import { readLinesInBatches } from '../../../src/runtime/live/batched-line-reader.js';

test('lines across chunks', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  readLinesInBatches(stream, (line) => lines.push(line), { pauseMs: 1 });
  const euro = Buffer.from('€');
  stream.write('first\nsec');
  stream.write(Buffer.concat([Buffer.from('ond '), euro.subarray(0, 1)]));
  stream.write(Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')]));
  stream.end();
  await once(stream, 'end');
  assert.deepEqual(lines, ['first', 'second €', '', 'last']);
});

test('short read pauses stream', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  readLinesInBatches(stream, (line) => lines.push(line), { pauseMs: 1, batchBytes: 8 });
  // PassThrough may emit 'data', and so 'pause', inside write(), so the listener comes first.
  const paused = once(stream, 'pause');
  stream.write('a\n');
  await paused;
  assert.deepEqual(lines, ['a']);
  await once(stream, 'resume');
  stream.end('0123456789\n');
  await once(stream, 'end');
  assert.deepEqual(lines, ['a', '0123456789']);
});

test('overlong line is dropped', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  let overlong = 0;
  readLinesInBatches(stream, (line) => lines.push(line), { pauseMs: 0, maxLineLength: 4, onOverlong: () => overlong++ });
  stream.write('ok\n0123');
  stream.write('456789');
  stream.write('abc\nnext\n');
  stream.end('tail-too-long');
  await once(stream, 'end');
  assert.deepEqual(lines, ['ok', 'next']);
  assert.equal(overlong, 2);
});
