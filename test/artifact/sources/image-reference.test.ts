import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeImageName, sameImageName } from '../../../src/artifact/sources/image-reference.js';

// [input, normalized]: the forms Docker, skopeo and containerd write for the same image.
const NAMES: Array<[string, string]> = [
  ['nginx', 'docker.io/library/nginx:latest'],
  ['nginx:1.25', 'docker.io/library/nginx:1.25'],
  ['library/nginx:1.25', 'docker.io/library/nginx:1.25'],
  ['docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25'],
  ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest'],
  ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
  ['localhost/app', 'localhost/app:latest'],
  ['localhost:5000/app:v1', 'localhost:5000/app:v1'],
  ['ghcr.io/org/app:v1', 'ghcr.io/org/app:v1'],
  [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
];

test('normalize image name table', () => {
  for (const [input, expected] of NAMES) {
    assert.equal(normalizeImageName(input), expected, input);
  }
});

test('same image name cases', () => {
  assert.equal(sameImageName('nginx:latest', 'docker.io/library/nginx'), true);
  assert.equal(sameImageName('nginx:1.25', 'nginx:1.26'), false);
  assert.equal(sameImageName('example.test/app:v1', 'app:v1'), false);
});
