import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

import { PolledFifo } from '../../../src/runtime/live/polled-fifo.js';

test('fifo reads writer output', async () => {
  const chunks: Buffer[] = [];
  const errors: Error[] = [];
  let fifo: PolledFifo | undefined;
  const ended = new Promise<void>((resolve) => {
    fifo = PolledFifo.open({ onChunk: (chunk) => chunks.push(Buffer.from(chunk)), onEnd: resolve, onError: (error) => errors.push(error) });
  });
  const path = fifo!.path;
  // The writer opens the FIFO after a pause, so the reader first sees no writer at all.
  const writer = spawn('sh', ['-c', 'sleep 0.05; for i in 1 2 3; do echo "line $i"; done > "$0"', path], { stdio: 'ignore' });
  writer.once('close', () => fifo!.writerDone());
  await ended;
  assert.equal(Buffer.concat(chunks).toString(), 'line 1\nline 2\nline 3\n');
  assert.deepEqual(errors, []);
  assert.equal(existsSync(path), false);
});

test('fifo ends without writer', async () => {
  let fifo: PolledFifo | undefined;
  const ended = new Promise<void>((resolve) => {
    fifo = PolledFifo.open({ onChunk: () => assert.fail('no data expected'), onEnd: resolve, onError: (error) => assert.fail(error) });
  });
  fifo!.writerDone();
  await ended;
  assert.equal(existsSync(fifo!.path), false);
});
