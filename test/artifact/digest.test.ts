import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestBytes, digestBytesLike, isValidDigest } from '../../src/artifact/digest.js';

test('digestBytes empty content', () => {
  assert.equal(digestBytes(Buffer.alloc(0)), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('digestBytesLike follows algorithm', () => {
  const sha512 = digestBytes(Buffer.from('x'), 'sha512');
  assert.equal(digestBytesLike(Buffer.from('x'), sha512), sha512);
  assert.ok(sha512.startsWith('sha512:'));
});

test('isValidDigest table', () => {
  assert.equal(isValidDigest(`sha256:${'0'.repeat(64)}`), true);
  assert.equal(isValidDigest(`sha512:${'f'.repeat(128)}`), true);
  assert.equal(isValidDigest(`sha256:${'0'.repeat(63)}`), false);
  assert.equal(isValidDigest(`sha256:${'F'.repeat(64)}`), false);
  assert.equal(isValidDigest(`sha384:${'0'.repeat(96)}`), false);
  assert.equal(isValidDigest('0'.repeat(64)), false);
});
