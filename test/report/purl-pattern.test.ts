import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPurl, matchPurl, parsePurlPattern } from '../../src/report/purl-pattern.js';

const TARGET = 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5';

test('purl pattern without version matches any', () => {
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3'), TARGET), true);
});

test('purl pattern version must be equal', () => {
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3@3.0.11-1~deb12u2'), TARGET), true);
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3@3.0.13-1~deb12u1'), TARGET), false);
});

test('purl pattern qualifiers are a subset', () => {
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3?arch=amd64'), TARGET), true);
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3?arch=arm64'), TARGET), false);
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3?epoch=1'), TARGET), false);
});

test('purl pattern type namespace name', () => {
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/ubuntu/libssl3'), TARGET), false);
  assert.equal(matchPurl(parsePurlPattern('pkg:rpm/debian/libssl3'), TARGET), false);
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/openssl'), TARGET), false);
  assert.equal(matchPurl(parsePurlPattern('pkg:npm/%40babel/core'), 'pkg:npm/%40babel/core@7.24.0'), true);
});

test('purl pattern subpath must be equal', () => {
  const pattern = parsePurlPattern('pkg:golang/example.com/mod#cmd/tool');
  assert.equal(matchPurl(pattern, 'pkg:golang/example.com/mod@v1.2.0#cmd/tool'), true);
  assert.equal(matchPurl(pattern, 'pkg:golang/example.com/mod@v1.2.0#cmd/other'), false);
});

test('purl invalid candidate never matches', () => {
  assert.equal(matchPurl(parsePurlPattern('pkg:deb/debian/libssl3'), 'not a purl'), false);
});

test('isPurl requires a known type', () => {
  assert.equal(isPurl('pkg:npm/lodash'), true);
  assert.equal(isPurl('pkg:cargo/serde'), true);
  assert.equal(isPurl('pkg:github.com/foo/bar'), false);
  assert.equal(isPurl('pkg:openssl'), false);
  assert.throws(() => parsePurlPattern('pkg:nosuchtype/x'), /unknown purl type "nosuchtype"/);
});
