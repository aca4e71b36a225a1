import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contentUuid, formatTimestamp, sbomTimestamp } from '../../src/sbom/document-identity.js';

test('sbomTimestamp from SOURCE_DATE_EPOCH', () => {
  const now = new Date('2026-01-02T03:04:05.678Z');
  assert.equal(sbomTimestamp({ SOURCE_DATE_EPOCH: '1700000000' }, now).toISOString(), '2023-11-14T22:13:20.000Z');
  assert.equal(sbomTimestamp({ SOURCE_DATE_EPOCH: '0' }, now).toISOString(), '1970-01-01T00:00:00.000Z');
  assert.equal(sbomTimestamp({}, now), now);
  assert.equal(sbomTimestamp({ SOURCE_DATE_EPOCH: '' }, now), now);
});

test('sbomTimestamp rejects invalid values', () => {
  for (const value of ['-1', '1.5', 'yesterday', '1e9']) {
    assert.throws(() => sbomTimestamp({ SOURCE_DATE_EPOCH: value }), { code: 'USAGE' }, value);
  }
});

test('sbomTimestamp rejects milliseconds', () => {
  assert.throws(() => sbomTimestamp({ SOURCE_DATE_EPOCH: '1700000000000' }), { code: 'USAGE', message: /past the year 33658; give seconds since 1970-01-01T00:00:00Z, not milliseconds/ });
});

test('formatTimestamp drops milliseconds', () => {
  assert.equal(formatTimestamp(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05Z');
});

test('contentUuid is a stable version-5 UUID', () => {
  const uuid = contentUuid('document');
  assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(contentUuid('document'), uuid);
  assert.notEqual(contentUuid('document '), uuid);
});
