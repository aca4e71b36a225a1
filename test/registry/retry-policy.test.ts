import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RETRY_POLICY, backoffDelay, isRetryableStatus, parseRetryAfter } from '../../src/registry/retry-policy.js';

const POLICY = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000 };

test('backoffDelay doubles then caps', () => {
  assert.equal(backoffDelay(1, POLICY, () => 1), 100);
  assert.equal(backoffDelay(2, POLICY, () => 1), 200);
  assert.equal(backoffDelay(3, POLICY, () => 1), 400);
  assert.equal(backoffDelay(5, POLICY, () => 1), 1000);
  assert.equal(backoffDelay(30, POLICY, () => 1), 1000);
});

test('backoffDelay jitter range', () => {
  assert.equal(backoffDelay(3, POLICY, () => 0), 200);
  assert.equal(backoffDelay(3, POLICY, () => 0.5), 300);
});

test('parseRetryAfter seconds and dates', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-1', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('isRetryableStatus table', () => {
  for (const status of [429, 500, 502, 503, 504, 599]) assert.equal(isRetryableStatus(status), true, String(status));
  for (const status of [200, 301, 400, 401, 403, 404, 501, 505]) assert.equal(isRetryableStatus(status), false, String(status));
});
