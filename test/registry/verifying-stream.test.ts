import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { BulwarkError } from '../../src/errors.js';
import { digestBytes } from '../../src/artifact/digest.js';
import { VerifyingStream } from '../../src/registry/verifying-stream.js';

const CONTENT = Buffer.from('layer bytes '.repeat(1000));
const DIGEST = digestBytes(CONTENT);

async function drain(chunks: Buffer[], stream: VerifyingStream): Promise<Buffer> {
  const received: Buffer[] = [];
  await pipeline(Readable.from(chunks), stream, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) received.push(chunk);
  });
  return Buffer.concat(received);
}

function isDigestError(fragment: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof BulwarkError);
    assert.equal(error.code, 'DIGEST_MISMATCH');
    assert.ok(error.message.includes(fragment), error.message);
    return true;
  };
}

test('VerifyingStream passes matching bytes', async () => {
  const stream = new VerifyingStream({ digest: DIGEST, size: CONTENT.length, label: 'blob' });
  const output = await drain([CONTENT.subarray(0, 5000), CONTENT.subarray(5000)], stream);
  assert.deepEqual(output, CONTENT);
  assert.equal(stream.bytesReceived, CONTENT.length);
});

test('VerifyingStream sha512 digest', async () => {
  const stream = new VerifyingStream({ digest: digestBytes(CONTENT, 'sha512'), label: 'blob' });
  assert.deepEqual(await drain([CONTENT], stream), CONTENT);
});

test('VerifyingStream corrupt byte', async () => {
  const corrupt = Buffer.from(CONTENT);
  corrupt[100] = corrupt[100]! ^ 0xff;
  const stream = new VerifyingStream({ digest: DIGEST, size: CONTENT.length, label: 'blob x' });
  await assert.rejects(drain([corrupt], stream), isDigestError(`expected ${DIGEST}`));
});

test('VerifyingStream short body', async () => {
  const stream = new VerifyingStream({ digest: DIGEST, size: CONTENT.length, label: 'blob x' });
  await assert.rejects(drain([CONTENT.subarray(0, 10)], stream), isDigestError(`ended after 10 of ${CONTENT.length} bytes`));
});

test('VerifyingStream long body', async () => {
  const stream = new VerifyingStream({ digest: DIGEST, size: CONTENT.length, label: 'blob x' });
  await assert.rejects(drain([CONTENT, Buffer.from('extra')], stream), isDigestError(`longer than the expected ${CONTENT.length} bytes`));
});

test('VerifyingStream rejects bad digest', () => {
  assert.throws(() => new VerifyingStream({ digest: 'sha256:zz', label: 'blob' }), (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE');
});
