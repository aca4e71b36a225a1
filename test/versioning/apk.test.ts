import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareApkVersions, isValidApkVersion, isWellFormedApkVersion } from '../../src/versioning/apk.js';

/**
 * Cases from apk-tools' test/version.data (alpinelinux/apk-tools), a selection that covers every
 * token kind. Tuple: [left, relation, right], where the relation is how apk orders left to right.
 */
const UPSTREAM_CASES: Array<[string, '<' | '=' | '>', string]> = [
  ['2.34', '>', '0.1.0_alpha'],
  ['23_foo', '>', '4_beta'],
  ['1.0', '<', '1.0bc'],
  ['0.1.0_alpha', '=', '0.1.0_alpha'],
  ['0.1.0_alpha2', '>', '0.1.0_alpha'],
  ['0.1.0_alpha', '<', '2.2.39-r1'],
  ['1.0.4-r3', '<', '1.0.4-r4'],
  ['1.1', '>', '1.1_alpha1'],
  ['1.2.1', '>', '1.2'],
  ['1.3_alpha2', '<', '1.3_alpha3'],
  ['0.7.0', '<', '0.8_beta1'],
  ['3.10.18-r1', '>', '2.3.0b-r1'],
  ['2.3.0b-r1', '<', '2.3.0b-r2'],
  ['0.12.3', '>', '0.12'],
  ['0.13_beta5', '>', '0.9.12'],
  ['1.2.11', '<', '1.2.12.1'],
  ['0.2.0-r1', '=', '0.2.0-r1'],
  ['0.2.0-r1', '<', '3.1_p16'],
  ['3.1_p16', '<', '3.1_p17'],
  ['1.06-r6', '<', '006'],
  ['006', '>', '1.0.0'],
  ['1.2.2-r1', '>', '1.2.2'],
  ['2.59', '<', '20050718-r1'],
  ['3.9.8-r5', '>', '2.01.01_alpha10'],
  ['1.0', '>', '0.99.3.20040818'],
  ['1.39', '>', '1.00_beta2'],
  ['4.2.52_p2-r1', '<', '4.2.52_p4-r2'],
  ['2.18.3-r10', '>', '1.05-r18'],
  ['20060720', '>', '3.0.20060720'],
  ['3.0.20060720', '<', '20060720'],
  ['1.3.5-r10', '>', '1.3.5-r8'],
  ['20040401', '>', '2.0.0_rc3-r1'],
  ['3.0.0-r2', '<', '021109-r3'],
  ['021109-r3', '<', '20060512'],
  ['0.9.16-r1', '<', '3.9_pre20060124'],
  ['1.1.7', '<', '6b-r7'],
  ['0.10.0', '<', '0.10.1_rc1'],
  ['2.0.2', '>', '1.1a'],
  ['1.1a', '<', '1.3a'],
  ['0.15.1b-r2', '>', '0.15.1b'],
  ['22.7-r1', '<', '22.7.3-r1'],
  ['22.7', '>', '2.1_pre20'],
  ['2.10.1', '>', '02.08.01b'],
  ['3.81', '>', '1.6d'],
  ['1.2.07.8', '<', '1.2.12.04'],
  ['1.2.12.04', '<', '1.2.12.05'],
  ['0.1_pre20060810', '<', '0.1_pre20060817'],
  ['3.3.17', '>', '0.59s-r11'],
  ['0.20070118', '<', '0.20070207_rc1'],
  ['4.5_p1-r1', '>', '4.5_p1'],
  ['0.9.8c-r1', '<', '0.9.8d'],
  ['1.8.5', '<', '1.8.5_p2'],
  ['2.9.11_pre20051101-r3', '>', '2.9.11_pre20051101'],
  ['1.6.8_p12-r1', '>', '1.6.8_p9-r2'],
  ['0.9.28-r2', '<', '0.9.28.1'],
  ['0.9.28.1', '<', '087-r1'],
  ['104-r11', '>', '104-r9'],
  ['20040406-r1', '>', '2.12r-r4'],
  ['2.12r-r4', '<', '2.12r-r5'],
  ['7.0.17', '<', '7.0.174'],
  ['1.3-r0', '<', '1.3.1-r0'],
  ['1.3_pre1-r1', '<', '1.3.2'],
  ['1.0_p10-r0', '>', '1.0_p9-r0'],
  ['0.1.0_alpha_pre2', '<', '0.1.0_alpha'],
  ['1.0.0_pre20191002222144-r0', '<', '1.0.0_pre20210530193627-r0'],
  ['6.0_pre1', '<', '6.0'],
  ['6.1_p1', '>', '6.1'],
];

const EXPECTED = { '<': -1, '=': 0, '>': 1 } as const;
const MIRRORED = { '<': 1, '=': 0, '>': -1 } as const;

test('apk upstream cases both ways', () => {
  for (const [left, relation, right] of UPSTREAM_CASES) {
    assert.equal(compareApkVersions(left, right), EXPECTED[relation], `${left} ${relation} ${right}`);
    assert.equal(compareApkVersions(right, left), MIRRORED[relation], `${right} vs ${left}`);
  }
});

// Tuples: [smaller, larger], derived by hand from apk-tools 3's src/version.c.
const ORDERED: Array<[string, string]> = [
  ['1.0_rc1', '1.0'],
  ['1.0', '1.0_cvs1'],
  ['1.0_cvs1', '1.0_svn1'],
  ['1.0_hg1', '1.0_p1'],
  ['1.0_alpha', '1.0_beta'],
  ['1.0_beta', '1.0_pre'],
  ['1.0_pre', '1.0_rc'],
  ['1.0~abc', '1.0~abd'],
  ['1.0~abc', '1.0~abc-r1'],
  ['1.0-r1', '1.0-r10'],
  ['1.0_foo', '1.0'],
  ['1.0-x', '1.0'],
];

test('apk orders suffixes and hashes', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(compareApkVersions(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(compareApkVersions(larger, smaller), 1, `${larger} > ${smaller}`);
  }
});

test('apk numbers wrap at 2^64', () => {
  // apk-tools stores numbers in a uint64_t, so 2^64 + 1 reads as 1.
  assert.equal(compareApkVersions('1.18446744073709551617', '1.1'), 0);
});

test('apk compares malformed versions', () => {
  assert.equal(compareApkVersions('', ''), 0);
  assert.equal(compareApkVersions('abc', 'xyz'), 0);
  // A version that is invalid from its first token sorts below any version that starts well.
  assert.equal(compareApkVersions('', '1'), -1);
  assert.equal(isValidApkVersion('not a version'), true);
  assert.equal(isValidApkVersion('1'.repeat(1025)), false);
  assert.throws(() => compareApkVersions('1'.repeat(1025), '1'), { code: 'VERSION_INVALID' });
});

test('apk well-formed check', () => {
  for (const value of ['1', '1.2.3', '1.0a', '1.0_alpha1_pre2', '1.0_p1~0a1b-r3', '20060720-r0']) {
    assert.equal(isWellFormedApkVersion(value), true, value);
  }
  for (const value of ['', 'a', '1.0bc', '1.0-', '1.0-r', '1.0_foo', '1..0', '1.0~', '1.0~XYZ', '1.0-r1_p1', '1.0 ']) {
    assert.equal(isWellFormedApkVersion(value), false, value);
  }
});
