import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPlatform, normalizePlatform, parsePlatform, platformMatches } from '../../src/artifact/platform.js';
import { BulwarkError } from '../../src/errors.js';

test('parse platform forms', () => {
  assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
  for (const bad of ['linux', 'linux/', 'linux/arm/v7/x', '/amd64']) {
    assert.throws(() => parsePlatform(bad), (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE', bad);
  }
});

test('format platform round trip', () => {
  assert.equal(formatPlatform(parsePlatform('linux/arm/v7')), 'linux/arm/v7');
  assert.equal(formatPlatform({ os: 'linux', architecture: 'amd64' }), 'linux/amd64');
});

// [requested, candidate, match?]: containerd-style normalization before comparing.
const MATCHES: Array<[string, string, boolean]> = [
  ['linux/arm64', 'linux/arm64/v8', true],
  ['linux/aarch64', 'linux/arm64', true],
  ['linux/arm64/8', 'linux/arm64/v8', true],
  ['linux/arm64/v8.0', 'linux/arm64', true],
  ['linux/arm64/v9', 'linux/arm64', false],
  ['linux/x86_64', 'linux/amd64', true],
  ['linux/amd64/v1', 'linux/amd64', true],
  ['linux/arm', 'linux/arm/v7', true],
  ['linux/armhf', 'linux/arm/v7', true],
  ['linux/arm/v6', 'linux/arm/v7', false],
  ['linux/amd64', 'linux/arm64', false],
  ['linux/amd64', 'windows/amd64', false],
  ['linux/amd64', 'unknown/unknown', false],
];

test('platform match table', () => {
  for (const [requested, candidate, expected] of MATCHES) {
    assert.equal(platformMatches(parsePlatform(requested), parsePlatform(candidate)), expected, `${requested} vs ${candidate}`);
    assert.equal(platformMatches(parsePlatform(candidate), parsePlatform(requested)), expected, `${candidate} vs ${requested}`);
  }
});

test('normalize arm64 drops v8', () => {
  assert.deepEqual(normalizePlatform({ os: 'Linux', architecture: 'aarch64', variant: 'v8' }), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'arm64', variant: '9.0' }), { os: 'linux', architecture: 'arm64', variant: 'v9' });
});

test('parse platform aliases', () => {
  assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(parsePlatform('linux/arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(parsePlatform('linux/arm/6'), { os: 'linux', architecture: 'arm', variant: 'v6' });
  assert.deepEqual(parsePlatform('Linux/x86_64'), { os: 'linux', architecture: 'amd64' });
});

test('parse platform names the value', () => {
  for (const value of ['linux', 'linux/', '/amd64', 'linux/arm/v7/x', '']) {
    assert.throws(() => parsePlatform(value), (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE' && error.message.includes(`"${value}"`), value);
  }
});

test('normalize platform aliases', () => {
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'aarch64' }), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'armhf' }), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'armel' }), { os: 'linux', architecture: 'arm', variant: 'v6' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'i386' }), { os: 'linux', architecture: '386' });
  assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'amd64', variant: 'v3' }), { os: 'linux', architecture: 'amd64', variant: 'v3' });
});
