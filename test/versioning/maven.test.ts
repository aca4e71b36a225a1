import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareMavenVersions, isValidMavenVersion } from '../../src/versioning/maven.js';

// Cases from Maven's ComparableVersionTest (apache/maven, compat/maven-artifact).

/** VERSIONS_QUALIFIER: each version sorts below every later one. */
const VERSIONS_QUALIFIER = [
  '1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2',
  '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot',
  '1-1', '1-2', '1-123',
];

/** VERSIONS_NUMBER: each version sorts below every later one. */
const VERSIONS_NUMBER = [
  '2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2',
  '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m',
];

/** Tuples: [left, right] that compare equal (testVersionsEqual, testVersionsHaveSameOrderButAreNotEqual). */
const EQUAL: Array<[string, string]> = [
  ['1', '1'], ['1', '1.0'], ['1', '1.0.0'], ['1.0', '1.0.0'], ['1', '1-0'], ['1', '1.0-0'], ['1.0', '1.0-0'],
  ['1a', '1-a'], ['1a', '1.0-a'], ['1a', '1.0.0-a'], ['1.0a', '1-a'], ['1.0.0a', '1-a'],
  ['1x', '1-x'], ['1x', '1.0-x'], ['1x', '1.0.0-x'], ['1.0x', '1-x'], ['1.0.0x', '1-x'], ['1cr', '1rc'],
  ['1a1', '1-alpha-1'], ['1b2', '1-beta-2'], ['1m3', '1-milestone-3'],
  ['1X', '1x'], ['1A', '1a'], ['1B', '1b'], ['1M', '1m'], ['1Cr', '1Rc'], ['1cR', '1rC'],
  ['1m3', '1Milestone3'], ['1m3', '1MileStone3'], ['1m3', '1MILESTONE3'],
  ['1ga', '1'], ['1release', '1'], ['1final', '1'], ['1Ga', '1'], ['1GA', '1'], ['1RELEASE', '1'],
  ['1RELeaSE', '1'], ['1Final', '1'], ['1FinaL', '1'], ['1FINAL', '1'],
  ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  ['1.0.0-alpha1', '1.0.0-ALPHA1'], ['1.a', '1.A'], ['1.é', '1.É'],
];

/** Tuples: [smaller, larger] (testVersionComparing and the tests named after Maven issues). */
const ORDERED: Array<[string, string]> = [
  ['1', '2'], ['1.5', '2'], ['1', '2.5'], ['1.0', '1.1'], ['1.1', '1.2'], ['1.0.0', '1.1'], ['1.0.1', '1.1'],
  ['1.1', '1.2.0'], ['1.0-alpha-1', '1.0'], ['1.0-alpha-1', '1.0-alpha-2'], ['1.0-alpha-1', '1.0-beta-1'],
  ['1.0-beta-1', '1.0-SNAPSHOT'], ['1.0-SNAPSHOT', '1.0'], ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
  ['1.0', '1.0-1'], ['1.0-1', '1.0-2'], ['1.0.0', '1.0-1'], ['2.0-1', '2.0.1'], ['2.0.1-klm', '2.0.1-lmn'],
  ['2.0.1', '2.0.1-xyz'], ['2.0.1', '2.0.1-123'], ['2.0.1-xyz', '2.0.1-123'],
  ['0.7', '2'], ['0.2', '1.0.7'],
  ['6.1.0rc3', '6.1.0'], ['6.1.0rc3', '6.1H.5-beta'], ['6.1.0', '6.1H.5-beta'],
  ['20190126.230843', '1234567890.12345'], ['1234567890.12345', '123456789012345.1H.5-beta'],
  ['123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'],
  ['1-0.alpha', '1'], ['1-0.beta', '1'], ['1-0.alpha', '1-0.beta'],
  ['1.0.final-redhat', '1.0-sp1-redhat'], ['1.0.final-redhat', '1.0-sp-1-redhat'], ['1.0.final-redhat', '1.0-sp.1-redhat'],
  ['é', '1'], ['\ud835\udfe4', '1'], ['J', '7'], ['c', '7'], ['\u0668', '1'], ['\u0668', '9'],
  ['aardvark', 'zebra'], ['zebra', 'ζέβρα'],
];

function assertOrdered(smaller: string, larger: string): void {
  assert.equal(compareMavenVersions(smaller, larger), -1, `${smaller} < ${larger}`);
  assert.equal(compareMavenVersions(larger, smaller), 1, `${larger} > ${smaller}`);
}

function assertEqual(left: string, right: string): void {
  assert.equal(compareMavenVersions(left, right), 0, `${left} == ${right}`);
  assert.equal(compareMavenVersions(right, left), 0, `${right} == ${left}`);
}

test('maven qualifier list in order', () => {
  for (let i = 0; i < VERSIONS_QUALIFIER.length; i++) {
    for (let j = i + 1; j < VERSIONS_QUALIFIER.length; j++) assertOrdered(VERSIONS_QUALIFIER[i]!, VERSIONS_QUALIFIER[j]!);
  }
});

test('maven number list in order', () => {
  for (let i = 0; i < VERSIONS_NUMBER.length; i++) {
    for (let j = i + 1; j < VERSIONS_NUMBER.length; j++) assertOrdered(VERSIONS_NUMBER[i]!, VERSIONS_NUMBER[j]!);
  }
});

test('maven equal versions', () => {
  for (const [left, right] of EQUAL) assertEqual(left, right);
});

test('maven ordered pairs both ways', () => {
  for (const [smaller, larger] of ORDERED) assertOrdered(smaller, larger);
});

test('maven leading zeroes are equal', () => {
  for (let length = 1; length <= 19; length++) {
    assertEqual(`${'0'.repeat(length - 1)}1`, '1');
    assertEqual('0'.repeat(length), '0');
  }
});

test('maven dot qualifier equals hyphen', () => {
  for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
    assertOrdered(`1.0.0.${x}1`, `1.0.0-${x}2`);
    assertEqual(`2-${x}`, `2.0.${x}`);
    assertEqual(`2-${x}`, `2.0.0.${x}`);
    assertEqual(`2.0.${x}`, `2.0.0.${x}`);
  }
});

test('maven release qualifier with number', () => {
  // The number after a release qualifier decides, which keeps the order transitive.
  assertOrdered('1', '1-ga1');
  assertOrdered('1-ga1', '1-ga2');
});

test('maven rejects what ComparableVersion rejects', () => {
  assert.equal(isValidMavenVersion('1'.repeat(256)), true);
  assert.equal(isValidMavenVersion('1'.repeat(257)), false);
  // Integer.parseInt() fails on the digit part "\u0668b" of the combination "a-\u0668b".
  assert.equal(isValidMavenVersion('a-\u0668b'), false);
  assert.throws(() => compareMavenVersions('1'.repeat(257), '1'), { code: 'VERSION_INVALID' });
  assert.equal(isValidMavenVersion(''), true);
});
