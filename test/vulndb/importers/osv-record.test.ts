import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BulwarkError } from '../../../src/errors.js';
import { parseAdvisoryYaml } from '../../../src/vulndb/importers/advisory-yaml.js';
import { normalizeTimestamp } from '../../../src/vulndb/importers/osv-record.js';

// [input, expected]: timestamps as OSV JSON, OSV YAML and YAML loaders give them.
const TIMESTAMPS: Array<[unknown, string | undefined]> = [
  ['2023-11-07T20:24:23.946863Z', '2023-11-07T20:24:23.946863Z'],
  ['2024-10-10 17:22:00.587279+00:00', '2024-10-10T17:22:00.587Z'],
  ['2024-10-10 17:22:00.5 +02:00', '2024-10-10T15:22:00.500Z'],
  ['2021-01-04 13:15:00', '2021-01-04T13:15:00.000Z'],
  [new Date('2022-02-03T04:05:06Z'), '2022-02-03T04:05:06.000Z'],
  ['0001-01-01T00:00:00Z', undefined],
  ['', undefined],
  [42, undefined],
];

test('normalizeTimestamp forms', () => {
  for (const [input, expected] of TIMESTAMPS) assert.equal(normalizeTimestamp(input), expected, String(input));
});

test('advisory YAML keeps timestamps as text', () => {
  const record = parseAdvisoryYaml('id: PYSEC-1\nmodified: 2024-10-10 17:22:00.587279+00:00\n', 'PYSEC-1.yaml') as Record<string, unknown>;
  assert.equal(record.modified, '2024-10-10 17:22:00.587279+00:00');
});

test('advisory YAML caps aliases', () => {
  // Each level doubles the previous one, so 30 levels of 10 bytes each would expand to 2^30 nodes.
  const levels = ['l0: &l0 [x, x]', ...Array.from({ length: 30 }, (_, i) => `l${i + 1}: &l${i + 1} [*l${i}, *l${i}]`)];
  const bomb = levels.join('\n');
  assert.throws(() => parseAdvisoryYaml(bomb, 'bomb.yaml'), (error: BulwarkError) => error.code === 'LIMIT_EXCEEDED' && error.message.includes('bomb.yaml'));
});
