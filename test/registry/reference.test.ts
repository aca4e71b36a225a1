import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../src/errors.js';
import { formatReference, parseReference, type ImageReference } from '../../src/registry/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

// Each row: the input, then the parts parseReference must return.
const VALID: Array<[string, ImageReference]> = [
  ['alpine', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest' }],
  ['alpine:3.19', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/alpine', tag: '3.19' }],
  ['bitnami/redis:7', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'bitnami/redis', tag: '7' }],
  ['docker.io/alpine', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest' }],
  ['index.docker.io/library/alpine', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest' }],
  ['ghcr.io/org/team/app:v1.2.3', { registry: 'ghcr.io', endpoint: 'ghcr.io', repository: 'org/team/app', tag: 'v1.2.3' }],
  ['localhost/app', { registry: 'localhost', endpoint: 'localhost', repository: 'app', tag: 'latest' }],
  ['localhost:5000/app:dev', { registry: 'localhost:5000', endpoint: 'localhost:5000', repository: 'app', tag: 'dev' }],
  ['127.0.0.1:5000/a/b', { registry: '127.0.0.1:5000', endpoint: '127.0.0.1:5000', repository: 'a/b', tag: 'latest' }],
  ['[::1]:5000/app', { registry: '[::1]:5000', endpoint: '[::1]:5000', repository: 'app', tag: 'latest' }],
  ['Registry.Example.com/app', { registry: 'registry.example.com', endpoint: 'registry.example.com', repository: 'app', tag: 'latest' }],
  [`alpine@${DIGEST}`, { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/alpine', digest: DIGEST }],
  [`quay.io/a/b:1@${DIGEST}`, { registry: 'quay.io', endpoint: 'quay.io', repository: 'a/b', tag: '1', digest: DIGEST }],
  ['my_org/a__b-c--d.e:T_1', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'my_org/a__b-c--d.e', tag: 'T_1' }],
];

// Each row: an invalid input and a fragment its error message must contain.
const INVALID: Array<[string, string]> = [
  ['', 'empty'],
  [' alpine', 'white space'],
  ['Alpine', 'lower case'],
  ['library/Alpine', 'lower case'],
  ['alpine:', 'tag ""'],
  ['alpine:-x', 'tag "-x"'],
  [`alpine:${'t'.repeat(129)}`, 'tag'],
  ['alpine@sha256:abc', 'digest "sha256:abc"'],
  [`alpine@sha256:${'A'.repeat(64)}`, 'lower case'],
  [`alpine@md5:${'a'.repeat(32)}`, 'digest'],
  ['ghcr.io/', 'repository path is empty'],
  ['a//b', 'component ""'],
  ['a/-b', 'component "-b"'],
  ['a/b_', 'component "b_"'],
  ['bad_host:5000/app', 'registry host "bad_host:5000"'],
  [`ghcr.io/${'a'.repeat(250)}`, 'maximum is 255'],
];

test('parseReference valid table', () => {
  for (const [input, expected] of VALID) {
    assert.deepEqual(parseReference(input), expected, input);
  }
});

test('parseReference invalid table', () => {
  for (const [input, fragment] of INVALID) {
    assert.throws(() => parseReference(input), (error: unknown) => {
      assert.ok(error instanceof BulwarkError, input);
      assert.equal(error.code, 'USAGE', input);
      assert.ok(error.message.includes(`"${input}"`), `message names the input: ${error.message}`);
      assert.ok(error.message.includes(fragment), `${input}: ${error.message}`);
      return true;
    });
  }
});

test('formatReference round trip', () => {
  const inputs = ['alpine:3.19', 'bitnami/redis:7', 'ghcr.io/org/app:v1', 'localhost:5000/app:dev', `alpine@${DIGEST}`, `quay.io/a/b:1@${DIGEST}`];
  for (const input of inputs) {
    assert.equal(formatReference(parseReference(input)), input);
  }
});

test('formatReference hub default tag', () => {
  assert.equal(formatReference(parseReference('docker.io/library/alpine')), 'alpine:latest');
});
