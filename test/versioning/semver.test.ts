import assert from 'node:assert/strict';
import { test } from 'node:test';

import semver from 'semver';

import { compareSemver, isValidSemver } from '../../src/versioning/semver.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

/** Generates npm versions with pre-releases, build metadata, prefixes and invalid forms. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0x5e4);
  const number = (): string => (random() < 0.03 ? pick(random, ['01', '9007199254740992']) : pick(random, ['0', '1', '2', '10', '11']));
  const versions: string[] = [];
  while (versions.length < count) {
    let version = pick(random, ['', '', '', 'v', '=', ' ', 'V']) + `${number()}.${number()}`;
    if (random() < 0.95) version += `.${number()}`;
    if (random() < 0.4) version += `-${pick(random, ['alpha', 'beta', 'rc', '0', '1', '10', 'x-1', 'alpha', random() < 0.1 ? '01' : ''])}${tokens(random, ['.1', '.beta', '.0', '.11', '.2'], 0, 2)}`;
    if (random() < 0.3) version += `+${pick(random, ['build', '001', 'sha.5114f85', ''])}`;
    versions.push(version);
  }
  return versions;
}

/** Runs node-semver's compare, or `E` when it rejects either version. */
function semverOutcome(a: string, b: string): Outcome {
  if (semver.valid(a) === null || semver.valid(b) === null) return 'E';
  return semver.compare(a, b);
}

test('semver matches node-semver on 4000 pairs', () => {
  const pairs = pairsFrom(seededRandom(5), generateVersions(2000), 4000);
  const theirs = pairs.map(([a, b]) => semverOutcome(a, b));
  const ours = pairs.map(([a, b]) => outcomeOf(compareSemver, a, b));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  for (const outcome of [-1, 0, 1, 'E'] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

// Tuples: [smaller, larger] from the precedence example of SemVer 2.0.0, section 11.
const ORDERED: Array<[string, string]> = [
  ['1.0.0-alpha', '1.0.0-alpha.1'],
  ['1.0.0-alpha.1', '1.0.0-alpha.beta'],
  ['1.0.0-alpha.beta', '1.0.0-beta'],
  ['1.0.0-beta', '1.0.0-beta.2'],
  ['1.0.0-beta.2', '1.0.0-beta.11'],
  ['1.0.0-beta.11', '1.0.0-rc.1'],
  ['1.0.0-rc.1', '1.0.0'],
];

test('semver orders spec example both ways', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(compareSemver(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(compareSemver(larger, smaller), 1, `${larger} > ${smaller}`);
  }
});

test('semver ignores build metadata', () => {
  assert.equal(compareSemver('1.0.0+build.1', '1.0.0+build.2'), 0);
  assert.equal(compareSemver('v1.2.3', '1.2.3'), 0);
});

test('semver rejects invalid versions', () => {
  for (const value of ['', '1', '1.2', '01.2.3', '1.2.3-01', 'latest', `1.2.${'9'.repeat(300)}`]) {
    assert.equal(isValidSemver(value), false, value);
    assert.throws(() => compareSemver(value, '1.0.0'), { code: 'VERSION_INVALID' }, value);
  }
});
