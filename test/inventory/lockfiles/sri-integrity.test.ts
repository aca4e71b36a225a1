import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import { hashesFromIntegrity } from '../../../src/inventory/lockfiles/sri-integrity.js';

const digest = (algorithm: string, encoding: 'hex' | 'base64') => createHash(algorithm).update('bulwark').digest(encoding);

test('SRI digests become hex', () => {
  assert.deepEqual(hashesFromIntegrity(`sha512-${digest('sha512', 'base64')}`), [{ algorithm: 'SHA-512', value: digest('sha512', 'hex') }]);
  assert.deepEqual(hashesFromIntegrity(`sha1-${digest('sha1', 'base64')}`), [{ algorithm: 'SHA-1', value: digest('sha1', 'hex') }]);
});

test('several SRI digests sort by algorithm', () => {
  const integrity = `sha512-${digest('sha512', 'base64')} sha1-${digest('sha1', 'base64')}`;
  assert.deepEqual(
    hashesFromIntegrity(integrity).map((hash) => hash.algorithm),
    ['SHA-1', 'SHA-512'],
  );
});

test('invalid SRI entries are skipped', () => {
  assert.deepEqual(hashesFromIntegrity('md5-XUFAKrxLKna5cZ2REBfFkg=='), []);
  assert.deepEqual(hashesFromIntegrity('sha512-dG9vc2hvcnQ='), []);
  assert.deepEqual(hashesFromIntegrity('sha512-!!!'), []);
  assert.deepEqual(hashesFromIntegrity(42), []);
  assert.deepEqual(hashesFromIntegrity(undefined), []);
});
