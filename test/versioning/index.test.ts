import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BulwarkError } from '../../src/errors.js';
import { compareVersions, isValidVersion, VERSION_SCHEMES } from '../../src/versioning/index.js';

// Tuples: [scheme, smaller, larger], one fixed-version check per scheme as the matcher runs it.
const ORDERED = [
  ['dpkg', '2.36-9+deb12u4', '2.36-9+deb12u10'],
  ['apk', '3.1.4-r5', '3.1.4-r6'],
  ['rpm', '1:1.1.1k-9.el8', '1:1.1.1k-12.el8'],
  ['semver', '4.17.20', '4.17.21'],
  ['pep440', '2.31.0', '2.32.0rc1'],
  ['go', '0.17.0', 'v0.18.0'],
  ['maven', '2.14.1', '2.15.0-rc1'],
  ['rubygems', '3.2.5.rc1', '3.2.5'],
  ['composer', 'v7.4.2', '7.4.3'],
] as const;

test('compareVersions dispatches every scheme', () => {
  assert.deepEqual([...VERSION_SCHEMES], ORDERED.map(([scheme]) => scheme));
  for (const [scheme, smaller, larger] of ORDERED) {
    assert.equal(compareVersions(scheme, smaller, larger), -1, `${scheme}: ${smaller} < ${larger}`);
    assert.equal(compareVersions(scheme, larger, smaller), 1, `${scheme}: ${larger} > ${smaller}`);
    assert.equal(compareVersions(scheme, larger, larger), 0, `${scheme}: ${larger} = ${larger}`);
  }
});

test('compareVersions error names scheme and value', () => {
  const error = (() => {
    try {
      compareVersions('pep440', 'latest', '1.0');
    } catch (thrown) {
      return thrown;
    }
    return undefined;
  })();
  assert.ok(error instanceof BulwarkError);
  assert.equal(error.code, 'VERSION_INVALID');
  assert.equal(error.message, 'invalid pep440 version "latest": not a valid PEP 440 version');
});

test('isValidVersion agrees with compareVersions', () => {
  const samples = ['', '0', '1.0', '1:2.0-3', 'v1.2.3', 'latest', '1.0-', '1.0_rc1', '1..0', ' 1.0 ', '1.0+local'];
  for (const scheme of VERSION_SCHEMES) {
    for (const value of samples) {
      let accepted = true;
      try {
        compareVersions(scheme, value, value);
      } catch {
        accepted = false;
      }
      assert.equal(isValidVersion(scheme, value), accepted, `${scheme} ${JSON.stringify(value)}`);
    }
  }
});

test('hostile versions are rejected or compared', () => {
  // Long runs of the characters each grammar repeats; every call must return or throw VERSION_INVALID.
  const hostile = ['1.'.repeat(500), '1'.repeat(1000) + 'x', `1.0${'-'.repeat(1000)}`, `1.0+${'a.'.repeat(500)}!`, ' '.repeat(1000) + 'x'];
  for (const scheme of VERSION_SCHEMES) {
    for (const value of hostile) {
      try {
        const result = compareVersions(scheme, value, '1.0.0');
        assert.ok([-1, 0, 1].includes(result));
      } catch (error) {
        assert.equal((error as BulwarkError).code, 'VERSION_INVALID', `${scheme}: ${(error as Error).message}`);
      }
    }
  }
});
